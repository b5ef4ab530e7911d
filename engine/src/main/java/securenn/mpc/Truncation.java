package securenn.mpc;

import java.lang.foreign.MemorySegment;

/**
 * Algorithm 11 (after SecureML): local truncation of shares by d bits, no communication. P0 computes a0 &gt;&gt; d,
 * P1 computes −((−a1) &gt;&gt; d); the reconstruction is ⌊x/2^d⌋ or one more, with probability about 1 − |x|/2^63 —
 * the documented ±1 ulp. P2 does nothing.
 */
public final class Truncation
{
    private Truncation()
    {
    }

    public static void run(final Party p, final MemorySegment a, final MemorySegment out, final int d, final long n)
    {
        if (p.role() != Role.P2)
        {
            p.kernels().ring().truncateShare(a, d, p.role() == Role.P1, out, n);
        }
    }
}
