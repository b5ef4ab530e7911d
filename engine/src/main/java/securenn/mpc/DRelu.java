package securenn.mpc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Shares over Z_L of ReLU′(a) = 1 − MSB(a), by the method the party is set to ({@link Party#dreluMethod()}); every
 * ReLU, MaxPool comparison and Division step goes through here.
 *
 * <p>{@link Method#PAPER} is Algorithm 6: computes c = 2a (so c ≠ L − 1), converts it to Z_{L−1} with
 * {@link ShareConvert} and takes {@link ComputeMsb}; MSB(2a) = MSB(a) for |a| &lt; 2^62 (the supported range).
 * {@link Method#ONE_COMPARE} is {@link DReluOneCompare}: the same result with one PrivateCompare instead of two,
 * 3 rounds instead of 8 and 216 bytes per element instead of 496.
 */
public final class DRelu
{
    /** How ReLU′ is computed; all three parties of a session must use the same one. */
    public enum Method
    {
        /** Algorithm 6 as published: ShareConvert, then ComputeMSB. */
        PAPER,
        /** One masked opening and one PrivateCompare ({@link DReluOneCompare}); the default. */
        ONE_COMPARE
    }

    private DRelu()
    {
    }

    /** P0/P1: a (n shares) to out (n shares of 0/1); P2: nulls. */
    public static void run(final Party p, final MemorySegment a, final MemorySegment out, final long n)
    {
        if (p.dreluMethod() == Method.ONE_COMPARE)
        {
            DReluOneCompare.run(p, a, out, n);
            return;
        }
        if (p.role() == Role.P2)
        {
            ShareConvert.run(p, null, null, n);
            ComputeMsb.run(p, null, null, n);
            return;
        }
        try (Arena arena = p.scratch())
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
