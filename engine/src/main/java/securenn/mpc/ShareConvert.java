package securenn.mpc;

import securenn.kernels.CompareOps;
import securenn.kernels.Ring;
import securenn.kernels.random.AesCtrPrg;
import securenn.kernels.random.ZpSampler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Algorithm 4: converts shares of a ∈ Z_L (a ≠ L − 1) into shares of the same value over Z_{L−1}.
 *
 * <p>Derived from the correctness proof (the listing's steps 7 and 10–11 disagree with it): with r = r0 + r1 common
 * to P0 and P1, α = wrap(r0, r1), β_j = wrap(a_j, r_j), x = ã0 + ã1 the masked value P2 opens and δ = wrap(ã0, ã1),
 * PrivateCompare runs on x against <b>r − 1</b> with common bit η″, so that η = η′ ⊕ η″ = (x &gt; r − 1), and
 * θ = wrap(a0, a1) = β0 + β1 − α + δ + η − 1. Each P_j outputs a_j − θ_j over Z_{L−1}.
 *
 * <p>P2 sees a_j + r_j from each party (r_0, r_1 from k01, independent: uniform) and PrivateCompare's vectors. It
 * knows x = a + r, so anything PrivateCompare leaks about r is about a: a P2 that deals non-bits for x learns bits of
 * r − 1 ({@link PrivateCompare}, semi-honest only).
 *
 * <p>P2's shares for P0 (bits of x, δ, η′) come from the stream P0 shares with P2; only P1's are sent. Rounds: 4
 * (ã to P2; bits and δ to P1; PrivateCompare; η′ to P1). Bytes per element: 8 from each of P0, P1 to P2;
 * 64 + 8 + 8 from P2 to P1; PrivateCompare's 64 from each of P0, P1 — at most the paper's 4ℓ log p + 6ℓ.
 */
public final class ShareConvert
{
    private ShareConvert()
    {
    }

    /** P0/P1: a (n shares over Z_L) to out (n shares over Z_{L−1}); P2: nulls. */
    public static void run(final Party p, final MemorySegment a, final MemorySegment out, final long n)
    {
        if (p.role() == Role.P2)
        {
            helper(p, n);
            return;
        }
        final int j = p.role().j();
        final CompareOps cmp = p.kernels().compare();
        try (Arena arena = p.scratch())
        {
            final AesCtrPrg common = p.prg(j == 0 ? Role.P1 : Role.P0);
            final MemorySegment r0 = Party.randomLongs(arena, common, n);
            final MemorySegment r1 = Party.randomLongs(arena, common, n);
            final MemorySegment etaSecond = Party.randomBits(arena, common, n);
            final MemorySegment alpha = Party.bytes(arena, n);
            cmp.wrap(r0, r1, alpha, n);
            final MemorySegment rMinusOne = Party.longs(arena, n);
            p.kernels().ring().add(r0, r1, rMinusOne, n);
            p.kernels().ring().addScalar(rMinusOne, -1L, rMinusOne, n);
            final MemorySegment rj = j == 0 ? r0 : r1;
            final MemorySegment masked = Party.longs(arena, n);
            p.kernels().ring().add(a, rj, masked, n);
            final MemorySegment betaJ = Party.bytes(arena, n);
            cmp.wrap(a, rj, betaJ, n);
            p.send(Role.P2, Step.SC_MASKED, masked);

            final MemorySegment xBits = Party.bytes(arena, n * Ring.BITS);
            final MemorySegment delta = Party.longs(arena, n);
            if (j == 0)
            {
                ZpSampler.uniform(p.prg(Role.P2), xBits, n * Ring.BITS);
                delta.copyFrom(Party.randomOdd(arena, p.prg(Role.P2), n));
            }
            else
            {
                p.receive(Role.P2, Step.SC_BITS, xBits);
                p.receive(Role.P2, Step.SC_DELTA, delta);
            }
            PrivateCompare.run(p, xBits, rMinusOne, etaSecond, null, n);
            final MemorySegment etaPrime = Party.longs(arena, n);
            if (j == 0)
            {
                etaPrime.copyFrom(Party.randomOdd(arena, p.prg(Role.P2), n));
            }
            else
            {
                p.receive(Role.P2, Step.SC_ETA, etaPrime);
            }
            for (long i = 0; i < n; i++)
            {
                final long etaP = etaPrime.getAtIndex(Ring.LONG, i);
                // η = η′ ⊕ η″ with η″ public: η′ itself, or 1 − η′ (the constant held by P1)
                final long eta = etaSecond.get(Ring.BYTE, i) == 0 ? etaP : CompareOps.subOdd(j, etaP);
                long theta = CompareOps.addOdd(betaJ.get(Ring.BYTE, i), delta.getAtIndex(Ring.LONG, i));
                theta = CompareOps.addOdd(theta, eta);
                if (j == 0)
                {
                    theta = CompareOps.subOdd(theta, alpha.get(Ring.BYTE, i));
                    theta = CompareOps.subOdd(theta, 1);
                }
                final long aj = a.getAtIndex(Ring.LONG, i);
                out.setAtIndex(Ring.LONG, i, CompareOps.subOdd(aj == -1L ? 0 : aj, theta));
            }
        }
    }

    private static void helper(final Party p, final long n)
    {
        final CompareOps cmp = p.kernels().compare();
        try (Arena arena = p.scratch())
        {
            final MemorySegment m0 = Party.longs(arena, n);
            final MemorySegment m1 = Party.longs(arena, n);
            p.receive(Role.P0, Step.SC_MASKED, m0);
            p.receive(Role.P1, Step.SC_MASKED, m1);
            final MemorySegment deltaBits = Party.bytes(arena, n);
            cmp.wrap(m0, m1, deltaBits, n);
            p.kernels().ring().add(m0, m1, m0, n);
            final MemorySegment bits = Party.bytes(arena, n * Ring.BITS);
            cmp.decompose(m0, bits, n);
            final MemorySegment bits0 = Party.bytes(arena, n * Ring.BITS);
            ZpSampler.uniform(p.prg(Role.P0), bits0, n * Ring.BITS);
            p.kernels().zp().sub(bits, bits0, bits, n * Ring.BITS);
            final MemorySegment delta1 = Shares.oddShareForP1(arena, deltaBits, Party.randomOdd(arena, p.prg(Role.P0), n), n);
            p.send(Role.P1, Step.SC_BITS, bits);
            p.send(Role.P1, Step.SC_DELTA, delta1);
            final MemorySegment etaPrime = Party.bytes(arena, n);
            PrivateCompare.run(p, null, null, null, etaPrime, n);
            final MemorySegment eta1 = Shares.oddShareForP1(arena, etaPrime, Party.randomOdd(arena, p.prg(Role.P0), n), n);
            p.send(Role.P1, Step.SC_ETA, eta1);
        }
    }
}
