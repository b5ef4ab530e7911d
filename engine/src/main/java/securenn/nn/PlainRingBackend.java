package securenn.nn;

import securenn.kernels.Kernels;
import securenn.kernels.Ring;
import securenn.kernels.Transpose;
import securenn.mpc.Factor;
import securenn.mpc.LinearMap;
import securenn.mpc.TruncationReplay;

import java.lang.foreign.MemorySegment;

/**
 * The fixed-point twin: the network's arithmetic in the clear, exactly as the secure version computes it. Truncation
 * is ⌊x/2^f⌋, or — given a {@link TruncationReplay} of the secure session's keys — ⌊x/2^f⌋ plus the very carries
 * {@link securenn.mpc.Truncation#assisted} adds, which makes twin and secure training bit-identical.
 */
public final class PlainRingBackend implements RingBackend
{
    private final Kernels kernels;
    private final TruncationReplay replay;
    private final securenn.mpc.ScratchMemory scratch = new securenn.mpc.ScratchMemory();

    public PlainRingBackend(final Kernels kernels)
    {
        this(kernels, null);
    }

    /** @param replay the secure session's truncation carries, or null for exact ⌊x/2^f⌋ */
    public PlainRingBackend(final Kernels kernels, final TruncationReplay replay)
    {
        this.kernels = kernels;
        this.replay = replay;
    }

    @Override
    public java.lang.foreign.Arena scratch()
    {
        return scratch.frame();
    }

    @Override
    public boolean holdsData()
    {
        return true;
    }

    @Override
    public Kernels kernels()
    {
        return kernels;
    }

    @Override
    public Factor[] open(final java.lang.foreign.Arena arena, final long[] sizes, final MemorySegment... values)
    {
        final Factor[] factors = new Factor[values.length];
        for (int i = 0; i < values.length; i++)
        {
            factors[i] = Factor.plain(values[i]);
        }
        return factors;
    }

    @Override
    public void matmul(final Factor a, final Transpose ta, final Factor b, final Transpose tb, final MemorySegment c,
        final int m, final int k, final int n, final LinearMap post)
    {
        if (post == null)
        {
            kernels.gemm().multiply(a.opened(), ta, b.opened(), tb, c, m, k, n, false);
            return;
        }
        try (java.lang.foreign.Arena arena = scratch())
        {
            final MemorySegment product = arena.allocate((long)m * n * Long.BYTES, 64);
            kernels.gemm().multiply(a.opened(), ta, b.opened(), tb, product, m, k, n, false);
            post.apply(product, c);
        }
    }

    @Override
    public void truncate(final MemorySegment x, final int f, final long n)
    {
        if (replay != null)
        {
            replay.truncate(x, x, f, n);
        }
        else
        {
            kernels.ring().shiftRight(x, f, x, n);
        }
    }

    @Override
    public void relu(final MemorySegment x, final MemorySegment out, final long n)
    {
        for (long i = 0; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, Math.max(0, x.getAtIndex(Ring.LONG, i)));
        }
    }

    @Override
    public void maxPool(final MemorySegment windows, final MemorySegment out, final long groups, final int size)
    {
        for (long g = 0; g < groups; g++)
        {
            long best = windows.getAtIndex(Ring.LONG, g * size);
            for (int i = 1; i < size; i++)
            {
                best = Math.max(best, windows.getAtIndex(Ring.LONG, g * size + i));
            }
            out.setAtIndex(Ring.LONG, g, best);
        }
    }

    @Override
    public void maxPool(final MemorySegment windows, final MemorySegment out, final MemorySegment index, final long groups,
        final int size)
    {
        for (long g = 0; g < groups; g++)
        {
            long best = windows.getAtIndex(Ring.LONG, g * size);
            int at = 0;
            for (int i = 1; i < size; i++)
            {
                final long v = windows.getAtIndex(Ring.LONG, g * size + i);
                if (v >= best)
                {
                    best = v;
                    at = i;
                }
            }
            out.setAtIndex(Ring.LONG, g, best);
            index.setAtIndex(Ring.LONG, g, at);
        }
    }

    @Override
    public void maxPoolDerivative(final MemorySegment index, final MemorySegment out, final long groups, final int size)
    {
        out.asSlice(0, groups * size * Long.BYTES).fill((byte)0);
        for (long g = 0; g < groups; g++)
        {
            out.setAtIndex(Ring.LONG, g * size + index.getAtIndex(Ring.LONG, g), 1);
        }
    }

    @Override
    public void relu(final MemorySegment x, final MemorySegment out, final MemorySegment derivative, final long n)
    {
        for (long i = 0; i < n; i++)
        {
            final long v = x.getAtIndex(Ring.LONG, i);
            derivative.setAtIndex(Ring.LONG, i, v >= 0 ? 1 : 0);
            out.setAtIndex(Ring.LONG, i, Math.max(0, v));
        }
    }

    @Override
    public void addConstant(final MemorySegment x, final long constant, final long n)
    {
        kernels.ring().addScalar(x, constant, x, n);
    }

    @Override
    public void hadamard(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        kernels.ring().mul(a, b, out, n);
    }

    @Override
    public void divide(final MemorySegment x, final MemorySegment y, final MemorySegment out, final int f, final long n)
    {
        final long cap = (1L << f) - 1;
        for (long i = 0; i < n; i++)
        {
            final long yv = y.getAtIndex(Ring.LONG, i);
            final long q = yv == 0 ? cap : java.math.BigInteger.valueOf(x.getAtIndex(Ring.LONG, i)).shiftLeft(f)
                .divide(java.math.BigInteger.valueOf(yv)).min(java.math.BigInteger.valueOf(cap)).longValue();
            out.setAtIndex(Ring.LONG, i, q);
        }
    }
}
