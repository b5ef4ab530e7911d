package securenn.mpc;

import securenn.kernels.Ring;
import securenn.kernels.ZpOps;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The statistics of the view tests ({@link P2ViewTest}, {@link P0P1ViewTest}), for any receiver: a protocol runs
 * {@value #RUNS} times on each of two inputs, the receiver's keys fixed and everything else fresh ({@link Views}),
 * and every slot of the receiver's view must have the same distribution for both inputs.
 *
 * <p>The view, slot by slot: for P0 and P1 first their share of the protocol's input, then every message received, in
 * order. Each slot is tested alone, and a received message that is one half of an opening is also tested with its
 * other half: summed (the value opened) and subtracted (m − other; for PrivateCompare's Z_67 vectors their ratio, in
 * which a common multiplier cancels). The other half is the receiver's own message of that step to the same peer
 * (P0 and P1 exchanging halves: the sum is what the receiver opens) or, for P2, the other sender's message of that step
 * (the i-th of each for the i-th). The receiver computed its own half, so the pair is part of what it knows.
 *
 * <p>Per slot and per word, binned two ways into 4 bins — by its low bits (a ring element's low 2, a Z_67 value's
 * range of 17) and by a hash of the whole word —, a chi-square test of homogeneity between the runs of each input; a
 * slot fails when the sum over its words (scaled by (N − 1)/N, N the number of runs of both inputs, to make its null
 * mean the degrees of freedom) exceeds the chi-square quantile at p = 10^−6 (Wilson–Hilferty). A word the receiver
 * can predict from its keys and the input is constant over the runs of one input: if it is the same constant for
 * both, it adds nothing (a deterministic view, and the same); if it differs — in the low bits, or in any bit for the
 * hash, which then differs with probability 3/4 — it adds about N with one degree of freedom. Seeds are fixed (the
 * tests are deterministic) and printed on failure.
 *
 * <p>What this cannot see: dependence beyond single words and these pairs (a message whose words are each uniform
 * but jointly carry the input, a relation between messages of different steps, or between a message and the
 * receiver's input share), and a word that varies from run to run and depends on the input only above its low two
 * bits (the hash sees those bits only where the word takes few values). Passing is evidence, not a proof; the proofs
 * are in the protocols' javadoc.
 */
abstract class ViewTestBase extends ProtocolTestBase
{
    /** How many times a test runs the protocol on each input. */
    static final int RUNS = 40;
    private static final int BINS = 4;
    private static final double Z_1E6 = 4.753; // standard normal quantile at 1 − 10^−6

    /** One protocol run by every party on this run's input shares (P2: null). */
    @FunctionalInterface
    interface Protocol
    {
        void run(Party p, MemorySegment input) throws Exception;
    }

    /** One run's view of the receiver: its slots (input share, then what it received) and what it sent. */
    private record View(List<Views.Message> slots, List<Views.Message> sent)
    {
    }

    /** Which feature of a slot (or of a slot and the other half of its opening) a test bins. */
    private enum Feature
    {
        ALONE, SUM, DIFFERENCE
    }

    /**
     * How a word is binned: by its low bits (a ring element's low 2, a Z_67 value's range of 17), which keeps the
     * bias of a product's share, or by a hash of the whole word, which sees a difference in any bit of a word that is
     * constant for each input.
     */
    private enum Binning
    {
        LOW_BITS, WHOLE_WORD
    }

    /** One slot's feature in every run, [run][word]: ring elements, then from index {@code ring} on Z_67 values. */
    private record Words(long[][] values, int ring)
    {
        int[][] bins(final Binning binning)
        {
            final int[][] out = new int[values.length][];
            for (int run = 0; run < values.length; run++)
            {
                out[run] = new int[values[run].length];
                for (int w = 0; w < out[run].length; w++)
                {
                    final long v = values[run][w];
                    out[run][w] = binning == Binning.WHOLE_WORD ? (int)(mix(v) >>> 62)
                        : w < ring ? (int)(v & (BINS - 1)) : (int)v / 17;
                }
            }
            return out;
        }
    }

    /**
     * Runs {@code protocol} {@value #RUNS} times on each input, the receiver's keys fixed by {@code receiverSeed},
     * and asserts that every slot of its view has the same distribution for both. The input first goes through a
     * product with the shared constant 1 (see the subclasses for why), and that product is part of the view.
     */
    void assertSameView(final Role receiver, final String what, final long receiverSeed, final long[] inputA,
        final long[] inputB, final Protocol protocol)
    {
        final long freshA = 1_000 * receiverSeed;
        final long freshB = 1_000 * receiverSeed + 500;
        final List<View> a = views(receiver, receiverSeed, freshA, inputA, protocol);
        final List<View> b = views(receiver, receiverSeed, freshB, inputB, protocol);
        final List<String> slots = slotsOf(a.get(0).slots());
        final List<String> sent = slotsOf(a.get(0).sent());
        for (final List<View> views : List.of(a, b))
        {
            for (final View view : views)
            {
                assertThat(slotsOf(view.slots())).as("%s: the messages %s receives (public: they must not depend on"
                    + " the data)", what, receiver).isEqualTo(slots);
                assertThat(slotsOf(view.sent())).as("%s: the messages %s sends", what, receiver).isEqualTo(sent);
            }
        }
        assertThat(slots).as("%s: %s receives something", what, receiver).isNotEmpty();
        final List<String> failures = new ArrayList<>();
        for (int k = 0; k < slots.size(); k++)
        {
            compare(slots.get(k), Feature.ALONE, words(a, k, Feature.ALONE), words(b, k, Feature.ALONE), failures);
            final Views.Message other = partner(a.get(0), k);
            if (other != null)
            {
                final Views.Message m = a.get(0).slots().get(k);
                final String pair = m.step() + " #" + k + ", " + m.from() + "'s half with " + other.from() + "'s";
                for (final Feature feature : new Feature[]{Feature.SUM, Feature.DIFFERENCE})
                {
                    compare(pair, feature, words(a, k, feature), words(b, k, feature), failures);
                }
            }
        }
        if (!failures.isEmpty())
        {
            fail(what + ": " + receiver + "'s view depends on the input (" + receiver + " seed " + receiverSeed
                + "; fresh seeds " + freshA + ".." + (freshA + RUNS - 1) + " for input A, " + freshB + ".."
                + (freshB + RUNS - 1) + " for input B):\n  " + String.join("\n  ", failures));
        }
    }

    /** ReLU′ of 32 values, positive against their negations, by {@code method}. */
    void assertDReluView(final Role receiver, final DRelu.Method method, final long receiverSeed)
    {
        useDRelu(method);
        final int n = 32;
        final long[][] inputs = signs(n);
        assertSameView(receiver, "DReLU " + method, receiverSeed, inputs[0], inputs[1],
            (p, x) -> DRelu.run(p, x, p.role().holdsShares() ? longs(n) : null, n));
    }

    /** MaxPool (with the index) then its derivative, 16 windows of 4: ascending (argmax 3) against descending (0). */
    void assertMaxPoolDerivativeView(final Role receiver, final long receiverSeed)
    {
        final int pool = 4;
        final int groups = 16;
        final long[][] inputs = windows(groups, pool);
        assertSameView(receiver, "MaxPool then its derivative", receiverSeed, inputs[0], inputs[1], (p, x) ->
        {
            final boolean h = p.role().holdsShares();
            final MemorySegment index = h ? longs(groups) : null;
            MaxPool.run(p, x, h ? longs(groups) : null, index, groups, pool);
            MaxPoolDerivative.run(p, index, h ? longs((long)groups * pool) : null, groups, pool);
        });
    }

    /** Division of 8 values to 6 fractional bits: quotients 3/64 against 61/64. Input: dividends, then divisors. */
    void assertDivisionView(final Role receiver, final long receiverSeed)
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
        assertSameView(receiver, "Division", receiverSeed, small, large, (p, xy) ->
            Division.run(p, part(xy, 0, n), part(xy, n, n), p.role().holdsShares() ? longs(n) : null, f, n));
    }

    /** Two inputs of n values: (i + 1)·12345, and their negations. */
    static long[][] signs(final int n)
    {
        final long[][] out = new long[2][n];
        for (int i = 0; i < n; i++)
        {
            out[0][i] = (i + 1) * 12_345L;
            out[1][i] = -out[0][i];
        }
        return out;
    }

    /** Two inputs of {@code groups} windows of {@code pool}: ascending (argmax pool − 1), descending (argmax 0). */
    static long[][] windows(final int groups, final int pool)
    {
        final long[][] out = new long[2][groups * pool];
        for (int g = 0; g < groups; g++)
        {
            for (int i = 0; i < pool; i++)
            {
                out[0][g * pool + i] = (g + i) * 1000L;
                out[1][g * pool + i] = (g + pool - i) * 1000L;
            }
        }
        return out;
    }

    /** Asserts that {@code receiver} receives no message in {@code program}, run on fresh keys from {@code seed}. */
    void assertReceivesNothing(final Role receiver, final String what, final long seed,
        final LocalSession.Program<?> program)
    {
        final Views.Run<?> run = Views.run(session, Views.keys(receiver, seed, seed + 1), receiver, program);
        assertThat(run.received()).as("%s: what %s receives", what, receiver).extracting(Views.Message::slot)
            .isEmpty();
    }

    /** Input segment [from, from + n) of a holder's share, or null for P2 (whose input is null). */
    static MemorySegment part(final MemorySegment input, final long from, final long n)
    {
        return input == null ? null : input.asSlice(from * Long.BYTES, n * Long.BYTES);
    }

    private List<View> views(final Role receiver, final long receiverSeed, final long freshSeed, final long[] input,
        final Protocol protocol)
    {
        final long[] ones = new long[input.length];
        Arrays.fill(ones, 1L);
        final List<View> views = new ArrayList<>();
        for (int run = 0; run < RUNS; run++)
        {
            final SplittableRandom split = new SplittableRandom(freshSeed + run);
            final SharedInput x = SharedInput.of(arena, input, split);
            final SharedInput one = SharedInput.of(arena, ones, split);
            final int n = input.length;
            final Views.Run<byte[]> r = Views.run(session, Views.keys(receiver, receiverSeed, freshSeed + run),
                receiver, p ->
                {
                    final MemorySegment product = p.role().holdsShares() ? longs(n) : null;
                    MatMul.hadamard(p, x.of(p), one.of(p), product, n);
                    final byte[] share = product == null ? null : product.toArray(Ring.BYTE);
                    protocol.run(p, product);
                    return share;
                });
            final List<Views.Message> slots = new ArrayList<>();
            if (receiver.holdsShares())
            {
                slots.add(Views.Message.share(receiver, r.of(receiver)));
            }
            slots.addAll(r.received());
            views.add(new View(slots, r.sent()));
        }
        return views;
    }

    private static List<String> slotsOf(final List<Views.Message> messages)
    {
        return messages.stream().map(Views.Message::slot).toList();
    }

    /**
     * The other half of the opening slot k's message belongs to, or null: the receiver's own i-th message of that step
     * to the same peer, else (for the lower-numbered of two senders) the other sender's i-th message of that step,
     * where slot k is the i-th message of its step from its sender; only one of the same size counts.
     */
    private static Views.Message partner(final View view, final int k)
    {
        final Views.Message m = view.slots().get(k);
        if (m.step() == null)
        {
            return null;
        }
        int i = 0;
        for (int s = 0; s < k; s++)
        {
            final Views.Message earlier = view.slots().get(s);
            i += earlier.from() == m.from() && earlier.step() == m.step() ? 1 : 0;
        }
        final Views.Message own = nth(view.sent(), m.to(), m.from(), m.step(), i);
        if (own != null)
        {
            return own.data().length == m.data().length ? own : null;
        }
        final Role third = Role.of(3 - m.from().id() - m.to().id());
        final Views.Message other = m.from().id() < third.id() ? nth(view.slots(), third, m.to(), m.step(), i) : null;
        return other != null && other.data().length == m.data().length ? other : null;
    }

    private static Views.Message nth(final List<Views.Message> messages, final Role from, final Role to,
        final Step step, final int i)
    {
        int seen = 0;
        for (final Views.Message m : messages)
        {
            if (m.from() == from && m.to() == to && m.step() == step && seen++ == i)
            {
                return m;
            }
        }
        return null;
    }

    /**
     * Byte offset where a message's Z_67 values (one per byte) begin; before it, ring elements. PrivateCompare's
     * vectors and the dealt bit shares are Z_67 throughout; ComputeMSB's dealing is 2n ring elements, then 64n bits.
     */
    private static int zpFrom(final Step step, final int length)
    {
        if (step == null)
        {
            return length;
        }
        return switch (step)
        {
            case PC_VECTOR, DRELU_BITS, SC_BITS -> 0;
            case MSB_RANDOM -> length / (2 * Long.BYTES + Ring.BITS) * 2 * Long.BYTES;
            default -> length;
        };
    }

    /**
     * Each run's words of slot k: ALONE slot k itself, SUM its sum with the other half of its opening
     * ({@link #partner}), DIFFERENCE m − other for ring elements and m / other for Z_67 values (a common multiplier,
     * such as PrivateCompare's s, cancels in it: without the pad it exposes the ratio of the two shares).
     */
    private static Words words(final List<View> views, final int k, final Feature feature)
    {
        final long[][] out = new long[views.size()][];
        int ring = 0;
        for (int run = 0; run < views.size(); run++)
        {
            final Views.Message m = views.get(run).slots().get(k);
            final byte[] data = m.data();
            final byte[] other = feature == Feature.ALONE ? null : partner(views.get(run), k).data();
            final MemorySegment s = MemorySegment.ofArray(data);
            final MemorySegment t = other == null ? null : MemorySegment.ofArray(other);
            final int zp = zpFrom(m.step(), data.length);
            ring = zp / Long.BYTES;
            out[run] = new long[ring + data.length - zp];
            for (int w = 0; w < ring; w++)
            {
                final long v = s.getAtIndex(Ring.LONG, w);
                out[run][w] = switch (feature)
                {
                    case ALONE -> v;
                    case SUM -> v + t.getAtIndex(Ring.LONG, w);
                    case DIFFERENCE -> v - t.getAtIndex(Ring.LONG, w);
                };
            }
            for (int at = zp; at < data.length; at++)
            {
                out[run][ring + at - zp] = switch (feature)
                {
                    case ALONE -> data[at];
                    case SUM -> ZpOps.add(data[at], other[at]);
                    case DIFFERENCE -> data[at] * inverse(other[at]) % Ring.P;
                };
            }
        }
        return new Words(out, ring);
    }

    /** A 64-bit mixer (SplittableRandom's): its top 2 bits are a hash of the whole word. */
    private static long mix(final long v)
    {
        long z = (v ^ (v >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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

    /** Both binnings of one slot's feature compared between the two inputs' runs ({@link #homogeneity}). */
    private static void compare(final String slot, final Feature feature, final Words a, final Words b,
        final List<String> failures)
    {
        for (final Binning binning : Binning.values())
        {
            homogeneity(slot + " (" + feature + ", " + binning + ")", a.bins(binning), b.bins(binning), failures);
        }
    }

    /** Chi-square homogeneity of one slot's binned words between the two inputs' runs; adds a line if it fails. */
    private static void homogeneity(final String slot, final int[][] a, final int[][] b, final List<String> failures)
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
            failures.add(String.format("%s: chi-square %.1f with %d df (limit %.1f at p = 1e-6); %d of %d words in one"
                + " bin in every run of each input", slot, chi, df, limit, constant, words));
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
