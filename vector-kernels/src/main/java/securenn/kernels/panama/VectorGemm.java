package securenn.kernels.panama;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;
import securenn.kernels.Gemm;
import securenn.kernels.Ring;
import securenn.kernels.Transpose;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;

/**
 * Mod-2^64 GEMM with the Vector API, in the outer-product form that keeps the 64-bit multiplier busy.
 *
 * <p>Why this shape: a lane-wise 64-bit multiply ({@code vpmullq}) is the bottleneck, so the kernel must issue one
 * per cycle-and-a-half without waiting on loads or cross-lane reductions. B is packed into k-major panels of
 * {@code NR = 3·lanes} columns (zero-padded, fixed stride: sequential loads, no masks) and A into panels of
 * {@code MR = 4} rows; the 4×3-vector micro-kernel broadcasts one element of A against three vectors of B and keeps
 * twelve accumulators in registers for the whole k loop, storing its tile of C once. Twelve accumulators (and no
 * masked operations) keep the method small enough for C1 to compile it, so it reliably reaches C2.
 *
 * <p>Edges are handled outside the micro-kernel: leftover rows use a 1×3-vector kernel, and a partial last panel
 * is computed into a scratch tile whose valid part is copied out. Thin products (m &lt; 4, B not transposed, such
 * as one image through a fully-connected layer) skip packing and stream B's rows directly.
 *
 * <p>On CPUs without a lane-wise 64-bit multiply ({@link CpuFeatures#laneMultiply64}: no AVX-512 DQ) the packed
 * products use {@link Mul32Gemm}'s 2×2-vector kernel of 32-bit multiplies instead. Where {@code vpmullq} exists but
 * is slow ({@link CpuFeatures#fastLaneMultiply64}: Intel) the 32-bit kernel also runs every product with
 * k ≥ {@link #HALVES_FROM_K}, and {@code vpmullq} the shallower ones, whose tiles cannot amortise the 32-bit kernel's
 * per-tile cross-term work. A throwaway probe on a 2-core Intel Xeon (AVX-512, 2026-12-02; one JVM per kernel,
 * ms per product, best of 4 s, vpmullq / 32-bit halves), with the project's JVM flags (ParallelGC): 128×800×500
 * 14.6 / 13.9 and 14.5 / 13.5, 8192×500×50 78 / 52 and 71 / 65; with the default GC: 128×800×500 21.8 / 13.4 and
 * 18.4 / 10.9, 8192×500×50 101 / 70 and 89 / 49, 500×50×8192 94 / 52 and 66 / 41, but 73728×25×20 10.2 / 20.3 and
 * 10.4 / 20.8. The JMH means of `bin/bench kernels --quick` on that noisy host did not separate them. The policy is
 * fixed at construction and named by {@link #choices()}; thin products keep {@code LongVector.mul} on every CPU.
 */
final class VectorGemm implements Gemm
{
    private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 4;
    private static final int NR = 3 * L;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Row blocks of A the 32-bit kernel packs at a time: 128 rows, 800 KiB at k = 800 (bounded scratch). */
    private static final int CHUNK32 = 64;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Where {@code vpmullq} is slow, the depth from which the 32-bit kernel runs the packed products. */
    static final int HALVES_FROM_K = 32;

    /**
     * Packed products with k at least this take {@link Mul32Gemm}'s kernel: 0 always (no {@code vpmullq} on this CPU),
     * MAX_VALUE never.
     */
    private final int halvesFromK;

    /** The kernels for this CPU: {@code LongVector.mul} only where it is one fast instruction (see the class comment). */
    VectorGemm()
    {
        this(!CpuFeatures.laneMultiply64() ? 0 : CpuFeatures.fastLaneMultiply64() ? Integer.MAX_VALUE : HALVES_FROM_K);
    }

    /** With the micro-kernel forced (tests run both on every CPU: they must agree with the scalar twin). */
    VectorGemm(final boolean laneMultiply64)
    {
        this(laneMultiply64 ? Integer.MAX_VALUE : 0);
    }

    private VectorGemm(final int halvesFromK)
    {
        this.halvesFromK = halvesFromK;
    }

    @Override
    public String choices()
    {
        if (halvesFromK == 0)
        {
            return "GEMM multiplies with 32-bit halves (vpmuludq + vpmulld; no vpmullq on this CPU: LongVector.mul would "
                + "be emulated)";
        }
        return halvesFromK == Integer.MAX_VALUE ? "GEMM multiplies with 64-bit lanes (vpmullq)"
            : "GEMM multiplies with 32-bit halves (vpmuludq + vpmulld) for k >= " + halvesFromK
                + ", 64-bit lanes (vpmullq) below (vpmullq is 3 µops on this CPU)";
    }

    @Override
    public void multiply(
        final MemorySegment a, final Transpose ta, final MemorySegment b, final Transpose tb, final MemorySegment c,
        final int m, final int k, final int n, final boolean accumulate, final int threads)
    {
        Gemm.check(a, ta, b, tb, c, m, k, n, threads);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0)
        {
            if (!accumulate)
            {
                c.asSlice(0, (long)m * n * Long.BYTES).fill((byte)0);
            }
            return;
        }
        if (m < MR && tb == Transpose.NO)
        {
            for (int i = 0; i < m; i++)
            {
                thinRow(a, ta, b, c, i, m, k, n, accumulate);
            }
            return;
        }
        if (threads > 1 && !(Gemm.readableByOtherThreads(a) && Gemm.readableByOtherThreads(c)))
        {
            // pool threads read A (packed per row block) and write C; B is packed on this thread into a heap array
            final Scratch scratch = SCRATCH.get();
            final long cBytes = (long)m * n * Long.BYTES;
            final MemorySegment sa = scratch.stagedA((long)m * k);
            final MemorySegment sc = scratch.stagedC((long)m * n);
            MemorySegment.copy(a, 0, sa, 0, sa.byteSize());
            if (accumulate)
            {
                MemorySegment.copy(c, 0, sc, 0, cBytes);
            }
            multiply(sa, ta, b, tb, sc, m, k, n, accumulate, threads);
            MemorySegment.copy(sc, 0, c, 0, cBytes);
            return;
        }
        if (accumulate)
        {
            // C += A·B as a plain product into a scratch buffer and one vector add: keeping the accumulate branch out
            // of the micro-kernel's profile matters — with both branches taken, the kernel ran at 1.7 GMAC/s instead
            // of 7–10 (measured on network C's shapes; secure MatMul accumulates its second product)
            final MemorySegment product = SCRATCH.get().product((long)m * n);
            multiply(a, ta, b, tb, product, m, k, n, false, threads);
            addInto(c, product, (long)m * n);
            return;
        }
        final boolean mul32 = k >= halvesFromK;
        final int nr = mul32 ? Mul32Gemm.NR : NR;
        final int panels = (n + nr - 1) / nr;
        final Scratch scratch = SCRATCH.get();
        final long[] packedB = scratch.packB((long)panels * k * nr);
        if (mul32)
        {
            Mul32Gemm.packB(b, tb, k, n, packedB);
        }
        else
        {
            packB(b, tb, k, n, packedB);
        }
        final int rowBlocks = (m + rows(mul32) - 1) / rows(mul32);
        final int workers = Math.min(threads, Math.max(rowBlocks, panels));
        if (workers <= 1)
        {
            blockRange(a, ta, packedB, c, m, k, n, accumulate, mul32, 0, rowBlocks, 0, panels);
            return;
        }
        parallel(a, ta, packedB, c, m, k, n, accumulate, mul32, rowBlocks, panels, workers);
    }

    private static int rows(final boolean mul32)
    {
        return mul32 ? Mul32Gemm.MR : MR;
    }

    private static void parallel(
        final MemorySegment a, final Transpose ta, final long[] packedB, final MemorySegment c,
        final int m, final int k, final int n, final boolean accumulate, final boolean mul32, final int rowBlocks,
        final int panels, final int workers)
    {
        final boolean byRows = rowBlocks >= panels;
        final int units = byRows ? rowBlocks : panels;
        final CompletableFuture<?>[] pending = new CompletableFuture<?>[workers - 1];
        for (int w = 1; w < workers; w++)
        {
            final int from = (int)((long)units * w / workers);
            final int to = (int)((long)units * (w + 1) / workers);
            pending[w - 1] = CompletableFuture.runAsync(() -> run(a, ta, packedB, c, m, k, n, accumulate,
                mul32, byRows, from, to, rowBlocks, panels), KernelThreads.pool(workers - 1));
        }
        run(a, ta, packedB, c, m, k, n, accumulate, mul32, byRows, 0, units / workers, rowBlocks, panels);
        CompletableFuture.allOf(pending).join();
    }

    private static void run(
        final MemorySegment a, final Transpose ta, final long[] packedB, final MemorySegment c,
        final int m, final int k, final int n, final boolean accumulate, final boolean mul32, final boolean byRows,
        final int from, final int to, final int rowBlocks, final int panels)
    {
        if (byRows)
        {
            blockRange(a, ta, packedB, c, m, k, n, accumulate, mul32, from, to, 0, panels);
        }
        else
        {
            blockRange(a, ta, packedB, c, m, k, n, accumulate, mul32, 0, rowBlocks, from, to);
        }
    }

    /** Computes the C tiles of row blocks [rb0, rb1) × panels [p0, p1). */
    private static void blockRange(
        final MemorySegment a, final Transpose ta, final long[] packedB, final MemorySegment c,
        final int m, final int k, final int n, final boolean accumulate, final boolean mul32,
        final int rb0, final int rb1, final int p0, final int p1)
    {
        if (mul32)
        {
            blockRange32(a, ta, packedB, c, m, k, n, accumulate, rb0, rb1, p0, p1);
            return;
        }
        final Scratch scratch = SCRATCH.get();
        final long[] packedA = scratch.packA((long)MR * k);
        final long[] tile = scratch.tile;
        for (int rb = rb0; rb < rb1; rb++)
        {
            final int i0 = rb * MR;
            final int rows = Math.min(MR, m - i0);
            packA(a, ta, m, k, i0, rows, packedA);
            for (int p = p0; p < p1; p++)
            {
                final int j0 = p * NR;
                final int cols = Math.min(NR, n - j0);
                final int bOff = p * k * NR;
                if (rows == MR && cols == NR)
                {
                    kernel4x3(packedA, packedB, bOff, k, c, (long)i0 * n + j0, n, accumulate);
                }
                else
                {
                    edgeTile(packedA, packedB, bOff, k, rows, tile);
                    storeTile(tile, c, i0, j0, rows, cols, n, accumulate);
                }
            }
        }
    }

    /**
     * {@link #blockRange} with {@link Mul32Gemm}'s 2×2-vector kernel. Up to {@link #CHUNK32} row blocks of A are
     * packed at a time and the panels are the outer loop over them, so one panel of B (k·NR longs: 50 KiB at k = 800)
     * stays in L2 while every row block of the chunk passes over it; partial tiles are combined element by element.
     */
    private static void blockRange32(
        final MemorySegment a, final Transpose ta, final long[] packedB, final MemorySegment c,
        final int m, final int k, final int n, final boolean accumulate,
        final int rb0, final int rb1, final int p0, final int p1)
    {
        for (int from = rb0; from < rb1; from += CHUNK32)
        {
            final int to = Math.min(rb1, from + CHUNK32);
            final long[] packedA = SCRATCH.get().packA((long)(to - from) * Mul32Gemm.MR * k);
            Mul32Gemm.packA(a, ta, m, k, from, to, packedA);
            chunk32(packedA, packedB, c, m, k, n, accumulate, from, to, p0, p1);
        }
    }

    /** The tiles of row blocks [rb0, rb1) (packed A from rb0) × panels [p0, p1), panels outer. */
    private static void chunk32(final long[] packedA, final long[] packedB, final MemorySegment c, final int m,
        final int k, final int n, final boolean accumulate, final int rb0, final int rb1, final int p0, final int p1)
    {
        final int mr = Mul32Gemm.MR;
        final int nr = Mul32Gemm.NR;
        final Scratch scratch = SCRATCH.get();
        final long[] lo = scratch.lo32;
        final int[] cross = scratch.cross32;
        final long rowBytes = (long)n * Long.BYTES;
        for (int p = p0; p < p1; p++)
        {
            final int j0 = p * nr;
            final int cols = Math.min(nr, n - j0);
            final int bOff = p * k * nr;
            for (int rb = rb0; rb < rb1; rb++)
            {
                final int i0 = rb * mr;
                final int rows = Math.min(mr, m - i0);
                Mul32Gemm.kernel2x2(packedA, (rb - rb0) * mr * k, packedB, bOff, k, lo, cross);
                if (rows == mr && cols == nr && !accumulate)
                {
                    Mul32Gemm.store(lo, cross, c, ((long)i0 * n + j0) * Long.BYTES, rowBytes);
                }
                else
                {
                    storeTile32(lo, cross, c, i0, j0, rows, cols, n, accumulate);
                }
            }
        }
    }

    /** Copies the valid rows × cols of a {@link Mul32Gemm#kernel2x2} tile into C, or adds them. */
    private static void storeTile32(final long[] lo, final int[] cross, final MemorySegment c, final int i0,
        final int j0, final int rows, final int cols, final int n, final boolean accumulate)
    {
        for (int r = 0; r < rows; r++)
        {
            final long base = (long)(i0 + r) * n + j0;
            for (int j = 0; j < cols; j++)
            {
                final long v = Mul32Gemm.value(lo, cross, r, j);
                c.setAtIndex(Ring.LONG, base + j, accumulate ? c.getAtIndex(Ring.LONG, base + j) + v : v);
            }
        }
    }

    /** The 4×NR micro-kernel: twelve accumulators, one broadcast of A against three vectors of B per step. */
    private static void kernel4x3(
        final long[] pa, final long[] pb, final int bStart, final int k, final MemorySegment c, final long cIndex,
        final int ldc, final boolean accumulate)
    {
        LongVector c00 = LongVector.zero(S), c01 = LongVector.zero(S), c02 = LongVector.zero(S);
        LongVector c10 = LongVector.zero(S), c11 = LongVector.zero(S), c12 = LongVector.zero(S);
        LongVector c20 = LongVector.zero(S), c21 = LongVector.zero(S), c22 = LongVector.zero(S);
        LongVector c30 = LongVector.zero(S), c31 = LongVector.zero(S), c32 = LongVector.zero(S);
        int bo = bStart;
        int ao = 0;
        for (int p = 0; p < k; p++, bo += NR, ao += MR)
        {
            final LongVector b0 = LongVector.fromArray(S, pb, bo);
            final LongVector b1 = LongVector.fromArray(S, pb, bo + L);
            final LongVector b2 = LongVector.fromArray(S, pb, bo + 2 * L);
            LongVector av = LongVector.broadcast(S, pa[ao]);
            c00 = av.mul(b0).add(c00);
            c01 = av.mul(b1).add(c01);
            c02 = av.mul(b2).add(c02);
            av = LongVector.broadcast(S, pa[ao + 1]);
            c10 = av.mul(b0).add(c10);
            c11 = av.mul(b1).add(c11);
            c12 = av.mul(b2).add(c12);
            av = LongVector.broadcast(S, pa[ao + 2]);
            c20 = av.mul(b0).add(c20);
            c21 = av.mul(b1).add(c21);
            c22 = av.mul(b2).add(c22);
            av = LongVector.broadcast(S, pa[ao + 3]);
            c30 = av.mul(b0).add(c30);
            c31 = av.mul(b1).add(c31);
            c32 = av.mul(b2).add(c32);
        }
        final long row = (long)ldc * Long.BYTES;
        final long base = cIndex * Long.BYTES;
        storeRow(c, base, c00, c01, c02, accumulate);
        storeRow(c, base + row, c10, c11, c12, accumulate);
        storeRow(c, base + 2 * row, c20, c21, c22, accumulate);
        storeRow(c, base + 3 * row, c30, c31, c32, accumulate);
    }

    private static void storeRow(
        final MemorySegment c, final long offset, final LongVector v0, final LongVector v1, final LongVector v2,
        final boolean accumulate)
    {
        final long w = (long)L * Long.BYTES;
        if (accumulate)
        {
            v0.add(LongVector.fromMemorySegment(S, c, offset, LE)).intoMemorySegment(c, offset, LE);
            v1.add(LongVector.fromMemorySegment(S, c, offset + w, LE)).intoMemorySegment(c, offset + w, LE);
            v2.add(LongVector.fromMemorySegment(S, c, offset + 2 * w, LE)).intoMemorySegment(c, offset + 2 * w, LE);
        }
        else
        {
            v0.intoMemorySegment(c, offset, LE);
            v1.intoMemorySegment(c, offset + w, LE);
            v2.intoMemorySegment(c, offset + 2 * w, LE);
        }
    }

    /** A partial tile: each valid row through the 1×NR kernel into {@code tile} (MR rows of NR). */
    private static void edgeTile(final long[] pa, final long[] pb, final int bStart, final int k, final int rows,
        final long[] tile)
    {
        for (int r = 0; r < rows; r++)
        {
            LongVector c0 = LongVector.zero(S), c1 = LongVector.zero(S), c2 = LongVector.zero(S);
            int bo = bStart;
            for (int p = 0, ao = r; p < k; p++, bo += NR, ao += MR)
            {
                final LongVector av = LongVector.broadcast(S, pa[ao]);
                c0 = av.mul(LongVector.fromArray(S, pb, bo)).add(c0);
                c1 = av.mul(LongVector.fromArray(S, pb, bo + L)).add(c1);
                c2 = av.mul(LongVector.fromArray(S, pb, bo + 2 * L)).add(c2);
            }
            c0.intoArray(tile, r * NR);
            c1.intoArray(tile, r * NR + L);
            c2.intoArray(tile, r * NR + 2 * L);
        }
    }

    private static void storeTile(final long[] tile, final MemorySegment c, final int i0, final int j0, final int rows,
        final int cols, final int n, final boolean accumulate)
    {
        for (int r = 0; r < rows; r++)
        {
            final long base = (long)(i0 + r) * n + j0;
            for (int j = 0; j < cols; j++)
            {
                final long v = tile[r * NR + j];
                c.setAtIndex(Ring.LONG, base + j, accumulate ? c.getAtIndex(Ring.LONG, base + j) + v : v);
            }
        }
    }

    /** Packs B (k×n logical) into ⌈n/NR⌉ panels of k rows × NR columns, zero-padded. */
    private static void packB(final MemorySegment b, final Transpose tb, final int k, final int n, final long[] out)
    {
        final int panels = (n + NR - 1) / NR;
        for (int p = 0; p < panels; p++)
        {
            final int j0 = p * NR;
            final int cols = Math.min(NR, n - j0);
            final int panel = p * k * NR;
            if (tb == Transpose.NO)
            {
                for (int r = 0; r < k; r++)
                {
                    MemorySegment.copy(b, Ring.LONG, ((long)r * n + j0) * Long.BYTES, out, panel + r * NR, cols);
                    if (cols < NR)
                    {
                        java.util.Arrays.fill(out, panel + r * NR + cols, panel + (r + 1) * NR, 0L);
                    }
                }
            }
            else
            {
                for (int r = 0; r < k; r++)
                {
                    final int dst = panel + r * NR;
                    for (int j = 0; j < cols; j++)
                    {
                        out[dst + j] = b.getAtIndex(Ring.LONG, (long)(j0 + j) * k + r);
                    }
                    if (cols < NR)
                    {
                        java.util.Arrays.fill(out, dst + cols, dst + NR, 0L);
                    }
                }
            }
        }
    }

    /** Packs rows [i0, i0 + rows) of A (m×k logical) k-major: out[p·MR + r] = A(i0 + r, p). */
    private static void packA(final MemorySegment a, final Transpose ta, final int m, final int k, final int i0,
        final int rows, final long[] out)
    {
        if (ta == Transpose.YES)
        {
            for (int p = 0; p < k; p++)
            {
                MemorySegment.copy(a, Ring.LONG, ((long)p * m + i0) * Long.BYTES, out, p * MR, rows);
            }
        }
        else
        {
            for (int r = 0; r < rows; r++)
            {
                final long rowStart = (long)(i0 + r) * k;
                for (int p = 0; p < k; p++)
                {
                    out[p * MR + r] = a.getAtIndex(Ring.LONG, rowStart + p);
                }
            }
        }
    }

    /** One row of C without packing: C[i,:] (+)= Σ_p A(i,p)·B[p,:], streaming the rows of B. */
    private static void thinRow(final MemorySegment a, final Transpose ta, final MemorySegment b, final MemorySegment c,
        final int i, final int m, final int k, final int n, final boolean accumulate)
    {
        final long cBase = (long)i * n * Long.BYTES;
        final long vb = (long)L * Long.BYTES;
        int j = 0;
        for (; j + NR <= n; j += NR)
        {
            LongVector c0 = LongVector.zero(S), c1 = LongVector.zero(S), c2 = LongVector.zero(S);
            for (int p = 0; p < k; p++)
            {
                final LongVector av = LongVector.broadcast(S, aAt(a, ta, i, p, m, k));
                final long off = ((long)p * n + j) * Long.BYTES;
                c0 = av.mul(LongVector.fromMemorySegment(S, b, off, LE)).add(c0);
                c1 = av.mul(LongVector.fromMemorySegment(S, b, off + vb, LE)).add(c1);
                c2 = av.mul(LongVector.fromMemorySegment(S, b, off + 2 * vb, LE)).add(c2);
            }
            storeRow(c, cBase + (long)j * Long.BYTES, c0, c1, c2, accumulate);
        }
        for (; j + L <= n; j += L)
        {
            LongVector c0 = LongVector.zero(S);
            for (int p = 0; p < k; p++)
            {
                final LongVector av = LongVector.broadcast(S, aAt(a, ta, i, p, m, k));
                c0 = av.mul(LongVector.fromMemorySegment(S, b, ((long)p * n + j) * Long.BYTES, LE)).add(c0);
            }
            final long off = cBase + (long)j * Long.BYTES;
            if (accumulate)
            {
                c0 = c0.add(LongVector.fromMemorySegment(S, c, off, LE));
            }
            c0.intoMemorySegment(c, off, LE);
        }
        for (; j < n; j++)
        {
            long sum = 0;
            for (int p = 0; p < k; p++)
            {
                sum += aAt(a, ta, i, p, m, k) * b.getAtIndex(Ring.LONG, (long)p * n + j);
            }
            final long idx = (long)i * n + j;
            c.setAtIndex(Ring.LONG, idx, accumulate ? c.getAtIndex(Ring.LONG, idx) + sum : sum);
        }
    }

    private static long aAt(final MemorySegment a, final Transpose ta, final int i, final int p, final int m, final int k)
    {
        return a.getAtIndex(Ring.LONG, ta == Transpose.YES ? (long)p * m + i : (long)i * k + p);
    }

    /** c[i] += x[i] for n longs. */
    private static void addInto(final MemorySegment c, final MemorySegment x, final long n)
    {
        final long vectors = n - n % L;
        long i = 0;
        for (; i < vectors; i += L)
        {
            final long at = i * Long.BYTES;
            LongVector.fromMemorySegment(S, c, at, LE).add(LongVector.fromMemorySegment(S, x, at, LE))
                .intoMemorySegment(c, at, LE);
        }
        for (; i < n; i++)
        {
            c.setAtIndex(Ring.LONG, i, c.getAtIndex(Ring.LONG, i) + x.getAtIndex(Ring.LONG, i));
        }
    }

    /** Per-thread packing buffers, grown on demand and reused: the steady state allocates nothing. */
    private static final class Scratch
    {
        final long[] tile = new long[MR * NR];
        /** The 32-bit kernel's tile: low products' sums and cross products' int sums. */
        final long[] lo32 = new long[Mul32Gemm.MR * Mul32Gemm.NR];
        final int[] cross32 = new int[2 * Mul32Gemm.MR * Mul32Gemm.NR];
        long[] a = new long[0];
        long[] b = new long[0];

        MemorySegment product = MemorySegment.NULL;
        MemorySegment stagedA = MemorySegment.NULL;
        MemorySegment stagedC = MemorySegment.NULL;

        /** An m·n product buffer (automatic arena: readable by the pool threads of a threaded product). */
        MemorySegment product(final long size)
        {
            product = grown(product, size);
            return product.asSlice(0, size * Long.BYTES);
        }

        /** A copy of a confined A for a threaded product (automatic arena, like {@link #product}). */
        MemorySegment stagedA(final long size)
        {
            stagedA = grown(stagedA, size);
            return stagedA.asSlice(0, size * Long.BYTES);
        }

        /** The C of a threaded product whose C is confined, copied back by the caller. */
        MemorySegment stagedC(final long size)
        {
            stagedC = grown(stagedC, size);
            return stagedC.asSlice(0, size * Long.BYTES);
        }

        private static MemorySegment grown(final MemorySegment current, final long longs)
        {
            return current.byteSize() >= longs * Long.BYTES ? current
                : java.lang.foreign.Arena.ofAuto().allocate(longs * Long.BYTES, 64);
        }

        long[] packA(final long size)
        {
            if (a.length < size)
            {
                a = new long[Math.toIntExact(size)];
            }
            return a;
        }

        long[] packB(final long size)
        {
            if (b.length < size)
            {
                b = new long[Math.toIntExact(size)];
            }
            return b;
        }
    }
}
