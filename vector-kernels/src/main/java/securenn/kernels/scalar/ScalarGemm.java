package securenn.kernels.scalar;

import securenn.kernels.Gemm;
import securenn.kernels.Ring;
import securenn.kernels.Transpose;

import java.lang.foreign.MemorySegment;

/**
 * The scalar triple loop, the oracle for the vector GEMM: each output is one dot product, in Java's wrapping long
 * arithmetic (exactly Z_{2^64}). The thread count is accepted and ignored: the oracle stays simple.
 */
public final class ScalarGemm implements Gemm
{
    @Override
    public void multiply(
        final MemorySegment a, final Transpose ta, final MemorySegment b, final Transpose tb, final MemorySegment c,
        final int m, final int k, final int n, final boolean accumulate, final int threads)
    {
        Gemm.check(a, ta, b, tb, c, m, k, n, threads);
        final boolean aT = ta == Transpose.YES;
        final boolean bT = tb == Transpose.YES;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                long sum = accumulate ? c.getAtIndex(Ring.LONG, (long)i * n + j) : 0;
                for (int p = 0; p < k; p++)
                {
                    final long av = a.getAtIndex(Ring.LONG, aT ? (long)p * m + i : (long)i * k + p);
                    final long bv = b.getAtIndex(Ring.LONG, bT ? (long)j * k + p : (long)p * n + j);
                    sum += av * bv;
                }
                c.setAtIndex(Ring.LONG, (long)i * n + j, sum);
            }
        }
    }
}
