package securenn.mpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import securenn.kernels.Ring;
import securenn.kernels.ZpOps;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * View tests: P2's view is simulatable without the data. With P2's keys held fixed (k02, k12 and its private key, so
 * P2's randomness is the same in every run) and everything P2 does not know drawn fresh per run (k01, P0's and P1's
 * private keys, the split of the input into shares), each message P2 receives must have the same distribution for two
 * different inputs, and so must two combinations of P0's and P1's messages of one step: their sum (what P2 opens)
 * and their difference (their ratio, for PrivateCompare's Z_67 vectors).
 *
 * <p>Inputs reach the protocols through a Beaver product first: P2 dealt that product's masks, so it knows both
 * output shares as a function of the plaintext (Z_j = A_j·F + E·B_j + C_j with E, F determined by the plaintext and
 * masks P2 drew). A share split fresh by the data owner would hide a message that forwards a share unmasked; a
 * product's output share does not.
 *
 * <p>Per message slot and per word (a ring element's low 2 bits, or a Z_67 value in 4 ranges), a chi-square test of
 * homogeneity between the {@value #RUNS} runs of each input; a slot fails when the sum over its words (scaled by
 * (N − 1)/N, N = 2·{@value #RUNS}, to make its null mean the degrees of freedom) exceeds the chi-square quantile at
 * p = 10^−6 (Wilson–Hilferty). A word P2 can predict from its keys and the input is constant over the runs of one
 * input and differs between inputs: each such word adds about 2·{@value #RUNS} with one degree of freedom. Seeds are
 * fixed (deterministic) and printed on failure.
 *
 * <p>The test sees single words and these two combinations, not every joint dependence: it caught both leaks it was
 * tried on (P1's raw index share in the MaxPool derivative; PrivateCompare without its pad, through the ratio, in
 * the DReLU tests), but passing it is evidence, not a proof; the proofs are in the protocols' javadoc.
 */
class P2ViewTest extends ProtocolTestBase
{
    private static final int RUNS = 40;
    private static final int BINS = 4;
    private static final double Z_1E6 = 4.753; // standard normal quantile at 1 − 10^−6

    /** One protocol run by every party on this run's input shares (P2: null). */
    @FunctionalInterface
    private interface Protocol
    {
        void run(Party p, MemorySegment input) throws Exception;
    }

    @Test
    void p2sViewOfTheMaxPoolDerivativeShouldNotDependOnTheArgmax()
    {
        final int pool = 4;
        final int groups = 16;
        final long[] last = new long[groups * pool];
        final long[] first = new long[groups * pool];
        for (int g = 0; g < groups; g++)
        {
            for (int i = 0; i < pool; i++)
            {
                last[g * pool + i] = (g + i) * 1000L; // ascending: argmax 3
                first[g * pool + i] = (g + pool - i) * 1000L; // descending: argmax 0
            }
        }
        assertSameView("MaxPool then its derivative", 31, last, first, (p, x) ->
        {
            final boolean h = p.role().holdsShares();
            final MemorySegment index = h ? longs(groups) : null;
            MaxPool.run(p, x, h ? longs(groups) : null, index, groups, pool);
            MaxPoolDerivative.run(p, index, h ? longs((long)groups * pool) : null, groups, pool);
        });
    }

    @ParameterizedTest
    @EnumSource(DRelu.Method.class)
    void p2sViewOfDReluShouldNotDependOnTheSign(final DRelu.Method method)
    {
        useDRelu(method);
        final int n = 32;
        final long[] positive = new long[n];
        final long[] negative = new long[n];
        for (int i = 0; i < n; i++)
        {
            positive[i] = (i + 1) * 12_345L;
            negative[i] = -positive[i];
        }
        assertSameView("DReLU " + method, 32, positive, negative,
            (p, x) -> DRelu.run(p, x, p.role().holdsShares() ? longs(n) : null, n));
    }

    @Test
    void p2sViewOfDivisionShouldNotDependOnTheQuotient()
    {
        final int n = 8;
        final int f = 6;
        final long[] small = new long[2 * n];
        final long[] large = new long[2 * n];
        for (int i = 0; i < n; i++)
        {
            small[i] = 3L << 20;
            large[i] = 61L << 20;
            small[n + i] = large[n + i] = 64L << 20; // divisors
        }
        assertSameView("Division", 33, small, large, (p, xy) ->
        {
            final boolean h = p.role().holdsShares();
            Division.run(p, h ? xy.asSlice(0, n * 8L) : null, h ? xy.asSlice(n * 8L) : null, h ? longs(n) : null, f, n);
        });
    }

    /** Products and assisted truncation send P2 nothing: its view is empty whatever the data. */
    @Test
    void p2ShouldReceiveNothingInProductsAndTruncation()
    {
        final int n = 64;
        final long[] values = new long[n];
        java.util.Arrays.fill(values, 5L << 20);
        final SharedInput x = SharedInput.of(arena, values, new SplittableRandom(34));
        final P2Views.Run<Void> run = P2Views.run(session, P2Views.keys(34, 35), p ->
        {
            final boolean h = p.role().holdsShares();
            final MemorySegment y = h ? longs(n) : null;
            MatMul.hadamard(p, x.of(p), x.of(p), y, n);
            MatMul.multiply(p, x.of(p), securenn.kernels.Transpose.NO, x.of(p), securenn.kernels.Transpose.NO,
                h ? longs(64) : null, 8, 8, 8);
            Truncation.assisted(p, y, h ? longs(n) : null, 20, n);
            Truncation.local(p, y, h ? longs(n) : null, 20, n);
            SelectShare.select(p, x.of(p), x.of(p), x.of(p), h ? longs(n) : null, n);
            return null;
        });
        assertThat(run.received()).extracting(P2Views.Message::slot).isEmpty();
    }

    /**
     * Runs {@code protocol} {@value #RUNS} times on each input, P2's keys fixed by {@code p2Seed}, and asserts that
     * every slot of P2's view has the same distribution for both. The input first goes through a product with the
     * shared constant 1, so that P2 knows its shares as a function of the plaintext.
     */
    private void assertSameView(final String what, final long p2Seed, final long[] inputA, final long[] inputB,
        final Protocol protocol)
    {
        final long freshA = 1_000 * p2Seed;
        final long freshB = 1_000 * p2Seed + 500;
        final List<List<P2Views.Message>> a = views(p2Seed, freshA, inputA, protocol);
        final List<List<P2Views.Message>> b = views(p2Seed, freshB, inputB, protocol);
        final List<String> slots = slotsOf(a.get(0));
        for (final List<List<P2Views.Message>> views : List.of(a, b))
        {
            for (final List<P2Views.Message> view : views)
            {
                assertThat(slotsOf(view)).as("%s: the messages P2 receives (public: they must not depend on the data)",
                    what).isEqualTo(slots);
            }
        }
        assertThat(slots).as("%s: P2 receives something", what).isNotEmpty();
        final List<String> failures = new ArrayList<>();
        for (int k = 0; k < slots.size(); k++)
        {
            compare(slots.get(k), Feature.ALONE, words(a, k, Feature.ALONE), words(b, k, Feature.ALONE), failures);
            if (k + 1 < slots.size() && pairsWithNext(a.get(0), k))
            {
                for (final Feature pair : new Feature[]{Feature.SUM, Feature.DIFFERENCE})
                {
                    compare(a.get(0).get(k).step() + " #" + k + " from P0 and P1", pair, words(a, k, pair),
                        words(b, k, pair), failures);
                }
                k++;
                compare(slots.get(k), Feature.ALONE, words(a, k, Feature.ALONE), words(b, k, Feature.ALONE), failures);
            }
        }
        if (!failures.isEmpty())
        {
            fail(what + ": P2's view depends on the input (P2 seed " + p2Seed + "; fresh seeds " + freshA + ".."
                + (freshA + RUNS - 1) + " for input A, " + freshB + ".." + (freshB + RUNS - 1) + " for input B):\n  "
                + String.join("\n  ", failures));
        }
    }

    private List<List<P2Views.Message>> views(final long p2Seed, final long freshSeed, final long[] input,
        final Protocol protocol)
    {
        final long[] ones = new long[input.length];
        java.util.Arrays.fill(ones, 1L);
        final List<List<P2Views.Message>> views = new ArrayList<>();
        for (int run = 0; run < RUNS; run++)
        {
            final SplittableRandom split = new SplittableRandom(freshSeed + run);
            final SharedInput x = SharedInput.of(arena, input, split);
            final SharedInput one = SharedInput.of(arena, ones, split);
            final int n = input.length;
            views.add(P2Views.run(session, P2Views.keys(p2Seed, freshSeed + run), p ->
            {
                final MemorySegment product = p.role().holdsShares() ? longs(n) : null;
                MatMul.hadamard(p, x.of(p), one.of(p), product, n);
                protocol.run(p, product);
                return null;
            }).received());
        }
        return views;
    }

    private static List<String> slotsOf(final List<P2Views.Message> view)
    {
        return view.stream().map(P2Views.Message::slot).toList();
    }

    /** Whether slot k is P0's message of a step and slot k + 1 P1's message of the same step and size. */
    private static boolean pairsWithNext(final List<P2Views.Message> view, final int k)
    {
        final P2Views.Message m = view.get(k);
        final P2Views.Message next = view.get(k + 1);
        return m.from() == Role.P0 && next.from() == Role.P1 && m.step() == next.step()
            && m.data().length == next.data().length;
    }

    /** Which feature of a slot (or of P0's slot k and P1's slot k + 1) a test bins. */
    private enum Feature
    {
        ALONE, SUM, DIFFERENCE
    }

    /**
     * Each run's words of slot k, binned: [run][word]. ALONE bins slot k itself, SUM the sum of slots k and k + 1
     * (what P2 opens), DIFFERENCE m_k − m_{k+1} for ring elements and m_k / m_{k+1} for Z_67 values (a common
     * multiplier, such as PrivateCompare's s, cancels in it: without the pad it exposes the ratio of the two
     * shares). PrivateCompare vectors are Z_67 values (bin v / 17), everything else ring elements (bin: the low 2
     * bits).
     */
    private static int[][] words(final List<List<P2Views.Message>> views, final int k, final Feature feature)
    {
        final boolean zp = views.get(0).get(k).step() == Step.PC_VECTOR;
        final int[][] out = new int[views.size()][];
        for (int run = 0; run < views.size(); run++)
        {
            final byte[] data = views.get(run).get(k).data();
            final byte[] other = feature == Feature.ALONE ? null : views.get(run).get(k + 1).data();
            final MemorySegment s = MemorySegment.ofArray(data);
            final MemorySegment t = other == null ? null : MemorySegment.ofArray(other);
            final int count = zp ? data.length : data.length / Long.BYTES;
            out[run] = new int[count];
            for (int w = 0; w < count; w++)
            {
                out[run][w] = switch (feature)
                {
                    case ALONE -> zp ? zpBin(data[w]) : ringBin(s.getAtIndex(Ring.LONG, w));
                    case SUM -> zp ? zpBin(ZpOps.add(data[w], other[w]))
                        : ringBin(s.getAtIndex(Ring.LONG, w) + t.getAtIndex(Ring.LONG, w));
                    case DIFFERENCE -> zp ? zpBin(data[w] * inverse(other[w]) % Ring.P)
                        : ringBin(s.getAtIndex(Ring.LONG, w) - t.getAtIndex(Ring.LONG, w));
                };
            }
        }
        return out;
    }

    /** v^−1 in Z_67 (v^65), and 0 for 0. */
    private static int inverse(final int v)
    {
        int result = 1;
        for (int i = 0; i < Ring.P - 2; i++)
        {
            result = result * v % Ring.P;
        }
        return v == 0 ? 0 : result;
    }

    private static int zpBin(final int v)
    {
        return v / 17;
    }

    private static int ringBin(final long v)
    {
        return (int)(v & (BINS - 1));
    }

    /** Chi-square homogeneity of one slot's words between the two inputs' runs; adds a line to failures if it fails. */
    private static void compare(final String slot, final Feature feature, final int[][] a, final int[][] b,
        final List<String> failures)
    {
        double chi = 0;
        int df = 0;
        int constant = 0;
        final int words = a[0].length;
        for (int w = 0; w < words; w++)
        {
            final long[] ha = new long[BINS];
            final long[] hb = new long[BINS];
            for (final int[] run : a)
            {
                ha[run[w]]++;
            }
            for (final int[] run : b)
            {
                hb[run[w]]++;
            }
            int used = 0;
            boolean constantA = false;
            boolean constantB = false;
            for (int bin = 0; bin < ha.length; bin++)
            {
                final long total = ha[bin] + hb[bin];
                constantA |= ha[bin] == a.length;
                constantB |= hb[bin] == b.length;
                if (total == 0)
                {
                    continue;
                }
                used++;
                final double ea = total * (double)a.length / (a.length + b.length);
                final double eb = total * (double)b.length / (a.length + b.length);
                chi += (ha[bin] - ea) * (ha[bin] - ea) / ea + (hb[bin] - eb) * (hb[bin] - eb) / eb;
            }
            df += Math.max(0, used - 1);
            constant += constantA && constantB ? 1 : 0;
        }
        if (df == 0)
        {
            return; // every word constant and equal for both inputs: deterministic, and the same
        }
        chi *= (a.length + b.length - 1.0) / (a.length + b.length); // E[X²] = df·N/(N − 1) for N samples per word
        final double limit = chiSquareQuantile(df);
        if (chi > limit)
        {
            failures.add(String.format("%s (%s): chi-square %.1f with %d df (limit %.1f at p = 1e-6); %d of %d words"
                + " in one bin in every run of each input", slot, feature, chi, df, limit, constant, words));
        }
    }

    /** Wilson–Hilferty approximation of the chi-square quantile at 1 − 10^−6. */
    private static double chiSquareQuantile(final int df)
    {
        final double v = 2.0 / (9.0 * df);
        final double c = 1 - v + Z_1E6 * Math.sqrt(v);
        return df * c * c * c;
    }
}
