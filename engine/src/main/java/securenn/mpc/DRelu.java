package securenn.mpc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Algorithm 6: shares over Z_L of ReLU′(a) = 1 − MSB(a). Computes c = 2a (so c ≠ L − 1), converts it to Z_{L−1} with
 * {@link ShareConvert} and takes {@link ComputeMsb}; MSB(2a) = MSB(a) for |a| &lt; 2^62 (the supported range).
 */
public final class DRelu
{
    private DRelu()
    {
    }

    /** P0/P1: a (n shares) to out (n shares of 0/1); P2: nulls. */
    public static void run(final Party p, final MemorySegment a, final MemorySegment out, final long n)
    {
        if (p.role() == Role.P2)
        {
            ShareConvert.run(p, null, null, n);
            ComputeMsb.run(p, null, null, n);
            return;
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment c = Party.longs(arena, n);
            p.kernels().ring().add(a, a, c, n);
            final MemorySegment y = Party.longs(arena, n);
            ShareConvert.run(p, c, y, n);
            ComputeMsb.run(p, y, out, n);
            // 1 − α: negate, and P0 adds the constant 1
            p.kernels().ring().neg(out, out, n);
            if (p.role() == Role.P0)
            {
                p.kernels().ring().addScalar(out, 1L, out, n);
            }
        }
    }
}
