package securenn.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Bit-level support for the comparison protocols: bit extraction and decomposition, unsigned wrap detection
 * and arithmetic in the odd ring Z_{2^64 − 1} (ShareConvert's target ring). Bits are written one per byte (0 or 1).
 */
public interface CompareOps
{
    /** {@code out[i] = bit b of a[i]} for n words; 0 ≤ b < 64. */
    void extractBit(MemorySegment a, int bit, MemorySegment outBits, long n);

    /** Least significant bit of each word (the parity used by ComputeMSB). */
    default void lsb(final MemorySegment a, final MemorySegment outBits, final long n)
    {
        extractBit(a, 0, outBits, n);
    }

    /** Most significant bit of each word (the sign of a two's-complement value). */
    default void msb(final MemorySegment a, final MemorySegment outBits, final long n)
    {
        extractBit(a, Ring.BITS - 1, outBits, n);
    }

    /**
     * Decomposes n words into 64 bit-bytes each: {@code out[64·i + j] = bit j of a[i]} (j = 0 is the least
     * significant bit), the layout PrivateCompare consumes.
     */
    void decompose(MemorySegment a, MemorySegment outBits, long n);

    /** {@code out[i] = 1} iff x[i] + y[i] ≥ 2^64 as unsigned integers (the paper's wrap(x, y, L)). */
    void wrap(MemorySegment x, MemorySegment y, MemorySegment outBits, long n);

    /** Addition in Z_{2^64−1}; inputs must already be reduced (≠ 2^64 − 1, i.e. ≠ −1 as a long). */
    void addOdd(MemorySegment a, MemorySegment b, MemorySegment out, long n);

    /** Subtraction in Z_{2^64−1}; inputs must already be reduced. */
    void subOdd(MemorySegment a, MemorySegment b, MemorySegment out, long n);

    /** Scalar reference for one addition in Z_{2^64−1}. */
    static long addOdd(final long a, final long b)
    {
        long s = a + b;
        if (Long.compareUnsigned(s, a) < 0)
        {
            s += 1; // 2^64 ≡ 1 (mod 2^64 − 1)
        }
        return s == -1L ? 0 : s;
    }

    /** Scalar reference for one subtraction in Z_{2^64−1}. */
    static long subOdd(final long a, final long b)
    {
        final long d = a - b;
        return Long.compareUnsigned(a, b) >= 0 ? d : d - 1; // borrow: + (2^64 − 1) ≡ −1 mod 2^64
    }

    static void checkBits(final String op, final MemorySegment a, final MemorySegment b, final MemorySegment outBits,
        final long n, final long bitsPerWord)
    {
        final String shape = op + " over n=" + n + " words";
        KernelChecks.requireNonNegative("n", n);
        KernelChecks.requireLongs("a", a, n, shape);
        if (b != null)
        {
            KernelChecks.requireLongs("b", b, n, shape);
        }
        if (n > Long.MAX_VALUE / Math.max(1, bitsPerWord))
        {
            throw new IllegalArgumentException(shape + " is too large");
        }
        KernelChecks.requireBytes("outBits", outBits, n * bitsPerWord, shape);
    }

    static void checkBit(final int bit)
    {
        if (bit < 0 || bit >= Ring.BITS)
        {
            throw new IllegalArgumentException("bit index must be in [0, 63] but was " + bit);
        }
    }
}
