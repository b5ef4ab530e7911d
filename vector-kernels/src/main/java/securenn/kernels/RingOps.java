package securenn.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Element-wise arithmetic in Z_{2^64} over {@code n} little-endian longs. The output may be the same segment as an
 * input (in-place), but must not partially overlap one.
 */
public interface RingOps
{
    void add(MemorySegment a, MemorySegment b, MemorySegment out, long n);

    void sub(MemorySegment a, MemorySegment b, MemorySegment out, long n);

    void neg(MemorySegment a, MemorySegment out, long n);

    /** Hadamard (element-wise) product. */
    void mul(MemorySegment a, MemorySegment b, MemorySegment out, long n);

    void mulScalar(MemorySegment a, long scalar, MemorySegment out, long n);

    void addScalar(MemorySegment a, long scalar, MemorySegment out, long n);

    /** Arithmetic (sign-extending) shift right by {@code d} bits, 0 ≤ d < 64. */
    void shiftRight(MemorySegment a, int d, MemorySegment out, long n);

    /**
     * The paper's local share truncation (Algorithm 11, after SecureML): party P0 computes {@code a >> d}, party P1
     * computes {@code −((−a) >> d)}. The reconstructed result is ⌊x / 2^d⌋ or that +1 (the documented ±1 ulp),
     * with overwhelming probability when |x| is far below 2^63.
     *
     * @param partyOne false for P0's share, true for P1's share
     */
    void truncateShare(MemorySegment a, int d, boolean partyOne, MemorySegment out, long n);

    static void check(final String op, final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        final String shape = op + " over n=" + n + " longs";
        KernelChecks.requireNonNegative("n", n);
        KernelChecks.requireLongs("a", a, n, shape);
        if (b != null)
        {
            KernelChecks.requireLongs("b", b, n, shape);
        }
        KernelChecks.requireLongs("out", out, n, shape);
    }

    static void checkShift(final int d)
    {
        if (d < 0 || d >= Ring.BITS)
        {
            throw new IllegalArgumentException("shift d must be in [0, 63] but was " + d);
        }
    }
}
