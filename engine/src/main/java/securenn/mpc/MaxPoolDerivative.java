package securenn.mpc;

import securenn.kernels.Ring;
import securenn.kernels.random.AesCtrPrg;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Algorithm 10: from shares of each group's argmax index, shares of the one-hot vector of length n (n | 2^64, i.e. a
 * power of two).
 *
 * <pre>
 *   P0, P1:  draw r, u ∈ Z_L per group from k01, in this order
 *   P0 → P2:  m_0 = index_0 + r + u          P1 → P2:  m_1 = index_1 − u
 *   P2:      k = (m_0 + m_1) mod n = (index + r) mod n;  deals e_k: P0's share from k02, P1's (e_k − share_0) sent
 *   P0, P1:  z[i] = share of e_k at (i + r) mod n     (= 1 exactly at i = index, because n | 2^64)
 * </pre>
 *
 * <p>Privacy against P2. P2 knows k02 and k12 and dealt every Beaver mask before this step, so it knows each party's
 * share of a product's output as a function of the plaintext (Z_1 = A_1·F + E·B_1 + C_1, E = X − A, F = Y − B): for
 * MaxPool's index, whose plaintext differences are a few small numbers and whose selection bits are bits, P1's share
 * takes one of 8 values per 2×2 window, each naming an argmax. A message to P2 is therefore private only if it is
 * masked by k01, the one stream P2 does not hold. Here (m_1, m_0 + m_1) = (index_1 − u, index + r): u and r are
 * independent, uniform and fresh, so P2's view of the pair is two independent uniform elements of Z_L whatever the
 * index, and k is uniform on [0, n) (n | 2^64). The listing says only "blind shares of index with r"; until issue 17
 * this class had P0 add r and P1 send its share as it was, and P2 matched P1's share against its candidates and
 * recovered every window's argmax ({@code MaxPoolArgmaxAttackTest}; adding r to both shares would instead reveal
 * index_0 − index_1, as bad). The pad u costs no message and no round: P0 adds it and P1 subtracts it, so the sum P2
 * opens is unchanged. P1 sees e_k − share_0, masked by P0's share from k02.
 *
 * <p>Two rounds; bytes per group: 8 from each of P0, P1 to P2 and 8n from P2 to P1 (the paper's 2(n + 1)ℓ sends both
 * parties' shares). P0 and P1 draw 16 bytes of k01 per group.
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
            final AesCtrPrg common = p.prg(other); // k01: the only stream P2 does not hold
            final MemorySegment r = Party.randomLongs(arena, common, groups);
            final MemorySegment u = Party.randomLongs(arena, common, groups);
            final MemorySegment blinded = Party.longsForOverwrite(arena, groups);
            if (p.role() == Role.P0)
            {
                p.kernels().ring().add(index, r, blinded, groups);
                p.kernels().ring().add(blinded, u, blinded, groups);
            }
            else
            {
                p.kernels().ring().sub(index, u, blinded, groups);
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
