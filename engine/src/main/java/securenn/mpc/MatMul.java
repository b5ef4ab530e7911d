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
 *   P0:      Z_0 = A_0·F + E·(B_0 + F) + C_0    (or (A_0 + E)·F + E·B_0: the addition on the smaller operand)
 *   P1:      Z_1 = A_1·F + E·B_1 + C_1          (Σ Z_j = AF + EB + EF + AB = (A + E)(B + F) = XY)
 * </pre>
 * One round (P2's message travels alongside the P0↔P1 exchange). Bytes: P0→P1 and P1→P0 each (mk + kn)·8,
 * P2→P1 mn·8 — the paper's (2mk + 2kn + mn)ℓ.
 *
 * <p>The opening and the product are separate steps ({@link #open}, then {@link #multiply(Party, Factor, Transpose,
 * Factor, Transpose, MemorySegment, int, int, int)}), so a matrix opened once is a factor of every later product it
 * enters: training opens a layer's input and weights in the forward pass and δ once in backprop, and its three
 * products cost only P2's corrections beyond that. A convolution opens its input, not its k²-fold larger column
 * matrix ({@link Factor#im2col}). {@link #hadamard} is the element-wise product (n-element vectors: 2n·8 each way and
 * n·8 from P2).
 */
public final class MatMul
{
    private MatMul()
    {
    }

    /**
     * Shares of Z = op(X)·op(Y) (m×k times k×n) into {@code z}; P2 passes null for x, y and z. Transposed operands
     * follow {@link Gemm}'s convention. Opens both operands ({@link #open}) and multiplies the factors.
     */
    public static void multiply(final Party p, final MemorySegment x, final Transpose tx, final MemorySegment y,
        final Transpose ty, final MemorySegment z, final int m, final int k, final int n)
    {
        try (Arena arena = p.scratch())
        {
            final Factor[] f = open(p, arena, new long[]{(long)m * k, (long)k * n}, x, y);
            multiply(p, f[0], tx, f[1], ty, z, m, k, n);
        }
    }

    /**
     * Shares of Z = op(X)·op(Y) from factors opened earlier: no opening, only P2's correction C1 = A·B − C0 (m·n
     * values to P1) travels. With X = A + E, Y = B + F, P0 adds E·F through the smaller operand:
     * <pre>
     *   P0:  Z_0 = (A_0 + E)·F + E·B_0 + C_0   or   A_0·F + E·(B_0 + F) + C_0
     *   P1:  Z_1 = A_1·F + E·B_1 + C_1
     *   Σ Z_j = A·F + E·B + E·F + A·B = (A + E)(B + F) = X·Y
     * </pre>
     * P2 passes null for z.
     */
    public static void multiply(final Party p, final Factor x, final Transpose tx, final Factor y, final Transpose ty,
        final MemorySegment z, final int m, final int k, final int n)
    {
        multiply(p, x, tx, y, ty, z, m, k, n, null);
    }

    /**
     * Shares of post(op(X)·op(Y)) into {@code z} for a public linear map (null: none): each party maps its share of
     * the product before adding its share of the mapped triple, so P2's correction has post's output size instead of
     * m·n (a convolution's input gradient through col2im: the input's size instead of the column matrix's, 11× fewer
     * values at network C's second layer).
     */
    public static void multiply(final Party p, final Factor x, final Transpose tx, final Factor y, final Transpose ty,
        final MemorySegment z, final int m, final int k, final int n, final LinearMap post)
    {
        final long xs = (long)m * k;
        final long ys = (long)k * n;
        final long zs = (long)m * n;
        final long outs = post == null ? zs : post.outputSize();
        final Gemm gemm = p.kernels().gemm();
        final RingOps ring = p.kernels().ring();
        try (Arena arena = p.scratch())
        {
            if (p.role() == Role.P2)
            {
                final MemorySegment c0 = Party.randomLongs(arena, p.prg(Role.P0), outs);
                MemorySegment c1 = Party.longsForOverwrite(arena, zs);
                gemm.multiply(x.mask(), tx, y.mask(), ty, c1, m, k, n, false, p.gemmThreads(xs * n));
                if (post != null)
                {
                    final MemorySegment mapped = Party.longsForOverwrite(arena, outs);
                    post.apply(c1, mapped);
                    c1 = mapped;
                }
                ring.sub(c1, c0, c1, outs);
                p.send(Role.P1, Step.MATMUL_TRIPLE, c1);
                return;
            }
            final MemorySegment c;
            MemorySegment left = x.mask();
            MemorySegment right = y.mask();
            if (p.role() == Role.P0)
            {
                c = Party.randomLongs(arena, p.prg(Role.P2), outs);
                if (xs <= ys)
                {
                    left = Party.longsForOverwrite(arena, xs);
                    ring.add(x.mask(), x.opened(), left, xs);
                }
                else
                {
                    right = Party.longsForOverwrite(arena, ys);
                    ring.add(y.mask(), y.opened(), right, ys);
                }
            }
            else
            {
                c = Party.longsForOverwrite(arena, outs);
                p.receive(Role.P2, Step.MATMUL_TRIPLE, c);
            }
            final MemorySegment product = post == null ? z : Party.longsForOverwrite(arena, zs);
            final int threads = p.gemmThreads(xs * n);
            gemm.multiply(left, tx, y.opened(), ty, product, m, k, n, false, threads);
            gemm.multiply(x.opened(), tx, right, ty, product, m, k, n, true, threads);
            if (post != null)
            {
                post.apply(product, z);
            }
            ring.add(z, c, z, outs);
        }
    }

    /**
     * Opens shared matrices as {@link Factor}s of later products, all in one message each way (one round): P0 and P1
     * draw their mask shares A_j from the stream each shares with P2 and exchange X_j − A_j; P2 draws both shares
     * (A = A_0 + A_1) and receives nothing. P2 passes null values. Bytes: 8 per element each way between P0 and P1.
     */
    public static Factor[] open(final Party p, final Arena arena, final long[] sizes, final MemorySegment... values)
    {
        final RingOps ring = p.kernels().ring();
        final Factor[] factors = new Factor[sizes.length];
        if (p.role() == Role.P2)
        {
            for (int i = 0; i < sizes.length; i++)
            {
                final MemorySegment a = Party.randomLongs(arena, p.prg(Role.P0), sizes[i]);
                try (Arena t = p.scratch())
                {
                    ring.add(a, Party.randomLongs(t, p.prg(Role.P1), sizes[i]), a, sizes[i]);
                }
                factors[i] = new Factor(a, null);
            }
            return factors;
        }
        long total = 0;
        for (final long size : sizes)
        {
            total += size;
        }
        final MemorySegment mine = Party.longsForOverwrite(arena, total);
        final MemorySegment[] masks = new MemorySegment[sizes.length];
        long at = 0;
        for (int i = 0; i < sizes.length; i++)
        {
            masks[i] = Party.randomLongs(arena, p.prg(Role.P2), sizes[i]);
            ring.sub(values[i], masks[i], mine.asSlice(at * Long.BYTES, sizes[i] * Long.BYTES), sizes[i]);
            at += sizes[i];
        }
        final Role other = p.role() == Role.P0 ? Role.P1 : Role.P0;
        try (Arena t = p.scratch())
        {
            final MemorySegment theirs = Party.longsForOverwrite(t, total);
            p.send(other, Step.MATMUL_OPEN, mine);
            p.receive(other, Step.MATMUL_OPEN, theirs);
            ring.add(mine, theirs, mine, total);
        }
        at = 0;
        for (int i = 0; i < sizes.length; i++)
        {
            factors[i] = new Factor(masks[i], mine.asSlice(at * Long.BYTES, sizes[i] * Long.BYTES));
            at += sizes[i];
        }
        return factors;
    }

    /** Element-wise product of two shared vectors of n elements into {@code z}; P2 passes nulls; z may be x or y. */
    public static void hadamard(final Party p, final MemorySegment x, final MemorySegment y, final MemorySegment z,
        final long n)
    {
        hadamard(p, x, y, z, n, 1);
    }

    /**
     * z[t·n + i] = x[i]·y[t·n + i] for t &lt; copies: one vector of n elements times {@code copies} consecutive vectors,
     * x opened once for all of them (e.g. a selection bit applied to a value and its index). Bytes: (n + copies·n)·8
     * each way between P0 and P1, copies·n·8 from P2. P2 passes nulls; z may be x or y.
     */
    public static void hadamard(final Party p, final MemorySegment x, final MemorySegment y, final MemorySegment z,
        final long n, final int copies)
    {
        final long size = copies * n;
        final RingOps ring = p.kernels().ring();
        try (Arena arena = p.scratch())
        {
            final Factor[] f = open(p, arena, new long[]{n, size}, x, y);
            final MemorySegment a = f[0].mask();
            final MemorySegment e = f[0].opened();
            final MemorySegment c = p.role() == Role.P1 ? Party.longsForOverwrite(arena, size)
                : Party.randomLongs(arena, p.prg(p.role() == Role.P0 ? Role.P2 : Role.P0), size);
            if (p.role() == Role.P2)
            {
                final MemorySegment c1 = Party.longsForOverwrite(arena, size);
                for (int t = 0; t < copies; t++)
                {
                    ring.mul(a, slice(f[1].mask(), t, n), slice(c1, t, n), n);
                }
                ring.sub(c1, c, c1, size);
                p.send(Role.P1, Step.MATMUL_TRIPLE, c1);
                return;
            }
            if (p.role() == Role.P1)
            {
                p.receive(Role.P2, Step.MATMUL_TRIPLE, c);
            }
            // Z_j = A_j·F + E·B_j + C_j, and P0 adds E·F: (A_0 + E)·F
            MemorySegment left = a;
            if (p.role() == Role.P0)
            {
                left = Party.longsForOverwrite(arena, n);
                ring.add(a, e, left, n);
            }
            final MemorySegment t2 = Party.longsForOverwrite(arena, n);
            for (int t = 0; t < copies; t++)
            {
                final MemorySegment out = slice(z, t, n);
                ring.mul(left, slice(f[1].opened(), t, n), out, n);
                ring.mul(e, slice(f[1].mask(), t, n), t2, n);
                ring.add(out, t2, out, n);
            }
            ring.add(z, c, z, size);
        }
    }

    private static MemorySegment slice(final MemorySegment s, final int block, final long n)
    {
        return s.asSlice(block * n * Long.BYTES, n * Long.BYTES);
    }
}
