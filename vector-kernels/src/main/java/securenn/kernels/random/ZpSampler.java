package securenn.kernels.random;

import securenn.kernels.KernelChecks;
import securenn.kernels.Ring;

import java.lang.foreign.MemorySegment;

/**
 * Uniform values of Z_p and Z_p* (p = 67) from a pseudorandom stream, one per byte, by rejection sampling: a byte
 * below 201 = 3·67 gives {@code b mod 67} (a 79% acceptance), so every value is exactly equally likely.
 */
public final class ZpSampler
{
    private static final int LIMIT = Ring.P * (256 / Ring.P);
    private static final int NON_ZERO = Ring.P - 1;
    private static final int LIMIT_NON_ZERO = NON_ZERO * (256 / NON_ZERO);

    private ZpSampler()
    {
    }

    /** Fills {@code n} bytes of {@code out} with uniform values of Z_67 = {0, …, 66}. */
    public static void uniform(final AesCtrPrg prg, final MemorySegment out, final long n)
    {
        KernelChecks.requireBytes("out", out, n, "uniform Z_p fill of " + n);
        for (long i = 0; i < n; i++)
        {
            int b;
            do
            {
                b = prg.nextByte();
            }
            while (b >= LIMIT);
            out.set(Ring.BYTE, i, (byte)(b % Ring.P));
        }
    }

    /** Fills {@code n} bytes of {@code out} with uniform values of Z_67* = {1, …, 66} (PrivateCompare's s_i). */
    public static void uniformNonZero(final AesCtrPrg prg, final MemorySegment out, final long n)
    {
        KernelChecks.requireBytes("out", out, n, "uniform Z_p* fill of " + n);
        for (long i = 0; i < n; i++)
        {
            int b;
            do
            {
                b = prg.nextByte();
            }
            while (b >= LIMIT_NON_ZERO);
            out.set(Ring.BYTE, i, (byte)(1 + b % NON_ZERO));
        }
    }
}
