package securenn.mpc;

import securenn.kernels.RingOps;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Algorithm 8, long division to f fractional bits: shares of w = min(⌊x·2^f / y⌋, 2^f − 1) for shared 0 ≤ x ≤ y.
 *
 * <p>Bit i (weight 2^{f−i}, i = 1..f) is b = ReLU′(x·2^f − p − y·2^{f−i}), where p accumulates the multiples of y
 * already taken; p += b·y·2^{f−i} by {@link SelectShare}, w += b·2^{f−i} locally (a public multiple of a shared bit
 * needs no protocol — the listing's second SelectShare is unnecessary). Scaling y by 2^{f−i} instead of truncating
 * it (the listing's y/2^i) keeps every step exact. Requires x·2^f and y·2^f below 2^61.
 *
 * <p>Cost per bit: one DReLU and one element-wise product (5·8 bytes per element), f bits in sequence.
 */
public final class Division
{
    private Division()
    {
    }

    public static void run(final Party p, final MemorySegment x, final MemorySegment y, final MemorySegment w,
        final int f, final long n)
    {
        if (p.role() == Role.P2)
        {
            for (int i = 1; i <= f; i++)
            {
                DRelu.run(p, null, null, n);
                MatMul.hadamard(p, null, null, null, n);
            }
            return;
        }
        final RingOps ring = p.kernels().ring();
        try (Arena arena = p.scratch())
        {
            final MemorySegment dividend = Party.longs(arena, n);
            ring.mulScalar(x, 1L << f, dividend, n);
            final MemorySegment z = Party.longs(arena, n);
            final MemorySegment bit = Party.longs(arena, n);
            final MemorySegment taken = Party.longs(arena, n);
            w.fill((byte)0);
            for (int i = 1; i <= f; i++)
            {
                ring.mulScalar(y, 1L << (f - i), z, n);
                ring.sub(dividend, z, taken, n);
                DRelu.run(p, taken, bit, n);
                MatMul.hadamard(p, bit, z, taken, n);
                ring.sub(dividend, taken, dividend, n);
                ring.mulScalar(bit, 1L << (f - i), bit, n);
                ring.add(w, bit, w, n);
            }
        }
    }
}
