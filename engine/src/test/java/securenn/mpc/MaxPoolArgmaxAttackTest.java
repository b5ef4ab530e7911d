package securenn.mpc;

import org.junit.jupiter.api.Test;
import securenn.kernels.Ring;
import securenn.kernels.random.AesCtrPrg;
import securenn.kernels.random.ZpSampler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17's attack on the MaxPool derivative: a curious P2 recovering the argmax of every 2×2 window of a training
 * image from what P1 sends it in {@link MaxPoolDerivative}.
 *
 * <p>P2 dealt every mask of MaxPool's selection products, so it knows P1's share of each window's argmax up to the
 * outcomes of the window's three comparisons: each selection gives P1 Z_1 = A_1·F + E·B_1 + C_1, where P2 drew A_1,
 * B_1 (k12) and A, B (k02 and k12) and computed C_1 itself; E = β − A with β a bit; and F = (right − left index) − B,
 * where the plaintext index difference is one of a few small numbers. So there are 8 candidate shares per window,
 * one per outcome, each naming an argmax. P1 used to send its index share as it was (P0 blinded its own with r from
 * k01), and P2 found it among the candidates.
 *
 * <p>This test plays P2. It replays P2's streams from P2's keys alone, checks that one candidate is P1's actual index
 * share — so the replay models P2's knowledge exactly, with or without the fix; when a protocol change breaks the
 * replay, this check fails rather than the attack silently missing — and asserts that P1's message matches no
 * candidate.
 */
class MaxPoolArgmaxAttackTest extends ProtocolTestBase
{
    private static final int POOL = 4;
    private static final int GROUPS = 200;
    private static final int OUTCOMES = 8; // bits: pair (0, 1), pair (2, 3), the final comparison
    private static final long P2_SEED = 17;
    private static final long FRESH_SEED = 1702;

    @Test
    void p2ShouldNotRecoverTheArgmaxFromWhatP1SendsInTheMaxPoolDerivative()
    {
        final SplittableRandom rnd = new SplittableRandom(FRESH_SEED);
        final long[] values = new long[GROUPS * POOL];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = rnd.nextLong(-(1L << 20), 1L << 20);
        }
        final SharedInput x = SharedInput.of(arena, values, rnd);
        final Views.Run<long[]> run = Views.run(session, Views.keys(Role.P2, P2_SEED, FRESH_SEED), Role.P2, p ->
        {
            if (!p.role().holdsShares())
            {
                MaxPool.run(p, null, null, null, GROUPS, POOL);
                MaxPoolDerivative.run(p, null, null, GROUPS, POOL);
                return null;
            }
            final MemorySegment index = longs(GROUPS);
            MaxPool.run(p, x.of(p), longs(GROUPS), index, GROUPS, POOL);
            MaxPoolDerivative.run(p, index, longs((long)GROUPS * POOL), GROUPS, POOL);
            return index.toArray(Ring.LONG);
        });

        final long[][] candidates = candidateShares(Views.keys(Role.P2, P2_SEED, FRESH_SEED)[Role.P2.id()]);
        for (int g = 0; g < GROUPS; g++)
        {
            assertThat(candidates[g][outcome(values, g)])
                .as("replay of P2's knowledge: P1's index share of window %d (P2 seed %d, fresh seed %d)", g, P2_SEED,
                    FRESH_SEED)
                .isEqualTo(run.p1()[g]);
        }

        final long[] fromP1 = message(run, Role.P1);
        int matched = 0;
        int recovered = 0;
        for (int g = 0; g < GROUPS; g++)
        {
            for (int o = 0; o < OUTCOMES; o++)
            {
                if (candidates[g][o] == fromP1[g])
                {
                    matched++;
                    recovered += argmax(o) == argmax(outcome(values, g)) ? 1 : 0;
                    break;
                }
            }
        }
        assertThat(matched)
            .as("windows where P2 found P1's DMP_BLINDED among its %d candidate shares (it recovered the argmax of %d of"
                + " %d windows; P2 seed %d, fresh seed %d)", OUTCOMES, recovered, GROUPS, P2_SEED, FRESH_SEED)
            .isZero();
    }

    private static long[] message(final Views.Run<?> run, final Role from)
    {
        for (final Views.Message m : run.received())
        {
            if (m.step() == Step.DMP_BLINDED && m.from() == from)
            {
                final long[] words = new long[m.data().length / Long.BYTES];
                MemorySegment.copy(MemorySegment.ofArray(m.data()), Ring.LONG, 0, words, 0, words.length);
                return words;
            }
        }
        throw new AssertionError("P2 received no DMP_BLINDED from " + from);
    }

    /** The outcome bits of window g's comparisons (β = ReLU′(right − left): ties go right). */
    private static int outcome(final long[] values, final int g)
    {
        final int base = g * POOL;
        final int b0 = values[base + 1] >= values[base] ? 1 : 0;
        final int b1 = values[base + 3] >= values[base + 2] ? 1 : 0;
        final long w0 = values[base + b0];
        final long w1 = values[base + 2 + b1];
        return b0 | b1 << 1 | (w1 >= w0 ? 1 : 0) << 2;
    }

    private static int argmax(final int o)
    {
        return (o >> 2 & 1) == 1 ? 2 + (o >> 1 & 1) : o & 1;
    }

    /**
     * P1's index share after MaxPool for each window and each outcome, computed from P2's keys alone: [g][outcome].
     * Candidates are laid out as MaxPool lays them out (candidate-major, pair q of level 0 at q·groups + g).
     */
    private static long[][] candidateShares(final Randomness p2)
    {
        final AesCtrPrg k02 = p2.with(Role.P0);
        final AesCtrPrg k12 = p2.with(Role.P1);
        final long[][] out = new long[GROUPS][OUTCOMES];
        try (Arena arena = Arena.ofConfined())
        {
            final Selection first = Selection.replay(arena, k02, k12, 2L * GROUPS);
            final Selection second = Selection.replay(arena, k02, k12, GROUPS);
            for (int g = 0; g < GROUPS; g++)
            {
                for (int o = 0; o < OUTCOMES; o++)
                {
                    final int b0 = o & 1;
                    final int b1 = o >> 1 & 1;
                    final long share0 = first.p1IndexShare(g, b0, 0, 1); // P1's shares of all initial indices are 0
                    final long share1 = first.p1IndexShare(GROUPS + g, b1, 0, 1);
                    final long diff = 2 + b1 - b0; // plaintext index of pair (2, 3)'s winner minus pair (0, 1)'s
                    out[g][o] = second.p1IndexShare(g, o >> 2 & 1, share0, diff);
                }
            }
        }
        return out;
    }

    /** What P2 drew for one level of MaxPool: a DReLU of m differences, then β times [values | indices]. */
    private record Selection(long m, MemorySegment betaMask, MemorySegment betaMask1, MemorySegment laneMask,
                             MemorySegment laneMask1, MemorySegment c0)
    {
        static Selection replay(final Arena arena, final AesCtrPrg k02, final AesCtrPrg k12, final long m)
        {
            // DReluOneCompare's helper: r_0 (k02), r_1 (k12), P0's bit shares (k02), P0's γ share (k02)
            Party.randomLongs(arena, k02, m);
            Party.randomLongs(arena, k12, m);
            ZpSampler.uniform(k02, Party.bytes(arena, m * Ring.BITS), m * Ring.BITS);
            Party.randomLongs(arena, k02, m);
            // MatMul.hadamard(β, lanes, copies 2): β's mask (k02 + k12), the lanes' (k02 + k12), then C_0 (k02)
            final MemorySegment beta0 = Party.randomLongs(arena, k02, m);
            final MemorySegment beta1 = Party.randomLongs(arena, k12, m);
            final MemorySegment lane0 = Party.randomLongs(arena, k02, 2 * m);
            final MemorySegment lane1 = Party.randomLongs(arena, k12, 2 * m);
            final MemorySegment c0 = Party.randomLongs(arena, k02, 2 * m);
            return new Selection(m, sum(arena, beta0, beta1, m), beta1, sum(arena, lane0, lane1, 2 * m), lane1, c0);
        }

        /**
         * P1's share of the selected index at entry e, if its comparison came out {@code bit}, P1's share of the left
         * index is {@code left1} and the plaintext index difference (right − left) is {@code diff}:
         * left_1 + A_1·F + E·B_1 + C_1 with E = bit − A, F = diff − B, C_1 = A·B − C_0 (the index lane at m + e).
         */
        long p1IndexShare(final long e, final int bit, final long left1, final long diff)
        {
            final long a = betaMask.getAtIndex(Ring.LONG, e);
            final long b = laneMask.getAtIndex(Ring.LONG, m + e);
            final long c1 = a * b - c0.getAtIndex(Ring.LONG, m + e);
            return left1 + betaMask1.getAtIndex(Ring.LONG, e) * (diff - b) + (bit - a) * laneMask1.getAtIndex(Ring.LONG, m + e)
                + c1;
        }

        private static MemorySegment sum(final Arena arena, final MemorySegment x, final MemorySegment y, final long n)
        {
            final MemorySegment s = Party.longs(arena, n);
            for (long i = 0; i < n; i++)
            {
                s.setAtIndex(Ring.LONG, i, x.getAtIndex(Ring.LONG, i) + y.getAtIndex(Ring.LONG, i));
            }
            return s;
        }
    }
}
