package securenn.mpc;

import securenn.kernels.CompareOps;
import securenn.kernels.Ring;
import securenn.kernels.random.AesCtrPrg;
import securenn.kernels.random.ZpSampler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Algorithm 5: shares over Z_L of MSB(a) for a shared over the odd ring Z_{L−1}.
 *
 * <p>Over an odd ring MSB(a) = LSB(2a). P2 deals a random x ∈ Z_{L−1} (shares over Z_{L−1}, bit shares over Z_67 and
 * shares of x[0] over Z_L; P0's from the stream it shares with P2, P1's sent). P0 and P1 open c = 2a + x, run
 * PrivateCompare for (x &gt; c) with common bit β, and P2 returns shares of β′ = β ⊕ (x &gt; c). Then
 * LSB(2a) = c[0] ⊕ x[0] ⊕ (x &gt; c) = γ ⊕ δ with γ = β ⊕ β′ and δ = c[0] ⊕ x[0], both linear in shares because
 * β and c[0] are public; the last XOR γ + δ − 2γδ takes one element-wise Beaver product.
 *
 * <p>P2 receives only PrivateCompare's vectors (β′, uniform) — if it dealt true bits of x; with non-bits it learns
 * bits of c = 2a + x, hence of a ({@link PrivateCompare}, semi-honest only).
 *
 * <p>Rounds: 5. Bytes per element: P2→P1 8 + 64 + 8 (randomness) + 8 (β′) + 8 (product triple); P0↔P1 8 each way
 * (opening c) + 16 each way (product); PrivateCompare 64 from each of P0, P1 — below the paper's 4ℓ log p + 13ℓ.
 */
public final class ComputeMsb
{
    private ComputeMsb()
    {
    }

    /** P0/P1: a (n shares over Z_{L−1}) to out (n shares over Z_L of MSB(a)); P2: nulls. */
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
            final MemorySegment xOdd = Party.longs(arena, n);
            final MemorySegment xBits = Party.bytes(arena, n * Ring.BITS);
            final MemorySegment x0 = Party.longs(arena, n);
            if (j == 0)
            {
                final AesCtrPrg withP2 = p.prg(Role.P2);
                xOdd.copyFrom(Party.randomOdd(arena, withP2, n));
                ZpSampler.uniform(withP2, xBits, n * Ring.BITS);
                withP2.fill(x0);
            }
            else
            {
                final MemorySegment dealt = Party.bytes(arena, n * (Long.BYTES * 2 + Ring.BITS));
                p.receive(Role.P2, Step.MSB_RANDOM, dealt);
                MemorySegment.copy(dealt, 0, xOdd, 0, n * Long.BYTES);
                MemorySegment.copy(dealt, n * Long.BYTES, x0, 0, n * Long.BYTES);
                MemorySegment.copy(dealt, 2 * n * Long.BYTES, xBits, 0, n * Ring.BITS);
            }
            // c_j = 2a_j + x_j over Z_{L−1}, opened
            final MemorySegment c = Party.longs(arena, n);
            cmp.addOdd(a, a, c, n);
            cmp.addOdd(c, xOdd, c, n);
            final Role other = j == 0 ? Role.P1 : Role.P0;
            final MemorySegment theirs = Party.longs(arena, n);
            p.send(other, Step.MSB_OPEN, c);
            p.receive(other, Step.MSB_OPEN, theirs);
            cmp.addOdd(c, theirs, c, n);

            final MemorySegment beta = Party.randomBits(arena, p.prg(other), n);
            PrivateCompare.run(p, xBits, c, beta, null, n);
            final MemorySegment betaPrime = Party.longs(arena, n);
            if (j == 0)
            {
                p.prg(Role.P2).fill(betaPrime);
            }
            else
            {
                p.receive(Role.P2, Step.MSB_BETA, betaPrime);
            }
            final MemorySegment gamma = Party.longs(arena, n);
            final MemorySegment delta = Party.longs(arena, n);
            for (long i = 0; i < n; i++)
            {
                gamma.setAtIndex(Ring.LONG, i, xorPublic(betaPrime.getAtIndex(Ring.LONG, i), beta.get(Ring.BYTE, i), j));
                delta.setAtIndex(Ring.LONG, i, xorPublic(x0.getAtIndex(Ring.LONG, i), (int)(c.getAtIndex(Ring.LONG, i) & 1), j));
            }
            final MemorySegment product = Party.longs(arena, n);
            MatMul.hadamard(p, gamma, delta, product, n);
            p.kernels().ring().add(gamma, delta, out, n);
            p.kernels().ring().mulScalar(product, -2L, product, n);
            p.kernels().ring().add(out, product, out, n);
        }
    }

    /** Share of b ⊕ k for a shared bit b and a public bit k: b itself, or 1 − b (P1 holding the constant). */
    static long xorPublic(final long shareOfB, final int k, final int j)
    {
        return k == 0 ? shareOfB : j - shareOfB;
    }

    private static void helper(final Party p, final long n)
    {
        final CompareOps cmp = p.kernels().compare();
        try (Arena arena = p.scratch())
        {
            final MemorySegment x = Party.randomOdd(arena, p.randomness().own(), n);
            final AesCtrPrg withP0 = p.prg(Role.P0);
            final MemorySegment xOdd0 = Party.randomOdd(arena, withP0, n);
            final MemorySegment bits0 = Party.bytes(arena, n * Ring.BITS);
            ZpSampler.uniform(withP0, bits0, n * Ring.BITS);
            final MemorySegment x00 = Party.randomLongs(arena, withP0, n);

            final MemorySegment dealt = Party.bytes(arena, n * (Long.BYTES * 2 + Ring.BITS));
            final MemorySegment xOdd1 = dealt.asSlice(0, n * Long.BYTES);
            final MemorySegment x01 = dealt.asSlice(n * Long.BYTES, n * Long.BYTES);
            final MemorySegment bits1 = dealt.asSlice(2 * n * Long.BYTES, n * Ring.BITS);
            cmp.subOdd(x, xOdd0, xOdd1, n);
            cmp.decompose(x, bits1, n);
            p.kernels().zp().sub(bits1, bits0, bits1, n * Ring.BITS);
            final MemorySegment lsb = Party.bytes(arena, n);
            cmp.lsb(x, lsb, n);
            x01.copyFrom(Shares.ringShareForP1(arena, lsb, x00, n));
            p.send(Role.P1, Step.MSB_RANDOM, dealt);

            final MemorySegment betaPrime = Party.bytes(arena, n);
            PrivateCompare.run(p, null, null, null, betaPrime, n);
            final MemorySegment share0 = Party.randomLongs(arena, withP0, n);
            p.send(Role.P1, Step.MSB_BETA, Shares.ringShareForP1(arena, betaPrime, share0, n));
            MatMul.hadamard(p, null, null, null, n);
        }
    }
}
