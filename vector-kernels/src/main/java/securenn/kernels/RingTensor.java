package securenn.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A tensor of Z_{2^64} elements held off-heap: a segment of little-endian longs paired with a row-major shape.
 * Its lifetime is the arena that allocated it (one inference batch, one training iteration).
 */
public record RingTensor(MemorySegment data, int[] shape)
{
    public RingTensor
    {
        shape = shape.clone();
        final long size = size(shape);
        KernelChecks.requireLongs("data", data, size, "tensor of shape " + Arrays.toString(shape));
    }

    /** A zero-filled tensor from {@code arena}. */
    public static RingTensor allocate(final Arena arena, final int... shape)
    {
        final long size = size(shape);
        return new RingTensor(arena.allocate(size * Long.BYTES, Long.BYTES), shape);
    }

    public long size()
    {
        return size(shape);
    }

    public int[] shape()
    {
        return shape.clone();
    }

    public int dim(final int axis)
    {
        return shape[axis];
    }

    public long get(final long index)
    {
        return data.getAtIndex(Ring.LONG, index);
    }

    public void set(final long index, final long value)
    {
        data.setAtIndex(Ring.LONG, index, value);
    }

    /** Copies the elements to a heap array (tests and debugging). */
    public long[] toArray()
    {
        final long[] out = new long[Math.toIntExact(size())];
        MemorySegment.copy(data, Ring.LONG, 0, out, 0, out.length);
        return out;
    }

    private static long size(final int[] shape)
    {
        long size = 1;
        for (final int d : shape)
        {
            KernelChecks.requireNonNegative("tensor dimension", d);
            size = Math.multiplyExact(size, d);
        }
        return size;
    }

    @Override
    public String toString()
    {
        return "RingTensor" + Arrays.toString(shape);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof RingTensor t && Arrays.equals(shape, t.shape) && data.equals(t.data);
    }

    @Override
    public int hashCode()
    {
        return 31 * data.hashCode() + Arrays.hashCode(shape);
    }
}
