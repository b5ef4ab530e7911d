package securenn.mpc;

import securenn.kernels.Ring;
import securenn.kernels.random.AesCtrPrg;
import securenn.kernels.random.ZpSampler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * ReLU′(a) = 1 − MSB(a) over Z_L with one masked opening and one {@link PrivateCompare}, instead of Algorithm 6's
 * ShareConvert and ComputeMSB (two PrivateCompares, a Beaver product and 8 rounds). Same three-party model and the
 * same building blocks as the paper; an option of {@link DRelu} ({@link DRelu.Method#ONE_COMPARE}).
 *
 * <p>P2 deals a random r ∈ Z_L whose shares come from the pairwise streams (r_0 from k02, r_1 from k12: nothing
 * sent), and the bits of r′ = r mod 2^63 shared over Z_67 (P0's from k02, P1's sent). P0 and P1 open c = a + r.
 * Writing c = c₆₃·2^63 + c′ and r = r₆₃·2^63 + r′, subtracting r from c borrows from bit 63 exactly when r′ &gt; c′, so
 * <pre>  MSB(a) = c₆₃ ⊕ r₆₃ ⊕ (r′ &gt; c′).</pre>
 * PrivateCompare with a common random bit β gives P2 β′ = β ⊕ (r′ &gt; c′); P2, who knows r₆₃, returns shares over Z_L
 * of γ = β′ ⊕ r₆₃ (P0's from k02, P1's sent). Then MSB(a) = γ ⊕ (c₆₃ ⊕ β), and ReLU′(a) = γ ⊕ (c₆₃ ⊕ β ⊕ 1): a
 * shared bit XOR a public one, local.
 *
 * <p>Views: P0 and P1 see c (uniform, masked by r), their bit shares and γ shares (uniform); P2 sees the
 * PrivateCompare vectors, which reveal β′ only, uniform because β is hidden from P2 — provided P2 dealt bits: a P2
 * that deals non-bits learns the borrow (r′ &gt; c′), the sign of a whenever |a| ≪ 2^63 ({@link PrivateCompare},
 * semi-honest only). Exact for every a ∈ Z_L (the paper's DReLU needs |a| &lt; 2^62).
 *
 * <p>Rounds: 3 (the opening runs beside P2's dealing). Bytes per element: P0↔P1 8 each way, P2→P1 64 + 8, P0→P2 and
 * P1→P2 64 each: 216, against 496 for Algorithm 6 as implemented here.
 */
public final class DReluOneCompare
{
    private static final long LOW = Long.MAX_VALUE; // 2^63 − 1

    private DReluOneCompare()
    {
    }

    /** P0/P1: a (n shares) to out (n shares of 0/1); P2: nulls. */
    public static void run(final Party p, final MemorySegment a, final MemorySegment out, final long n)
    {
        if (p.role() == Role.P2)
        {
            helper(p, n);
            return;
        }
        final int j = p.role().j();
        final Role other = j == 0 ? Role.P1 : Role.P0;
        try (Arena arena = p.scratch())
        {
            final AesCtrPrg withP2 = p.prg(Role.P2);
            final MemorySegment c = Party.randomLongs(arena, withP2, n); // r_j
            final MemorySegment rBits = Party.bytesForOverwrite(arena, n * Ring.BITS);
            if (j == 0)
            {
                ZpSampler.uniform(withP2, rBits, n * Ring.BITS);
            }
            // c_j = a_j + r_j, opened
            p.kernels().ring().add(a, c, c, n);
            p.send(other, Step.DRELU_OPEN, c);
            if (j == 1)
            {
                p.receive(Role.P2, Step.DRELU_BITS, rBits);
            }
            final MemorySegment theirs = Party.longsForOverwrite(arena, n);
            p.receive(other, Step.DRELU_OPEN, theirs);
            p.kernels().ring().add(c, theirs, c, n);

            final MemorySegment beta = Party.randomBits(arena, p.prg(other), n);
            final MemorySegment low = theirs; // reused: c′ = c mod 2^63
            for (long i = 0; i < n; i++)
            {
                low.setAtIndex(Ring.LONG, i, c.getAtIndex(Ring.LONG, i) & LOW);
            }
            PrivateCompare.run(p, rBits, low, beta, null, n);
            final MemorySegment gamma = out.asSlice(0, n * Long.BYTES); // callers may pass a longer segment
            if (j == 0)
            {
                withP2.fill(gamma);
            }
            else
            {
                p.receive(Role.P2, Step.DRELU_GAMMA, gamma);
            }
            for (long i = 0; i < n; i++)
            {
                final int pub = (int)(c.getAtIndex(Ring.LONG, i) >>> 63) ^ beta.get(Ring.BYTE, i) ^ 1;
                out.setAtIndex(Ring.LONG, i, ComputeMsb.xorPublic(out.getAtIndex(Ring.LONG, i), pub, j));
            }
        }
    }

    private static void helper(final Party p, final long n)
    {
        try (Arena arena = p.scratch())
        {
            final AesCtrPrg withP0 = p.prg(Role.P0);
            final MemorySegment r = Party.randomLongs(arena, withP0, n);
            final MemorySegment r1 = Party.randomLongs(arena, p.prg(Role.P1), n);
            p.kernels().ring().add(r, r1, r, n);
            final MemorySegment bits0 = Party.bytesForOverwrite(arena, n * Ring.BITS);
            ZpSampler.uniform(withP0, bits0, n * Ring.BITS);
            final MemorySegment bits1 = Party.bytesForOverwrite(arena, n * Ring.BITS);
            final MemorySegment low = r1; // reused: r′ = r mod 2^63
            for (long i = 0; i < n; i++)
            {
                low.setAtIndex(Ring.LONG, i, r.getAtIndex(Ring.LONG, i) & LOW);
            }
            p.kernels().compare().decompose(low, bits1, n);
            p.kernels().zp().sub(bits1, bits0, bits1, n * Ring.BITS);
            p.send(Role.P1, Step.DRELU_BITS, bits1);

            final MemorySegment gamma = Party.bytesForOverwrite(arena, n);
            PrivateCompare.run(p, null, null, null, gamma, n);
            for (long i = 0; i < n; i++)
            {
                gamma.set(Ring.BYTE, i, (byte)(gamma.get(Ring.BYTE, i) ^ (int)(r.getAtIndex(Ring.LONG, i) >>> 63)));
            }
            final MemorySegment share0 = Party.randomLongs(arena, withP0, n);
            p.send(Role.P1, Step.DRELU_GAMMA, Shares.ringShareForP1(arena, gamma, share0, n));
        }
    }
}
