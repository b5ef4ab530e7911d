package securenn.mpc;

import securenn.kernels.Gemm;
import securenn.kernels.RingOps;
import securenn.kernels.Transpose;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Algorithm 1, Beaver multiplication with triples from P2, in the PRF-optimised form of Section 7.1: P0's triple
 * shares (A0, B0, C0) come from the stream P0 shares with P2, P1's (A1, B1) from the stream P1 shares with P2, and
 * P2 sends only the correction C1 = (A0 + A1)(B0 + B1) − C0.
 *
 * <pre>
 *   P0, P1:  E_j = X_j − A_j,  F_j = Y_j − B_j;   exchange and open E = X − A, F = Y − B
 *   P0:      Z_0 = X_0·F + E·Y_0 + C_0
 *   P1:      Z_1 = (X_1 − E)·F + E·Y_1 + C_1          (Σ Z_j = XF + EY − EF + AB = XY)
 * </pre>
 * One round (P2's message travels alongside the P0↔P1 exchange). Bytes: P0→P1 and P1→P0 each (mk + kn)·8,
 * P2→P1 mn·8 — the paper's (2mk + 2kn + mn)ℓ. {@link #hadamard} is the element-wise twin (n-element vectors:
 * 2n·8 each way and n·8 from P2).
 */
public final class MatMul
{
    private MatMul()
    {
    }

    /**
     * Shares of Z = op(X)·op(Y) (m×k times k×n) into {@code z}; P2 passes null for x, y and z. Transposed operands
     * follow {@link Gemm}'s convention.
     */
    public static void multiply(final Party p, final MemorySegment x, final Transpose tx, final MemorySegment y,
        final Transpose ty, final MemorySegment z, final int m, final int k, final int n)
    {
        final long xs = (long)m * k;
        final long ys = (long)k * n;
        final long zs = (long)m * n;
        final Gemm gemm = p.kernels().gemm();
        try (Arena arena = p.scratch())
        {
            final MemorySegment[] abc = drawTriple(p, arena, xs, ys, zs);
            final MemorySegment a = abc[0];
            final MemorySegment b = abc[1];
            final MemorySegment c = abc[2];
            if (p.role() == Role.P2)
            {
                final MemorySegment c1 = Party.longs(arena, zs);
                gemm.multiply(a, tx, b, ty, c1, m, k, n, false);
                p.kernels().ring().sub(c1, c, c1, zs);
                p.send(Role.P1, Step.MATMUL_TRIPLE, c1);
                return;
            }
            final MemorySegment ef = open(p, arena, x, a, xs, y, b, ys);
            final MemorySegment e = ef.asSlice(0, xs * Long.BYTES);
            final MemorySegment f = ef.asSlice(xs * Long.BYTES, ys * Long.BYTES);
            if (p.role() == Role.P1)
            {
                p.receive(Role.P2, Step.MATMUL_TRIPLE, c);
                final MemorySegment xMinusE = Party.longs(arena, xs);
                p.kernels().ring().sub(x, e, xMinusE, xs);
                gemm.multiply(xMinusE, tx, f, ty, z, m, k, n, false);
            }
            else
            {
                gemm.multiply(x, tx, f, ty, z, m, k, n, false);
            }
            gemm.multiply(e, tx, y, ty, z, m, k, n, true);
            p.kernels().ring().add(z, c, z, zs);
        }
    }

    /** Element-wise product of two shared vectors of n elements into {@code z}; P2 passes nulls. */
    public static void hadamard(final Party p, final MemorySegment x, final MemorySegment y, final MemorySegment z,
        final long n)
    {
        final RingOps ring = p.kernels().ring();
        try (Arena arena = p.scratch())
        {
            final MemorySegment[] abc = drawTriple(p, arena, n, n, n);
            final MemorySegment a = abc[0];
            final MemorySegment b = abc[1];
            final MemorySegment c = abc[2];
            if (p.role() == Role.P2)
            {
                ring.mul(a, b, a, n);
                ring.sub(a, c, a, n);
                p.send(Role.P1, Step.MATMUL_TRIPLE, a);
                return;
            }
            final MemorySegment ef = open(p, arena, x, a, n, y, b, n);
            final MemorySegment e = ef.asSlice(0, n * Long.BYTES);
            final MemorySegment f = ef.asSlice(n * Long.BYTES, n * Long.BYTES);
            final MemorySegment t = Party.longs(arena, n);
            if (p.role() == Role.P1)
            {
                p.receive(Role.P2, Step.MATMUL_TRIPLE, c);
                ring.sub(x, e, t, n);
                ring.mul(t, f, t, n);
            }
            else
            {
                ring.mul(x, f, t, n);
            }
            ring.mul(e, y, z, n);
            ring.add(z, t, z, n);
            ring.add(z, c, z, n);
        }
    }

    /**
     * The triple's PRF-derived parts, {A, B, C}: P0 draws A0, B0, C0 from its stream with P2; P1 draws A1, B1 from its
     * stream with P2 and gets an empty C (filled by P2's correction); P2 draws both parties' parts in the same order and
     * returns A = A0 + A1, B = B0 + B1 and C0.
     */
    private static MemorySegment[] drawTriple(final Party p, final Arena arena, final long as, final long bs, final long cs)
    {
        if (p.role() != Role.P2)
        {
            final MemorySegment a = Party.randomLongs(arena, p.prg(Role.P2), as);
            final MemorySegment b = Party.randomLongs(arena, p.prg(Role.P2), bs);
            final MemorySegment c = p.role() == Role.P0 ? Party.randomLongs(arena, p.prg(Role.P2), cs) : Party.longs(arena, cs);
            return new MemorySegment[]{a, b, c};
        }
        final MemorySegment a = Party.randomLongs(arena, p.prg(Role.P0), as);
        final MemorySegment b = Party.randomLongs(arena, p.prg(Role.P0), bs);
        final MemorySegment c0 = Party.randomLongs(arena, p.prg(Role.P0), cs);
        p.kernels().ring().add(a, Party.randomLongs(arena, p.prg(Role.P1), as), a, as);
        p.kernels().ring().add(b, Party.randomLongs(arena, p.prg(Role.P1), bs), b, bs);
        return new MemorySegment[]{a, b, c0};
    }

    /** P0 and P1 exchange X_j − A_j and Y_j − B_j in one message each way; returns the opened [E | F]. */
    private static MemorySegment open(final Party p, final Arena arena, final MemorySegment x, final MemorySegment a,
        final long xs, final MemorySegment y, final MemorySegment b, final long ys)
    {
        final RingOps ring = p.kernels().ring();
        final MemorySegment mine = Party.longs(arena, xs + ys);
        ring.sub(x, a, mine, xs);
        ring.sub(y, b, mine.asSlice(xs * Long.BYTES), ys);
        final Role other = p.role() == Role.P0 ? Role.P1 : Role.P0;
        final MemorySegment theirs = Party.longs(arena, xs + ys);
        p.send(other, Step.MATMUL_OPEN, mine);
        p.receive(other, Step.MATMUL_OPEN, theirs);
        ring.add(mine, theirs, mine, xs + ys);
        return mine;
    }
}
