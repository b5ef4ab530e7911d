package securenn.mpc;

import org.junit.jupiter.api.Test;
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
