package securenn.mpc;

import securenn.kernels.Ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Algorithm 10: from shares of each group's argmax index, shares of the one-hot vector of length n (n | 2^64, i.e. a
 * power of two). P0 and P1 blind the index with a common random r and send their shares (index + r) to P2, who opens
 * k = (index + r) mod n — uniform, because n | 2^64 — and deals shares of e_k (P0's from their common stream, P1's
 * sent); P0 and P1 rotate by r mod n: z[i] = e_k[(i + r) mod n]. Two rounds; bytes per group: 8 from each of P0, P1
 * to P2 and 8n from P2 to P1 (the paper's 2(n + 1)ℓ sends both parties' shares).
 */
public final class MaxPoolDerivative
{
    private MaxPoolDerivative()
    {
    }

    /** P0/P1: index (groups shares) to out (groups·n shares, group g at g·n); P2: nulls. */
    public static void run(final Party p, final MemorySegment index, final MemorySegment out, final long groups,
        final int n)
    {
        if (n < 1 || Integer.bitCount(n) != 1)
        {
            throw new IllegalArgumentException("pool size must be a power of two (n | 2^64) but was " + n);
        }
        final long cells = groups * n;
        try (Arena arena = p.scratch())
        {
            if (p.role() == Role.P2)
            {
                final MemorySegment b0 = Party.longs(arena, groups);
                final MemorySegment b1 = Party.longs(arena, groups);
                p.receive(Role.P0, Step.DMP_BLINDED, b0);
                p.receive(Role.P1, Step.DMP_BLINDED, b1);
                p.kernels().ring().add(b0, b1, b0, groups);
                final MemorySegment share1 = Party.randomLongs(arena, p.prg(Role.P0), cells);
                p.kernels().ring().neg(share1, share1, cells);
                for (long g = 0; g < groups; g++)
                {
                    final long k = g * n + (b0.getAtIndex(Ring.LONG, g) & (n - 1));
                    share1.setAtIndex(Ring.LONG, k, share1.getAtIndex(Ring.LONG, k) + 1);
                }
                p.send(Role.P1, Step.DMP_UNIT, share1);
                return;
            }
            final Role other = p.role() == Role.P0 ? Role.P1 : Role.P0;
            final MemorySegment r = Party.randomLongs(arena, p.prg(other), groups);
            final MemorySegment blinded = Party.longs(arena, groups);
            if (p.role() == Role.P0)
            {
                p.kernels().ring().add(index, r, blinded, groups);
            }
            else
            {
                blinded.copyFrom(index);
            }
            p.send(Role.P2, Step.DMP_BLINDED, blinded);
            final MemorySegment unit = Party.longs(arena, cells);
            if (p.role() == Role.P0)
            {
                p.prg(Role.P2).fill(unit);
            }
            else
            {
                p.receive(Role.P2, Step.DMP_UNIT, unit);
            }
            for (long g = 0; g < groups; g++)
            {
                final int shift = (int)(r.getAtIndex(Ring.LONG, g) & (n - 1));
                for (int i = 0; i < n; i++)
                {
                    out.setAtIndex(Ring.LONG, g * n + i, unit.getAtIndex(Ring.LONG, g * n + ((i + shift) & (n - 1))));
                }
            }
        }
    }
}
