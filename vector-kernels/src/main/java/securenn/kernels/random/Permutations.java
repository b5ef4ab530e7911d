package securenn.kernels.random;

import securenn.kernels.KernelChecks;
import securenn.kernels.Ring;

import java.lang.foreign.MemorySegment;

/**
 * Uniformly random permutations drawn from a pseudorandom stream (Fisher–Yates), so that two parties with the same
 * stream draw the same permutations: PrivateCompare's common π. Each swap index in [0, bound) comes from one stream
 * byte by Lemire's multiply-shift with rejection ({@code (b·bound) >> 8}, rejecting the low-product values that would
 * bias it), read from a heap chunk: no division and no call per byte.
 */
public final class Permutations
{
    private static final int CHUNK = 4096;
    /** THRESHOLD[bound] = 256 mod bound: products whose low byte is below it are rejected. */
    private static final int[] THRESHOLD = new int[257];

    static
    {
        for (int bound = 1; bound <= 256; bound++)
        {
            THRESHOLD[bound] = 256 % bound;
        }
    }

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
        final byte[] random = new byte[CHUNK];
        int pos = CHUNK;
        final byte[] perm = new byte[size];
        for (long g = 0; g < groups; g++)
        {
            for (int i = 0; i < size; i++)
            {
                perm[i] = (byte)i;
            }
            for (int i = size - 1; i > 0; i--)
            {
                final int bound = i + 1;
                int product;
                do
                {
                    if (pos == CHUNK)
                    {
                        prg.fill(random, 0, CHUNK);
                        pos = 0;
                    }
                    product = (random[pos++] & 0xFF) * bound;
                }
                while ((product & 0xFF) < THRESHOLD[bound]);
                final int j = product >>> 8;
                final byte t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            MemorySegment.copy(perm, 0, out, Ring.BYTE, g * size, size);
        }
    }
}
