package securenn.nn;

import securenn.kernels.Kernels;
import securenn.kernels.Transpose;

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

    /** c = op(a)·op(b) (m×k times k×n). */
    void matmul(MemorySegment a, Transpose ta, MemorySegment b, Transpose tb, MemorySegment c, int m, int k, int n);

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
