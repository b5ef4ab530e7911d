package securenn.mpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import securenn.kernels.Ring;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** DReLU, ReLU, Division, MaxPool, its derivative and truncation against their plaintext twins. */
class MainProtocolsTest extends ProtocolTestBase
{
    /** The supported range of DReLU and ReLU inputs: |a| &lt; 2^62. */
    static final long LIMIT = (1L << 62) - 1;
    static final long[] EDGES = {0, 1, -1, 2, -2, LIMIT, -LIMIT, LIMIT - 1, -LIMIT + 1, 1L << 40, -(1L << 40)};

    static long[] rangeValues(final SplittableRandom rnd, final int n)
    {
        final long[] v = new long[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = i < EDGES.length ? EDGES[i] : switch (i % 3)
            {
                case 0 -> rnd.nextLong() >> 2;                    // full supported range
                case 1 -> rnd.nextLong() >> 40;                   // typical activations
                default -> rnd.nextInt(5) - 2;                    // around zero
            };
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(DRelu.Method.class)
    void dReluShouldBeOneForNonNegativeInputs(final DRelu.Method method)
    {
        useDRelu(method);
        final long seed = 21;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int n = 100_000;
        final long[] values = rangeValues(rnd, n);
        final SharedInput a = SharedInput.of(arena, values, rnd);
        final long[] secure = runOpen(n, (p, out) -> DRelu.run(p, a.of(p), out, n));
        final long[] expected = new long[n];
        for (int i = 0; i < n; i++)
        {
            expected[i] = values[i] >= 0 ? 1 : 0;
        }
        assertEachEquals(expected, secure, seed, "DReLU " + method, values);
    }

    /**
     * The one-comparison DReLU is exact on all of Z_L: the extremes ±2^63, values either side of every power of two
     * (where c′ = c mod 2^63 and r′ meet the borrow's corner cases for some masks), and uniform 64-bit values.
     */
    @Test
    void oneCompareDReluShouldBeExactOnTheWholeRing()
    {
        useDRelu(DRelu.Method.ONE_COMPARE);
        final long seed = 24;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int n = 50_000;
        final long[] values = new long[n];
        int i = 0;
        for (final long e : new long[]{Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, 0, -1, 1})
        {
            values[i++] = e;
        }
        for (int bit = 0; bit < 64; bit++)
        {
            values[i++] = 1L << bit;
            values[i++] = (1L << bit) - 1;
            values[i++] = -(1L << bit);
            values[i++] = -(1L << bit) - 1;
        }
        while (i < n)
        {
            values[i++] = rnd.nextLong();
        }
        final SharedInput a = SharedInput.of(arena, values, rnd);
        final long[] secure = runOpen(n, (p, out) -> DRelu.run(p, a.of(p), out, n));
        final long[] expected = new long[n];
        for (int k = 0; k < n; k++)
        {
            expected[k] = values[k] >= 0 ? 1 : 0;
        }
        assertEachEquals(expected, secure, seed, "DReLU ONE_COMPARE", values);
    }

    @Test
    void reluShouldEqualMaxOfZeroAndItsDerivativeShouldBeReturned()
    {
        final long seed = 22;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int n = 100_000;
        final long[] values = rangeValues(rnd, n);
        final SharedInput a = SharedInput.of(arena, values, rnd);
        final List<MemorySegment[]> outs = session.run(p ->
        {
            final MemorySegment out = p.role().holdsShares() ? longs(n) : null;
            final MemorySegment d = p.role().holdsShares() ? longs(n) : null;
            Relu.run(p, a.of(p), out, d, n);
            return new MemorySegment[]{out, d};
        });
        final long[] relu = SharedInput.open(List.of(outs.get(0)[0], outs.get(1)[0]), n);
        final long[] deriv = SharedInput.open(List.of(outs.get(0)[1], outs.get(1)[1]), n);
        for (int i = 0; i < n; i++)
        {
            assertThat(relu[i]).as("seed %d ReLU(%d)", seed, values[i]).isEqualTo(Math.max(0, values[i]));
            assertThat(deriv[i]).as("seed %d ReLU'(%d)", seed, values[i]).isEqualTo(values[i] >= 0 ? 1 : 0);
        }
    }

    @Test
    void divisionShouldComputeTheQuotientToFBits()
    {
        final long seed = 23;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int n = 20_000;
        final int f = 13;
        final long[] xs = new long[n];
        final long[] ys = new long[n];
        for (int i = 0; i < n; i++)
        {
            final long y = i == 0 ? 1 : i == 1 ? (1L << 47) : 1 + rnd.nextLong(1L << (1 + rnd.nextInt(46)));
            ys[i] = y;
            xs[i] = i % 10 == 0 ? y : i % 10 == 1 ? 0 : rnd.nextLong(y + 1);
        }
        final SharedInput x = SharedInput.of(arena, xs, rnd);
        final SharedInput y = SharedInput.of(arena, ys, rnd);
        final long[] secure = runOpen(n, (p, out) -> Division.run(p, x.of(p), y.of(p), out, f, n));
        final long[] expected = new long[n];
        for (int i = 0; i < n; i++)
        {
            expected[i] = Math.min(java.math.BigInteger.valueOf(xs[i]).shiftLeft(f).divide(java.math.BigInteger.valueOf(ys[i]))
                .longValueExact(), (1L << f) - 1);
        }
        assertEachEquals(expected, secure, seed, "Division", xs);
    }

    @Test
    void maxPoolShouldReturnTheMaximumAndItsLastIndex()
    {
        for (final int poolSize : new int[]{4, 9, 16, 2, 1, 5})
        {
            final long seed = 24 + poolSize;
            final SplittableRandom rnd = new SplittableRandom(seed);
            final int groups = 300_000 / poolSize; // level buffers over ScratchMemory.SMALL: served unzeroed from blocks
            final long[] values = new long[groups * poolSize];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = rnd.nextInt(4) == 0 ? rnd.nextInt(3) - 1 : rnd.nextLong() >> 3; // many ties near 0
            }
            final SharedInput x = SharedInput.of(arena, values, rnd);
            final SharedInput dirt = SharedInput.of(arena, rnd.longs(values.length).toArray(), rnd);
            final List<MemorySegment[]> outs = session.run(p ->
            {
                final MemorySegment max = p.role().holdsShares() ? longs(groups) : null;
                final MemorySegment idx = p.role().holdsShares() ? longs(groups) : null;
                // a first call leaves other shares in the scratch blocks: the checked one must not read any of them
                MaxPool.run(p, dirt.of(p), p.role().holdsShares() ? longs(groups) : null,
                    p.role().holdsShares() ? longs(groups) : null, groups, poolSize);
                MaxPool.run(p, x.of(p), max, idx, groups, poolSize);
                return new MemorySegment[]{max, idx};
            });
            final long[] max = SharedInput.open(List.of(outs.get(0)[0], outs.get(1)[0]), groups);
            final long[] idx = SharedInput.open(List.of(outs.get(0)[1], outs.get(1)[1]), groups);
            for (int g = 0; g < groups; g++)
            {
                long best = values[g * poolSize];
                int at = 0;
                for (int i = 1; i < poolSize; i++)
                {
                    if (values[g * poolSize + i] >= best)
                    {
                        best = values[g * poolSize + i];
                        at = i;
                    }
                }
                assertThat(max[g]).as("seed %d pool %d group %d max", seed, poolSize, g).isEqualTo(best);
                assertThat(idx[g]).as("seed %d pool %d group %d index", seed, poolSize, g).isEqualTo(at);
            }
        }
    }

    @Test
    void maxPoolDerivativeShouldBeTheOneHotOfTheIndex()
    {
        for (final int poolSize : new int[]{4, 16, 1})
        {
            final long seed = 40 + poolSize;
            final SplittableRandom rnd = new SplittableRandom(seed);
            final int groups = 300_000 / poolSize; // level buffers over ScratchMemory.SMALL: served unzeroed from blocks
            final long[] index = new long[groups];
            for (int g = 0; g < groups; g++)
            {
                index[g] = rnd.nextInt(poolSize);
            }
            final SharedInput idx = SharedInput.of(arena, index, rnd);
            final long[] hot = runOpen(groups * poolSize, (p, out) -> MaxPoolDerivative.run(p, idx.of(p), out, groups, poolSize));
            for (int g = 0; g < groups; g++)
            {
                for (int i = 0; i < poolSize; i++)
                {
                    assertThat(hot[g * poolSize + i]).as("seed %d pool %d group %d position %d", seed, poolSize, g, i)
                        .isEqualTo(i == index[g] ? 1 : 0);
                }
            }
        }
    }

    @Test
    void truncationShouldBeWithinOneUlp()
    {
        final long seed = 50;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int n = 100_000;
        final long[] values = new long[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = i < 5 ? new long[]{0, 1, -1, 8191, -8192}[i] : rnd.nextLong() >> 24; // |x| < 2^40: wrong with probability |x|/2^64
        }
        final SharedInput a = SharedInput.of(arena, values, rnd);
        final long[] t = runOpen(n, (p, out) -> Truncation.local(p, a.of(p), out, 13, n));
        for (int i = 0; i < n; i++)
        {
            assertThat(t[i] - (values[i] >> 13)).as("seed %d element %d (%d)", seed, i, values[i]).isBetween(0L, 1L);
        }
    }

    @Test
    void fixedPointShouldRoundTripAndRejectOutOfRange()
    {
        final FixedPoint fp = FixedPoint.DEFAULT;
        assertThat(fp.decode(fp.encode(-3.25))).isEqualTo(-3.25);
        assertThat(fp.encode(1.0)).isEqualTo(8192);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fp.encode(1e15))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the supported range");
        assertThat(Ring.BITS).isEqualTo(64);
    }
}
