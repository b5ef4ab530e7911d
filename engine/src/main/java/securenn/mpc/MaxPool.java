package securenn.mpc;

import securenn.kernels.RingOps;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Algorithm 9, as a pairwise tree: the maximum of each group of n shared values and the index where it occurs, in
 * ⌈log2 n⌉ comparison levels instead of n − 1 (every level compares all pending pairs of all groups at once).
 *
 * <p>Each comparison of a (left) and b (right) takes β = ReLU′(b − a) and selects b where β = 1, for the value and the
 * index together (one element-wise product, β opened once for both; without an index, the value alone). Ties go
 * right at every level, so the result is the maximum and its <b>last</b> index, exactly what the sequential listing
 * computes. Values must satisfy |a − b| &lt; 2^62.
 */
public final class MaxPool
{
    private MaxPool()
    {
    }

    /**
     * @param x     P0/P1: groups·n shares, group g's values at g·n … g·n + n − 1
     * @param max   P0/P1: groups shares of each group's maximum
     * @param index P0/P1: groups shares of each maximum's index in [0, n)
     */
    public static void run(final Party p, final MemorySegment x, final MemorySegment max, final MemorySegment index,
        final long groups, final int n)
    {
        run(p, x, max, index, true, groups, n);
    }

    /** The maximum of each group without its index (inference): the selections carry the values alone. */
    public static void max(final Party p, final MemorySegment x, final MemorySegment max, final long groups, final int n)
    {
        run(p, x, max, null, false, groups, n);
    }

    private static void run(final Party p, final MemorySegment x, final MemorySegment max, final MemorySegment index,
        final boolean withIndex, final long groups, final int n)
    {
        if (n < 1)
        {
            throw new IllegalArgumentException("pool size must be >= 1 but was " + n);
        }
        final RingOps ring = p.kernels().ring();
        final boolean holder = p.role().holdsShares();
        final int lanes = withIndex ? 2 : 1; // values, and indices when asked for (P2 passes null for both)
        try (Arena arena = p.scratch())
        {
            // current candidates, candidate-major: cand[c·groups + g]
            int count = n;
            MemorySegment values = holder ? Party.longsForOverwrite(arena, (long)n * groups) : null;
            MemorySegment indices = holder && lanes == 2 ? Party.longs(arena, (long)n * groups) : null; // zeroed
            if (holder)
            {
                toCandidateMajor(x, values, groups, n);
                if (indices != null)
                {
                    for (int c = 1; p.role() == Role.P0 && c < n; c++) // P0 holds the index c, P1 zero: a sharing of c
                    {
                        final MemorySegment block = indices.asSlice(c * groups * Long.BYTES, groups * Long.BYTES);
                        ring.addScalar(block, c, block, groups);
                    }
                }
            }
            while (count > 1)
            {
                final int pairs = count / 2;
                final long m = (long)pairs * groups;
                final int next = pairs + (count & 1);
                if (!holder)
                {
                    DRelu.run(p, null, null, m);
                    MatMul.hadamard(p, null, null, null, m, lanes);
                    count = next;
                    continue;
                }
                // left = candidates 0, 2, 4 …; right = 1, 3, 5 … (contiguous blocks after a gather); every buffer of a
                // level is written whole before it is read, so none is zeroed
                final MemorySegment left = Party.longsForOverwrite(arena, lanes * m);
                final MemorySegment right = Party.longsForOverwrite(arena, lanes * m);
                for (int q = 0; q < pairs; q++)
                {
                    copyBlock(values, 2 * q, left, q, groups);
                    copyBlock(values, 2 * q + 1, right, q, groups);
                    if (indices != null)
                    {
                        copyBlock(indices, 2 * q, left, pairs + q, groups);
                        copyBlock(indices, 2 * q + 1, right, pairs + q, groups);
                    }
                }
                final MemorySegment diff = Party.longsForOverwrite(arena, lanes * m);
                ring.sub(right, left, diff, lanes * m);
                final MemorySegment beta = Party.longs(arena, m);
                DRelu.run(p, diff, beta, m);
                final MemorySegment chosen = Party.longsForOverwrite(arena, lanes * m);
                MatMul.hadamard(p, beta, diff, chosen, m, lanes);
                ring.add(left, chosen, left, lanes * m);
                final MemorySegment nextValues = Party.longsForOverwrite(arena, (long)next * groups);
                final MemorySegment nextIndices = indices != null ? Party.longsForOverwrite(arena, (long)next * groups) : null;
                MemorySegment.copy(left, 0, nextValues, 0, m * Long.BYTES);
                if (indices != null)
                {
                    MemorySegment.copy(left, m * Long.BYTES, nextIndices, 0, m * Long.BYTES);
                }
                if ((count & 1) == 1)
                {
                    copyBlock(values, count - 1, nextValues, pairs, groups);
                    if (indices != null)
                    {
                        copyBlock(indices, count - 1, nextIndices, pairs, groups);
                    }
                }
                values = nextValues;
                indices = nextIndices;
                count = next;
            }
            if (holder)
            {
                MemorySegment.copy(values, 0, max, 0, groups * Long.BYTES);
                if (indices != null)
                {
                    MemorySegment.copy(indices, 0, index, 0, groups * Long.BYTES);
                }
            }
        }
    }

    /**
     * out[c·groups + g] = x[g·n + c]: reads x once in order and writes n sequential streams (reading x n times with
     * stride n, the other loop order, cost a training step of network C a tenth of its time).
     */
    static void toCandidateMajor(final MemorySegment x, final MemorySegment out, final long groups, final int n)
    {
        for (long g = 0; g < groups; g++)
        {
            final long from = g * n;
            for (int c = 0; c < n; c++)
            {
                out.setAtIndex(securenn.kernels.Ring.LONG, c * groups + g, x.getAtIndex(securenn.kernels.Ring.LONG, from + c));
            }
        }
    }

    private static void copyBlock(final MemorySegment from, final int fromBlock, final MemorySegment to, final int toBlock,
        final long groups)
    {
        MemorySegment.copy(from, fromBlock * groups * Long.BYTES, to, toBlock * groups * Long.BYTES, groups * Long.BYTES);
    }
}
