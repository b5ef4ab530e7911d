package securenn.mpc;

import securenn.kernels.Ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/** Plaintext values dealt as two additive shares over Z_L, as a data owner would give them to P0 and P1. */
record SharedInput(long[] values, MemorySegment share0, MemorySegment share1)
{
    /** Split with a seeded {@link SecretSplitter} keyed from {@code rnd}: test data, reproducible from the test's seed. */
    static SharedInput of(final Arena arena, final long[] values, final SplittableRandom rnd)
    {
        final MemorySegment plain = arena.allocate(Math.max(1, values.length) * 8L);
        MemorySegment.copy(values, 0, plain, Ring.LONG, 0, values.length);
        final MemorySegment s0 = arena.allocate(Math.max(1, values.length) * 8L);
        final MemorySegment s1 = arena.allocate(Math.max(1, values.length) * 8L);
        Shares.split(plain, s0, s1, values.length, SecretSplitter.seededForTwinChecks(rnd.nextLong()));
        return new SharedInput(values, s0, s1);
    }

    /** This party's share, or null for P2. */
    MemorySegment of(final Party p)
    {
        return switch (p.role())
        {
            case P0 -> share0;
            case P1 -> share1;
            case P2 -> null;
        };
    }

    int size()
    {
        return values.length;
    }

    /** Reconstructs P0's and P1's output shares (results indexed by role) into plaintext. */
    static long[] open(final java.util.List<MemorySegment> outputs, final int n)
    {
        final long[] out = new long[n];
        for (int i = 0; i < n; i++)
        {
            out[i] = outputs.get(0).getAtIndex(Ring.LONG, i) + outputs.get(1).getAtIndex(Ring.LONG, i);
        }
        return out;
    }

    /** Output shares over Z_{L−1} reconstructed. */
    static long[] openOdd(final java.util.List<MemorySegment> outputs, final int n)
    {
        final long[] out = new long[n];
        for (int i = 0; i < n; i++)
        {
            out[i] = securenn.kernels.CompareOps.addOdd(outputs.get(0).getAtIndex(Ring.LONG, i),
                outputs.get(1).getAtIndex(Ring.LONG, i));
        }
        return out;
    }
}
