package securenn.bench.kernels;

import securenn.kernels.Ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/** Inputs for the kernel benchmarks: 64-byte aligned off-heap segments of random values. */
public final class BenchData
{
    private BenchData()
    {
    }

    public static MemorySegment random(final Arena arena, final long longs, final long seed)
    {
        final MemorySegment s = arena.allocate(longs * Long.BYTES, 64);
        final SplittableRandom rnd = new SplittableRandom(seed); // benchmark inputs, no secret
        for (long i = 0; i < longs; i++)
        {
            s.setAtIndex(Ring.LONG, i, rnd.nextLong());
        }
        return s;
    }

    public static MemorySegment randomZp(final Arena arena, final long bytes, final long seed)
    {
        final MemorySegment s = arena.allocate(bytes, 64);
        final SplittableRandom rnd = new SplittableRandom(seed); // benchmark inputs, no secret
        for (long i = 0; i < bytes; i++)
        {
            s.set(Ring.BYTE, i, (byte)rnd.nextInt(Ring.P));
        }
        return s;
    }

    /** Parses "m x k x n" shapes such as {@code 128x784x128}. */
    public static int[] dims(final String shape)
    {
        final String[] parts = shape.split("x");
        final int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            out[i] = Integer.parseInt(parts[i]);
        }
        return out;
    }
}
