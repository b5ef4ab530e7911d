package securenn.kernels.random;

import securenn.kernels.KernelChecks;
import securenn.kernels.Ring;

import java.lang.foreign.MemorySegment;

/**
 * Uniformly random permutations drawn from a pseudorandom stream (Fisher–Yates with unbiased bounded draws), so
 * that two parties with the same stream draw the same permutations: PrivateCompare's common π.
 */
public final class Permutations
{
    private Permutations()
    {
    }

    /**
     * Writes {@code groups} independent permutations of 0..size−1, one byte per entry, group after group.
     *
     * @param size entries per group, 1 ≤ size ≤ 128 (a byte holds the index)
     */
    public static void fill(final AesCtrPrg prg, final MemorySegment out, final long groups, final int size)
    {
        if (size < 1 || size > 128)
        {
            throw new IllegalArgumentException("permutation size must be in [1, 128] but was " + size);
        }
        KernelChecks.requireNonNegative("groups", groups);
        KernelChecks.requireBytes("out", out, Math.multiplyExact(groups, size), groups + " permutations of " + size);
        for (long g = 0; g < groups; g++)
        {
            final long base = g * size;
            for (int i = 0; i < size; i++)
            {
                out.set(Ring.BYTE, base + i, (byte)i);
            }
            for (int i = size - 1; i > 0; i--)
            {
                final int j = prg.nextInt(i + 1);
                final byte t = out.get(Ring.BYTE, base + i);
                out.set(Ring.BYTE, base + i, out.get(Ring.BYTE, base + j));
                out.set(Ring.BYTE, base + j, t);
            }
        }
    }
}
