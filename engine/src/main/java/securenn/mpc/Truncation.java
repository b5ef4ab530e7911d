package securenn.mpc;

import securenn.kernels.Ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Division of shares by 2^d, two ways.
 *
 * <p>{@link #local} is Algorithm 11 (after SecureML): no communication; P0 computes a0 &gt;&gt; d, P1 computes
 * −((−a1) &gt;&gt; d). The result is ⌊x/2^d⌋ or one more — except with probability about |x|/2^63, when it is off
 * by about 2^(64−d). Harmless for inference activations (|x| ≈ 2^30: 2^−33 per value), fatal over thousands of
 * training steps on gradient products (|x| ≈ 2^42): observed as network A's weights jumping to 10^8 at epoch 7.
 *
 * <p>{@link #assisted} never fails for |x| &lt; 2^62. P2 deals a mask r with shares of its high part ⌊r/2^d⌋ and of
 * its top bit, and P0, P1 open c = x + 2^62 + r. Because x' = x + 2^62 lies in [0, 2^63), the addition wrapped
 * exactly when r's top bit is 1 and c's is 0, so the wrap is linear in the dealt top bit:
 * <pre>
 *   P0: draws r0, h0, m0;  P1: draws r1 (pairwise streams with P2);  P2: r = r0 + r1, sends P1
 *       h1 = ⌊r/2^d⌋ − h0  and  m1 = msb(r)·2^(64−d) − m0
 *   P0, P1: open c = (a0 + 2^62 + r0) + (a1 + r1);  k = 1 − msb(c)
 *   P0: ⌊c/2^d⌋ − h0 + k·m0 − 2^(62−d);   P1: −h1 + k·m1
 *   Σ = ⌊(x' + r)/2^d⌋ − ⌊r/2^d⌋ − 2^(62−d) = ⌊x/2^d⌋ + carry(x mod 2^d + r mod 2^d ≥ 2^d)
 * </pre>
 * The one-ulp carry is the only error. Each of P0, P1 sees c masked by the other's uniform r_j, and P1 sees P2's
 * corrections masked by P0's uniform h0, m0; P2 receives nothing. One round (P2's message travels alongside the
 * opening); bytes per element: 8 each way between P0 and P1, 16 from P2 to P1. The masks come from dedicated streams
 * ({@link Randomness#truncationWith}) so the fixed-point twin can replay the carries bit for bit
 * ({@link TruncationReplay}).
 */
public final class Truncation
{
    /** Which truncation a backend uses. */
    public enum Mode
    {
        LOCAL, ASSISTED
    }

    /** Largest |x| {@link #assisted} supports. */
    public static final long RANGE = 1L << 62;

    private Truncation()
    {
    }

    /** Algorithm 11: local, free, fails with probability ≈ |x|/2^63 per element. */
    public static void local(final Party p, final MemorySegment a, final MemorySegment out, final int d, final long n)
    {
        if (p.role() != Role.P2)
        {
            p.kernels().ring().truncateShare(a, d, p.role() == Role.P1, out, n);
        }
    }

    /** P2-assisted truncation: ⌊x/2^d⌋ or one more, for every |x| &lt; 2^62; 0 ≤ d ≤ 62. P2 passes nulls. */
    public static void assisted(final Party p, final MemorySegment a, final MemorySegment out, final int d, final long n)
    {
        if (trivial(p.role() == Role.P2 ? null : a, out, d, n))
        {
            return;
        }
        try (Arena arena = p.scratch())
        {
            switch (p.role())
            {
                case P2 -> deal(p, arena, d, n);
                case P0 -> finish(p, arena, a, out, d, n, Party.randomLongs(arena, p.randomness().truncationWith(Role.P2), 3 * n));
                case P1 -> finish(p, arena, a, out, d, n, Party.randomLongs(arena, p.randomness().truncationWith(Role.P2), n));
            }
        }
    }

    /**
     * Checks 0 ≤ d ≤ 62; for d = 0 or n = 0 copies {@code a} to {@code out} (unless a is null) and returns true — the
     * case where neither the protocol nor its replay draws masks.
     */
    static boolean trivial(final MemorySegment a, final MemorySegment out, final int d, final long n)
    {
        if (d < 0 || d > 62)
        {
            throw new IllegalArgumentException("truncation by d = " + d + " bits: d must be in [0, 62]");
        }
        if (d != 0 && n != 0)
        {
            return false;
        }
        if (a != null && a != out)
        {
            out.asSlice(0, n * Long.BYTES).copyFrom(a.asSlice(0, n * Long.BYTES));
        }
        return true;
    }

    private static void deal(final Party p, final Arena arena, final int d, final long n)
    {
        final MemorySegment zero = Party.randomLongs(arena, p.randomness().truncationWith(Role.P0), 3 * n);
        final MemorySegment one = Party.randomLongs(arena, p.randomness().truncationWith(Role.P1), n);
        final MemorySegment corrections = Party.longsForOverwrite(arena, 2 * n);
        for (long i = 0; i < n; i++)
        {
            final long r = zero.getAtIndex(Ring.LONG, i) + one.getAtIndex(Ring.LONG, i);
            corrections.setAtIndex(Ring.LONG, i, (r >>> d) - zero.getAtIndex(Ring.LONG, n + i));
            corrections.setAtIndex(Ring.LONG, n + i, ((r >>> 63) << (64 - d)) - zero.getAtIndex(Ring.LONG, 2 * n + i));
        }
        p.send(Role.P1, Step.TRUNC_DEAL, corrections);
    }

    /**
     * @param dealt P0: [r0 | h0 | m0]; P1: [r1] (h1 and m1 arrive from P2)
     */
    private static void finish(final Party p, final Arena arena, final MemorySegment a, final MemorySegment out,
        final int d, final long n, final MemorySegment dealt)
    {
        final boolean zero = p.role() == Role.P0;
        final Role other = zero ? Role.P1 : Role.P0;
        final MemorySegment mine = Party.longsForOverwrite(arena, n);
        p.kernels().ring().add(a, dealt.asSlice(0, n * Long.BYTES), mine, n);
        if (zero)
        {
            p.kernels().ring().addScalar(mine, RANGE, mine, n);
        }
        final MemorySegment theirs = Party.longsForOverwrite(arena, n);
        p.send(other, Step.TRUNC_OPEN, mine);
        p.receive(other, Step.TRUNC_OPEN, theirs);
        final MemorySegment hm;
        if (zero)
        {
            hm = dealt.asSlice(n * Long.BYTES);
        }
        else
        {
            hm = Party.longsForOverwrite(arena, 2 * n);
            p.receive(Role.P2, Step.TRUNC_DEAL, hm);
        }
        final long offset = zero ? RANGE >>> d : 0;
        for (long i = 0; i < n; i++)
        {
            final long c = mine.getAtIndex(Ring.LONG, i) + theirs.getAtIndex(Ring.LONG, i);
            final long keep = (~c) >>> 63;
            final long open = zero ? c >>> d : 0;
            out.setAtIndex(Ring.LONG, i, open - hm.getAtIndex(Ring.LONG, i) + keep * hm.getAtIndex(Ring.LONG, n + i) - offset);
        }
    }
}
