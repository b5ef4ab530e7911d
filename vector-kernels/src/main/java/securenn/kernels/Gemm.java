package securenn.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Matrix multiplication over Z_{2^64}: {@code C = op(A)·op(B)} or {@code C += op(A)·op(B)}, wrapping mod 2^64.
 *
 * <p>Logical shapes: op(A) is m×k, op(B) is k×n, C is m×n, all row-major little-endian longs. With
 * {@link Transpose#YES} an operand is stored as its transpose (A as k×m, B as n×k), which is how backprop forms
 * Aᵀ·B and A·Bᵀ without copying. C must not overlap A or B.
 */
public interface Gemm
{
    /** Single-threaded product on the calling thread. */
    default void multiply(
        final MemorySegment a, final Transpose ta, final MemorySegment b, final Transpose tb, final MemorySegment c,
        final int m, final int k, final int n, final boolean accumulate)
    {
        multiply(a, ta, b, tb, c, m, k, n, accumulate, 1);
    }

    /**
     * Product split over {@code threads} threads (the caller's thread plus {@code threads − 1} pool threads).
     * Results are identical for every thread count: ring arithmetic is exact and each output is owned by one thread.
     * Segments of any arena work: where A or C is confined to the calling thread, it is staged through shared scratch
     * memory (a copy of m·k and m·n values, small beside the m·k·n multiply-adds).
     */
    void multiply(
        MemorySegment a, Transpose ta, MemorySegment b, Transpose tb, MemorySegment c,
        int m, int k, int n, boolean accumulate, int threads);

    /** Choices this implementation made for this CPU, for the kernels' log line (empty: none). */
    default String choices()
    {
        return "";
    }

    /** Validates the arguments of {@link #multiply}; implementations call it before touching memory. */
    static void check(
        final MemorySegment a, final Transpose ta, final MemorySegment b, final Transpose tb, final MemorySegment c,
        final int m, final int k, final int n, final int threads)
    {
        KernelChecks.requireNonNegative("m", m);
        KernelChecks.requireNonNegative("k", k);
        KernelChecks.requireNonNegative("n", n);
        KernelChecks.requirePositive("threads", threads);
        if (ta == null || tb == null)
        {
            throw new IllegalArgumentException("transpose flags must not be null");
        }
        final String shape = "GEMM m=" + m + " k=" + k + " n=" + n
            + (ta == Transpose.YES ? " Aᵀ" : "") + (tb == Transpose.YES ? " Bᵀ" : "");
        KernelChecks.requireLongs("A", a, (long)m * k, shape);
        KernelChecks.requireLongs("B", b, (long)k * n, shape);
        KernelChecks.requireLongs("C", c, (long)m * n, shape);
        if ((long)m * k > 0 && (long)m * n > 0)
        {
            KernelChecks.requireDisjoint("C", c.asSlice(0, (long)m * n * Long.BYTES), "A", a.asSlice(0, (long)m * k * Long.BYTES));
        }
        if ((long)k * n > 0 && (long)m * n > 0)
        {
            KernelChecks.requireDisjoint("C", c.asSlice(0, (long)m * n * Long.BYTES), "B", b.asSlice(0, (long)k * n * Long.BYTES));
        }
    }

    /** A thread that is never started: a confined segment is not accessible by it, a shared one is. */
    Thread OTHER_THREAD = Thread.ofPlatform().unstarted(() -> { });

    /** Whether threads other than the caller can access {@code s} (a shared, global or automatic arena's memory). */
    static boolean readableByOtherThreads(final MemorySegment s)
    {
        return s.isAccessibleBy(OTHER_THREAD);
    }
}
