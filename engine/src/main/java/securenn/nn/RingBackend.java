package securenn.nn;

import securenn.kernels.Kernels;
import securenn.kernels.Transpose;
import securenn.mpc.Factor;
import securenn.mpc.LinearMap;

import java.lang.foreign.MemorySegment;

/**
 * The operations a network needs over Z_{2^64}, so that one forward pass serves the plaintext fixed-point twin and
 * the secure protocol alike. Local linear work (im2col, bias, layout changes) is done by the network itself, and only
 * where {@link #holdsData()} — P2 runs the same program but holds no data.
 */
public interface RingBackend
{
    boolean holdsData();

    Kernels kernels();

    /** A frame of reusable temporary memory for one pass (see {@link securenn.mpc.ScratchMemory}); close it. */
    java.lang.foreign.Arena scratch();

    /**
     * Opens shared matrices (sizes in longs) as factors of later products, all in one round; the twin's factors are
     * the values themselves. P2 passes null values. The factors live in {@code arena}.
     */
    Factor[] open(java.lang.foreign.Arena arena, long[] sizes, MemorySegment... values);

    /** c = op(a)·op(b) (m×k times k×n) from opened factors. */
    default void matmul(final Factor a, final Transpose ta, final Factor b, final Transpose tb, final MemorySegment c,
        final int m, final int k, final int n)
    {
        matmul(a, ta, b, tb, c, m, k, n, null);
    }

    /** c = post(op(a)·op(b)) for a public linear map (null: none) from opened factors. */
    void matmul(Factor a, Transpose ta, Factor b, Transpose tb, MemorySegment c, int m, int k, int n, LinearMap post);

    /** c = op(a)·op(b) (m×k times k×n), opening both operands for this product only. */
    default void matmul(final MemorySegment a, final Transpose ta, final MemorySegment b, final Transpose tb,
        final MemorySegment c, final int m, final int k, final int n)
    {
        try (java.lang.foreign.Arena arena = scratch())
        {
            final Factor[] f = open(arena, new long[]{(long)m * k, (long)k * n}, a, b);
            matmul(f[0], ta, f[1], tb, c, m, k, n);
        }
    }

    /** Divides by 2^f (fixed-point rescaling after a product). */
    void truncate(MemorySegment x, int f, long n);

    void relu(MemorySegment x, MemorySegment out, long n);

    /** Maximum of each group of {@code size} consecutive values. */
    void maxPool(MemorySegment windows, MemorySegment out, long groups, int size);

    /** Maximum of each group and the index of its last occurrence (shares of it, for the secure backend). */
    void maxPool(MemorySegment windows, MemorySegment out, MemorySegment index, long groups, int size);

    /** One-hot vectors (groups × size) of the given indices; size a power of two. */
    void maxPoolDerivative(MemorySegment index, MemorySegment out, long groups, int size);

    /** ReLU that also returns ReLU′ (0/1) for backpropagation. */
    void relu(MemorySegment x, MemorySegment out, MemorySegment derivative, long n);

    /** Adds a public constant to every element (on shares: one party adds it). */
    void addConstant(MemorySegment x, long constant, long n);

    /** Element-wise product (no rescaling). */
    void hadamard(MemorySegment a, MemorySegment b, MemorySegment out, long n);

    /** min(⌊x·2^f / y⌋, 2^f − 1) for 0 ≤ x ≤ y, element-wise. */
    void divide(MemorySegment x, MemorySegment y, MemorySegment out, int f, long n);
}
