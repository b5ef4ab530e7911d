package securenn.mpc;

import securenn.kernels.Ring;
import securenn.kernels.ZpOps;
import securenn.kernels.random.AesCtrPrg;
import securenn.kernels.random.ZpSampler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Algorithm 3: P2 learns β′ = β ⊕ (x &gt; r) for a shared ℓ-bit x (bits shared over Z_67), a value r known to P0 and
 * P1, and a common random bit β.
 *
 * <p>Steps (as the correctness argument derives them; the listing's sign of (x − r) is a typo): with t = r for
 * β = 0 and t = r + 1 for β = 1, each P_j computes its shares of c[i] = (−1)^β·(t[i] − x[i]) + 1 + Σ_{k&gt;i} x[k]⊕t[k]
 * (the {@link ZpOps#privateCompareVector} kernel), multiplies by common random s[i] ∈ Z_67*, hides the position of
 * a zero with a common random π and sends its shares to P2, who reconstructs and outputs 1 iff some entry is 0.
 *
 * <p>π and a pad, instead of the listing's uniform permutation. P0 adds a common random pad m ∈ Z_67^64 to its
 * shares and P1 subtracts it, so P2's view is the reconstructed d = s·c alone (in the listing P2 also sees each
 * party's shares). Every non-zero entry of d is uniform on Z_67* and independent of the others whatever c is, so the
 * only information in the order of d is where its (at most one) zero sits — and a uniformly random cyclic rotation
 * makes that position uniform. P2's view is therefore simulatable from β′ alone, as with a full permutation, at the
 * cost of 64 pad bytes and one rotation byte per comparison instead of a 63-swap Fisher–Yates shuffle (the benchmark's
 * largest single cost before this change).
 * Corner case β = 1, r = 2^64 − 1 (x ≤ r always holds): P0 and P1 share a vector with exactly one zero, using
 * common random u[i] (P0 holds u[i], P1 holds target[i] − u[i]).
 *
 * <p>Semi-honest only. The simulation above needs x's shares to be shares of bits: then c has at most one zero. The
 * bits are dealt by P2 itself (in {@link DReluOneCompare}, {@link ShareConvert}, {@link ComputeMsb}) and nothing
 * checks them. A P2 that deals non-bits can make the number of zeros in d depend on t, i.e. on the data; no
 * reordering changes that number (the listing's permutation would not help), and the rotation also keeps the
 * zeros' cyclic distances. {@code MaliciousP2LeakTest} recovers the sign of every DReLU input that way. So there is
 * no privacy against a malicious P2, whatever the whitepaper's Section 6 says (docs/ARCHITECTURE.md, Threat model).
 *
 * <p>One round; bytes: 64 per element from each of P0 and P1 to P2 (one Z_67 value per byte).
 */
public final class PrivateCompare
{
    private PrivateCompare()
    {
    }

    /**
     * @param xBits     P0/P1: n×64 bytes, shares over Z_67 of the bits of x (bit i at 64·e + i); P2: null
     * @param r         P0/P1: n longs, the public comparand; P2: null
     * @param beta      P0/P1: n bytes, the common random bit; P2: null
     * @param betaPrime P2: n bytes receiving β ⊕ (x &gt; r); P0/P1: null
     */
    public static void run(final Party p, final MemorySegment xBits, final MemorySegment r, final MemorySegment beta,
        final MemorySegment betaPrime, final long n)
    {
        final long width = n * Ring.BITS;
        final ZpOps zp = p.kernels().zp();
        try (Arena arena = p.scratch())
        {
            if (p.role() == Role.P2)
            {
                final MemorySegment d0 = Party.bytesForOverwrite(arena, width);
                final MemorySegment d1 = Party.bytesForOverwrite(arena, width);
                p.receive(Role.P0, Step.PC_VECTOR, d0);
                p.receive(Role.P1, Step.PC_VECTOR, d1);
                zp.add(d0, d1, d0, width);
                zp.containsZero(d0, betaPrime, n);
                return;
            }
            final int j = p.role().j();
            final MemorySegment comparand = Party.longsForOverwrite(arena, n);
            boolean corner = false;
            for (long e = 0; e < n; e++)
            {
                final long rv = r.getAtIndex(Ring.LONG, e);
                final boolean flip = beta.get(Ring.BYTE, e) != 0;
                comparand.setAtIndex(Ring.LONG, e, flip ? rv + 1 : rv);
                corner |= flip && rv == -1L;
            }
            final MemorySegment c = Party.bytesForOverwrite(arena, width);
            zp.privateCompareVector(xBits, comparand, beta, j, c, n);
            final AesCtrPrg common = p.prg(j == 0 ? Role.P1 : Role.P0);
            if (corner)
            {
                shareOneZero(arena, r, beta, j, common, c, n);
            }
            final MemorySegment s = Party.bytesForOverwrite(arena, width);
            ZpSampler.uniformNonZero(common, s, width);
            zp.mul(c, s, c, width);
            final MemorySegment pad = Party.bytesForOverwrite(arena, width);
            ZpSampler.uniform(common, pad, width);
            if (j == 0)
            {
                zp.add(c, pad, c, width);
            }
            else
            {
                zp.sub(c, pad, c, width);
            }
            final MemorySegment rotation = Party.bytesForOverwrite(arena, n);
            common.fill(rotation);
            final MemorySegment d = Party.bytesForOverwrite(arena, width);
            zp.rotateGroups(c, rotation, d, n);
            p.send(Role.P2, Step.PC_VECTOR, d);
        }
    }

    /** For β = 1, r = 2^64 − 1: shares of (0, 1, 1, …, 1), P0 holding common random u and P1 the rest. */
    private static void shareOneZero(final Arena arena, final MemorySegment r, final MemorySegment beta, final int j,
        final AesCtrPrg common, final MemorySegment c, final long n)
    {
        final MemorySegment u = Party.bytes(arena, Ring.BITS);
        for (long e = 0; e < n; e++)
        {
            if (beta.get(Ring.BYTE, e) != 0 && r.getAtIndex(Ring.LONG, e) == -1L)
            {
                ZpSampler.uniform(common, u, Ring.BITS);
                for (int i = 0; i < Ring.BITS; i++)
                {
                    final int ui = u.get(Ring.BYTE, i);
                    c.set(Ring.BYTE, e * Ring.BITS + i, (byte)(j == 0 ? ui : ZpOps.sub(i == 0 ? 0 : 1, ui)));
                }
            }
        }
    }
}
