package securenn.kernels.random;

import securenn.kernels.KernelChecks;
import securenn.kernels.Ring;

import java.lang.foreign.MemorySegment;

/**
 * Uniform values of Z_p and Z_p* (p = 67) from a pseudorandom stream, one per byte, by rejection sampling: a byte
 * below 201 = 3·67 gives {@code b mod 67} (79% acceptance), so every value is exactly equally likely.
 *
 * <p>Works in chunks: {@value #CHUNK} stream bytes at a time are filtered through a lookup table into a heap buffer and
 * copied out, so the cost per value is a table load, not a call per byte. How many stream bytes a call consumes
 * depends only on the stream and on n, so two parties sampling from one stream stay in step.
 */
public final class ZpSampler
{
    private static final int CHUNK = 8192;
    private static final byte[] UNIFORM = table(Ring.P, 0);
    private static final byte[] NON_ZERO = table(Ring.P - 1, 1);

    private ZpSampler()
    {
    }

    /** Fills {@code n} bytes of {@code out} with uniform values of Z_67 = {0, …, 66}. */
    public static void uniform(final AesCtrPrg prg, final MemorySegment out, final long n)
    {
        sample(prg, out, n, UNIFORM, "uniform Z_p fill of " + n);
    }

    /** Fills {@code n} bytes of {@code out} with uniform values of Z_67* = {1, …, 66} (PrivateCompare's s_i). */
    public static void uniformNonZero(final AesCtrPrg prg, final MemorySegment out, final long n)
    {
        sample(prg, out, n, NON_ZERO, "uniform Z_p* fill of " + n);
    }

    private static void sample(final AesCtrPrg prg, final MemorySegment out, final long n, final byte[] table,
        final String what)
    {
        KernelChecks.requireNonNegative("n", n);
        KernelChecks.requireBytes("out", out, n, what);
        final byte[] src = new byte[CHUNK];
        final byte[] dst = new byte[CHUNK];
        long done = 0;
        while (done < n)
        {
            final int want = (int)Math.min(CHUNK, (n - done) + (n - done) / 3 + 16);
            prg.fill(src, 0, want);
            int k = 0;
            final int cap = (int)Math.min(CHUNK, n - done);
            for (int i = 0; i < want && k < cap; i++)
            {
                final byte v = table[src[i] & 0xFF];
                dst[k] = v;
                k += (v >>> 31) ^ 1; // a table entry of −1 marks a rejected byte
            }
            MemorySegment.copy(dst, 0, out, Ring.BYTE, done, k);
            done += k;
        }
    }

    /** b ↦ offset + b mod size for b below the largest multiple of size ≤ 256, else −1 (rejected). */
    private static byte[] table(final int size, final int offset)
    {
        final byte[] t = new byte[256];
        final int limit = size * (256 / size);
        for (int b = 0; b < 256; b++)
        {
            t[b] = b < limit ? (byte)(offset + b % size) : (byte)-1;
        }
        return t;
    }
}
