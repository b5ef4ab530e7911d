package securenn.mpc;

import org.junit.jupiter.api.Test;
import securenn.kernels.ConvShape;
import securenn.kernels.Im2Col;
import securenn.kernels.Kernels;
import securenn.kernels.Ring;
import securenn.kernels.Transpose;
import securenn.kernels.ZpOps;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Algorithms 1–5 against their plaintext definitions on random and edge inputs. */
class BuildingBlocksTest extends ProtocolTestBase
{
    static final long[] RING_EDGES = {0, 1, -1, 2, -2, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1};

    static long[] ringValues(final SplittableRandom rnd, final int n)
    {
        final long[] v = new long[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = i < RING_EDGES.length ? RING_EDGES[i] : rnd.nextLong();
        }
        return v;
    }

    @Test
    void matMulShouldEqualThePlaintextRingProductForEveryTranspose()
    {
        final long seed = 11;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int m = 300, k = 120, n = 350; // 105,000 outputs
        final SharedInput x = SharedInput.of(arena, ringValues(rnd, m * k), rnd);
        final SharedInput y = SharedInput.of(arena, ringValues(rnd, k * n), rnd);
        for (final Transpose tx : Transpose.values())
        {
            for (final Transpose ty : Transpose.values())
            {
                final long[] secure = runOpen(m * n, (p, out) -> MatMul.multiply(p, x.of(p), tx, y.of(p), ty, out, m, k, n));
                final MemorySegment px = longs((long)m * k);
                final MemorySegment py = longs((long)k * n);
                final MemorySegment pz = longs((long)m * n);
                MemorySegment.copy(x.values(), 0, px, Ring.LONG, 0, m * k);
                MemorySegment.copy(y.values(), 0, py, Ring.LONG, 0, k * n);
                Kernels.scalar().gemm().multiply(px, tx, py, ty, pz, m, k, n, false);
                assertEachEquals(pz.toArray(Ring.LONG), secure, seed, "MatMul " + tx + "/" + ty, null);
            }
        }
    }

    /**
     * Factors opened once serve several products (forward X·W, then Xᵀ·D and D·Wᵀ as backprop takes them), a
     * convolution's input factor maps to its column matrix, and a col2im post-map lands in the input's shape.
     */
    @Test
    void factorsOpenedOnceShouldServeEveryLaterProductExactly()
    {
        final long seed = 13;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int m = 37, k = 50, n = 29;
        final long[] xs = ringValues(rnd, m * k);
        final long[] ws = ringValues(rnd, k * n);
        final long[] ds = ringValues(rnd, m * n);
        final SharedInput x = SharedInput.of(arena, xs, rnd);
        final SharedInput w = SharedInput.of(arena, ws, rnd);
        final SharedInput d = SharedInput.of(arena, ds, rnd);
        final int total = m * n + k * n + m * k;
        final long[] secure = runOpen(total, (p, out) ->
        {
            final boolean h = p.role().holdsShares();
            final Factor[] xw = MatMul.open(p, arena, new long[]{(long)m * k, (long)k * n}, x.of(p), w.of(p));
            final Factor delta = MatMul.open(p, arena, new long[]{(long)m * n}, d.of(p))[0];
            MatMul.multiply(p, xw[0], Transpose.NO, xw[1], Transpose.NO, h ? out.asSlice(0, 8L * m * n) : null, m, k, n);
            MatMul.multiply(p, xw[0], Transpose.YES, delta, Transpose.NO, h ? out.asSlice(8L * m * n, 8L * k * n) : null, k, m, n);
            MatMul.multiply(p, delta, Transpose.NO, xw[1], Transpose.YES, h ? out.asSlice(8L * (m * n + k * n)) : null, m, n, k);
        });
        final MemorySegment px = segment(xs);
        final MemorySegment pw = segment(ws);
        final MemorySegment pd = segment(ds);
        final MemorySegment expected = longs(total);
        final var gemm = Kernels.scalar().gemm();
        gemm.multiply(px, Transpose.NO, pw, Transpose.NO, expected.asSlice(0, 8L * m * n), m, k, n, false);
        gemm.multiply(px, Transpose.YES, pd, Transpose.NO, expected.asSlice(8L * m * n, 8L * k * n), k, m, n, false);
        gemm.multiply(pd, Transpose.NO, pw, Transpose.YES, expected.asSlice(8L * (m * n + k * n)), m, n, k, false);
        assertEachEquals(expected.toArray(Ring.LONG), secure, seed, "X·W, Xᵀ·D, D·Wᵀ from three openings", null);

        // convolution: open the image, multiply by its column matrix; backward: col2im(Wᵀ·D) as a post-map
        final ConvShape shape = new ConvShape(3, 2, 9, 8, 3, 3, 1, 1);
        final int outC = 4;
        final long image = 3L * 2 * 9 * 8;
        final long[] img = ringValues(rnd, (int)image);
        final long[] filters = ringValues(rnd, outC * shape.patchSize());
        final long[] grads = ringValues(rnd, (int)(outC * shape.columns()));
        final SharedInput si = SharedInput.of(arena, img, rnd);
        final SharedInput sf = SharedInput.of(arena, filters, rnd);
        final SharedInput sg = SharedInput.of(arena, grads, rnd);
        final long conv = (long)outC * shape.columns();
        final long[] convSecure = runOpen((int)(conv + image), (p, out) ->
        {
            final boolean h = p.role().holdsShares();
            final Factor[] fi = MatMul.open(p, arena, new long[]{image, (long)outC * shape.patchSize()}, si.of(p), sf.of(p));
            final Factor cols = fi[0].im2col(arena, shape);
            MatMul.multiply(p, fi[1], Transpose.NO, cols, Transpose.NO, h ? out.asSlice(0, 8 * conv) : null, outC,
                shape.patchSize(), shape.columns());
            final Factor g = MatMul.open(p, arena, new long[]{conv}, sg.of(p))[0];
            MatMul.multiply(p, fi[1], Transpose.YES, g, Transpose.NO, h ? out.asSlice(8 * conv) : null, shape.patchSize(),
                outC, shape.columns(), LinearMap.col2im(shape));
        });
        final MemorySegment plainCols = longs((long)shape.patchSize() * shape.columns());
        Im2Col.im2col(shape, segment(img), plainCols);
        final MemorySegment expectedConv = longs(conv + image);
        gemm.multiply(segment(filters), Transpose.NO, plainCols, Transpose.NO, expectedConv.asSlice(0, 8 * conv), outC,
            shape.patchSize(), shape.columns(), false);
        final MemorySegment gradCols = longs((long)shape.patchSize() * shape.columns());
        gemm.multiply(segment(filters), Transpose.YES, segment(grads), Transpose.NO, gradCols, shape.patchSize(), outC,
            shape.columns(), false);
        Im2Col.col2imAdd(shape, gradCols, expectedConv.asSlice(8 * conv));
        assertEachEquals(expectedConv.toArray(Ring.LONG), convSecure, seed, "W·im2col(X) and col2im(Wᵀ·G) from factors", null);
    }

    private MemorySegment segment(final long[] values)
    {
        final MemorySegment s = longs(values.length);
        MemorySegment.copy(values, 0, s, Ring.LONG, 0, values.length);
        return s;
    }

    @Test
    void hadamardOfOneVectorWithSeveralShouldEqualPlaintext()
    {
        final long seed = 14;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int n = 10_000, copies = 3;
        final long[] xs = ringValues(rnd, n);
        final long[] ys = ringValues(rnd, n * copies);
        final SharedInput x = SharedInput.of(arena, xs, rnd);
        final SharedInput y = SharedInput.of(arena, ys, rnd);
        final long[] product = runOpen(n * copies, (p, out) -> MatMul.hadamard(p, x.of(p), y.of(p), out, n, copies));
        for (int i = 0; i < n * copies; i++)
        {
            assertThat(product[i]).as("seed %d product %d", seed, i).isEqualTo(xs[i % n] * ys[i]);
        }
    }

    @Test
    void hadamardAndSelectShareShouldEqualPlaintext()
    {
        final long seed = 12;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int n = 100_000;
        final long[] xs = ringValues(rnd, n);
        final long[] ys = ringValues(rnd, n);
        final long[] bits = new long[n];
        for (int i = 0; i < n; i++)
        {
            bits[i] = rnd.nextInt(2);
        }
        final SharedInput x = SharedInput.of(arena, xs, rnd);
        final SharedInput y = SharedInput.of(arena, ys, rnd);
        final SharedInput b = SharedInput.of(arena, bits, rnd);
        final long[] product = runOpen(n, (p, out) -> MatMul.hadamard(p, x.of(p), y.of(p), out, n));
        final long[] selected = runOpen(n, (p, out) -> SelectShare.select(p, b.of(p), x.of(p), y.of(p), out, n));
        for (int i = 0; i < n; i++)
        {
            assertThat(product[i]).as("seed %d product %d", seed, i).isEqualTo(xs[i] * ys[i]);
            assertThat(selected[i]).as("seed %d select %d", seed, i).isEqualTo(bits[i] == 0 ? xs[i] : ys[i]);
        }
    }

    /** P2 learns β ⊕ (x > r), including x = r, neighbours, the extremes and the r = 2^64 − 1, β = 1 corner. */
    @Test
    void privateCompareShouldGiveP2TheMaskedComparison()
    {
        final long seed = 13;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int n = 100_000;
        final long[] xs = new long[n];
        final MemorySegment r = longs(n);
        final MemorySegment beta = bytes(n);
        final MemorySegment bits0 = bytes(n * 64L);
        final MemorySegment bits1 = bytes(n * 64L);
        for (int e = 0; e < n; e++)
        {
            final long x = e < RING_EDGES.length ? RING_EDGES[e] : rnd.nextLong();
            final long rv = switch (e % 6)
            {
                case 0 -> x;
                case 1 -> x - 1;
                case 2 -> x + 1;
                case 3 -> -1L; // r = 2^64 − 1: with β = 1 the corner case
                case 4 -> RING_EDGES[rnd.nextInt(RING_EDGES.length)];
                default -> rnd.nextLong();
            };
            xs[e] = x;
            r.setAtIndex(Ring.LONG, e, rv);
            beta.set(Ring.BYTE, e, (byte)rnd.nextInt(2));
            for (int i = 0; i < 64; i++)
            {
                final int share = rnd.nextInt(Ring.P);
                bits0.set(Ring.BYTE, e * 64L + i, (byte)share);
                bits1.set(Ring.BYTE, e * 64L + i, (byte)ZpOps.sub((int)((x >>> i) & 1), share));
            }
        }
        final List<MemorySegment> out = session.run(p ->
        {
            switch (p.role())
            {
                case P0 -> PrivateCompare.run(p, bits0, r, beta, null, n);
                case P1 -> PrivateCompare.run(p, bits1, r, beta, null, n);
                case P2 ->
                {
                    final MemorySegment bp = bytes(n);
                    PrivateCompare.run(p, null, null, null, bp, n);
                    return bp;
                }
            }
            return null;
        });
        for (int e = 0; e < n; e++)
        {
            final boolean greater = Long.compareUnsigned(xs[e], r.getAtIndex(Ring.LONG, e)) > 0;
            assertThat(out.get(2).get(Ring.BYTE, e)).as("seed %d element %d x=%s r=%s β=%d", seed, e,
                Long.toUnsignedString(xs[e]), Long.toUnsignedString(r.getAtIndex(Ring.LONG, e)), beta.get(Ring.BYTE, e))
                .isEqualTo((byte)(beta.get(Ring.BYTE, e) ^ (greater ? 1 : 0)));
        }
    }

    /** Shares over Z_L of any a ≠ L − 1 become shares over Z_{L−1} of the same integer. */
    @Test
    void shareConvertShouldPreserveTheValue()
    {
        final long seed = 14;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int n = 100_000;
        final long[] values = ringValues(rnd, n);
        for (int i = 0; i < n; i++)
        {
            if (values[i] == -1L)
            {
                values[i] = -2L; // L − 1 is outside ShareConvert's domain; L − 2 is its largest input
            }
        }
        final SharedInput a = SharedInput.of(arena, values, rnd);
        final List<MemorySegment> outs = session.run(p ->
        {
            final MemorySegment out = p.role().holdsShares() ? longs(n) : null;
            ShareConvert.run(p, a.of(p), out, n);
            return out;
        });
        assertEachEquals(values, SharedInput.openOdd(outs, n), seed, "ShareConvert", values);
    }

    @Test
    void computeMsbShouldGiveTheTopBitOfAnOddRingValue()
    {
        final long seed = 15;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int n = 100_000;
        final long[] values = ringValues(rnd, n);
        final MemorySegment s0 = longs(n);
        final MemorySegment s1 = longs(n);
        final long[] expected = new long[n];
        for (int i = 0; i < n; i++)
        {
            if (values[i] == -1L)
            {
                values[i] = -2L;
            }
            long share = rnd.nextLong();
            while (share == -1L)
            {
                share = rnd.nextLong();
            }
            s0.setAtIndex(Ring.LONG, i, share);
            s1.setAtIndex(Ring.LONG, i, securenn.kernels.CompareOps.subOdd(values[i], share));
            expected[i] = values[i] >>> 63;
        }
        final long[] msb = runOpen(n, (p, out) -> ComputeMsb.run(p, p.role() == Role.P0 ? s0 : p.role() == Role.P1 ? s1 : null, out, n));
        assertEachEquals(expected, msb, seed, "ComputeMSB", values);
    }
}
