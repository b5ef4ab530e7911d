package securenn.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.fail;

/** Random test inputs with edge values mixed in, and exact comparisons that name the seed on failure. */
final class TestData
{
    static final long[] EDGES = {0, 1, -1, 2, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1};
    static final int[] SIZES = {0, 1, 2, 7, 8, 9, 15, 16, 17, 23, 24, 25, 63, 64, 65, 127, 128, 129, 1023, 1024, 1025};

    private TestData()
    {
    }

    /** n random longs; about one in eight is an edge value. */
    static MemorySegment longs(final Arena arena, final long n, final SplittableRandom rnd)
    {
        final MemorySegment s = arena.allocate(Math.max(1, n) * Long.BYTES);
        for (long i = 0; i < n; i++)
        {
            final long v = rnd.nextInt(8) == 0 ? EDGES[rnd.nextInt(EDGES.length)] : rnd.nextLong();
            s.setAtIndex(Ring.LONG, i, v);
        }
        return s;
    }

    /** n random longs in the odd ring Z_{2^64−1} (never −1), edges included. */
    static MemorySegment oddRing(final Arena arena, final long n, final SplittableRandom rnd)
    {
        final MemorySegment s = longs(arena, n, rnd);
        for (long i = 0; i < n; i++)
        {
            if (s.getAtIndex(Ring.LONG, i) == -1L)
            {
                s.setAtIndex(Ring.LONG, i, -2L);
            }
        }
        return s;
    }

    /** n random Z_67 bytes, with 0, 1 and 66 frequent. */
    static MemorySegment zp(final Arena arena, final long n, final SplittableRandom rnd)
    {
        final MemorySegment s = arena.allocate(Math.max(1, n));
        for (long i = 0; i < n; i++)
        {
            final int pick = rnd.nextInt(8);
            final int v = pick == 0 ? 0 : pick == 1 ? Ring.P - 1 : pick == 2 ? 1 : rnd.nextInt(Ring.P);
            s.set(Ring.BYTE, i, (byte)v);
        }
        return s;
    }

    static MemorySegment zeros(final Arena arena, final long bytes)
    {
        return arena.allocate(Math.max(1, bytes));
    }

    static void assertSameLongs(final MemorySegment expected, final MemorySegment actual, final long n, final String what)
    {
        for (long i = 0; i < n; i++)
        {
            final long e = expected.getAtIndex(Ring.LONG, i);
            final long a = actual.getAtIndex(Ring.LONG, i);
            if (e != a)
            {
                fail(what + ": element " + i + " of " + n + " expected " + e + " but was " + a);
            }
        }
    }

    static void assertSameBytes(final MemorySegment expected, final MemorySegment actual, final long n, final String what)
    {
        final long mismatch = expected.asSlice(0, n).mismatch(actual.asSlice(0, n));
        if (mismatch >= 0)
        {
            fail(what + ": byte " + mismatch + " of " + n + " expected " + expected.get(Ring.BYTE, mismatch)
                + " but was " + actual.get(Ring.BYTE, mismatch));
        }
    }
}
