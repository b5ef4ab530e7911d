package securenn.mpc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import securenn.kernels.Ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * P2-assisted truncation: within one ulp on the whole supported range (where local truncation fails often), and the
 * twin's {@link TruncationReplay} reproduces it bit for bit. A fresh session per test, so the replay starts where
 * the parties' truncation streams start.
 */
class AssistedTruncationTest
{
    private static final long SEED = 77;
    private static final long LIMIT = Truncation.RANGE - 1;

    private LocalSession session;
    private Arena arena;

    @BeforeEach
    void start()
    {
        session = LocalSession.seededForTwinChecks(SEED);
        arena = Arena.ofShared();
    }

    @AfterEach
    void stop()
    {
        session.close();
        arena.close();
    }

    static long[] values(final SplittableRandom rnd, final int n)
    {
        final long[] edges = {0, 1, -1, 2, -2, LIMIT, -LIMIT, -LIMIT - 1, LIMIT - 1, 8191, -8192, 8192, -8193,
            1L << 61, -(1L << 61), Long.MAX_VALUE >> 2, Long.MIN_VALUE >> 2};
        final long[] v = new long[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = i < edges.length ? edges[i] : switch (i % 3)
            {
                case 0 -> rnd.nextLong() >> 2;     // the whole range: local truncation fails on ~1/4 of these
                case 1 -> rnd.nextLong() >> 22;    // gradient products
                default -> rnd.nextInt(1 << 14) - (1 << 13);
            };
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 13, 27, 62})
    void shouldBeWithinOneUlpOnTheWholeRangeAndReplayBitForBit(final int d)
    {
        final SplittableRandom rnd = new SplittableRandom(SEED + d);
        final int n = 50_000;
        final long[] values = values(rnd, n);
        final SharedInput a = SharedInput.of(arena, values, rnd);
        final long[] secure = open(truncate(a, d, n), n);
        final MemorySegment twin = arena.allocate(8L * n);
        MemorySegment.copy(values, 0, twin, Ring.LONG, 0, n);
        TruncationReplay.fromSeed(SEED).truncate(twin, twin, d, n);
        for (int i = 0; i < n; i++)
        {
            final long error = secure[i] - (values[i] >> d);
            if (error < 0 || error > 1)
            {
                fail("seed " + SEED + " d " + d + " element " + i + ": ⌊" + values[i] + "/2^" + d + "⌋ = " + (values[i] >> d)
                    + " but assisted truncation gave " + secure[i]);
            }
            assertThat(twin.getAtIndex(Ring.LONG, i)).as("seed %d d %d element %d: replay", SEED, d, i).isEqualTo(secure[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 63})
    void shouldCopyForZeroAndRejectShiftsBeyondTheRange(final int d)
    {
        final long[] values = {5, -5, LIMIT};
        final SharedInput a = SharedInput.of(arena, values, new SplittableRandom(SEED));
        if (d == 0)
        {
            assertThat(open(truncate(a, 0, values.length), values.length)).containsExactly(values);
        }
        else
        {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> truncate(a, d, values.length))
                .hasStackTraceContaining("d must be in [0, 62]");
        }
    }

    @org.junit.jupiter.api.Test
    void localTruncationShouldFailWhereAssistedDoesNot()
    {
        final SplittableRandom rnd = new SplittableRandom(SEED);
        final int n = 10_000;
        final long[] values = new long[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = rnd.nextLong() >> 2;
        }
        final SharedInput a = SharedInput.of(arena, values, rnd);
        final List<MemorySegment> outs = session.run(p ->
        {
            final MemorySegment out = p.role().holdsShares() ? arena.allocate(8L * n) : null;
            Truncation.local(p, a.of(p), out, 13, n);
            return out;
        });
        final long[] local = open(outs, n);
        int wrong = 0;
        for (int i = 0; i < n; i++)
        {
            final long error = local[i] - (values[i] >> 13);
            wrong += error < 0 || error > 1 ? 1 : 0;
        }
        assertThat(wrong).as("local truncation failures on |x| < 2^62 (probability |x|/2^64 each: about 6%%)").isBetween(n / 50, n / 4);
    }

    private List<MemorySegment> truncate(final SharedInput a, final int d, final int n)
    {
        return session.run(p ->
        {
            final MemorySegment out = p.role().holdsShares() ? arena.allocate(8L * Math.max(1, n)) : null;
            Truncation.assisted(p, a.of(p), out, d, n);
            return out;
        });
    }

    private static long[] open(final List<MemorySegment> outs, final int n)
    {
        return SharedInput.open(outs, n);
    }
}
