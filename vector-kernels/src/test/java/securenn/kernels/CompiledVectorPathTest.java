package securenn.kernels;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/**
 * Repeats every vector kernel on small inputs enough times for C2 to compile the vector paths (an interpreted
 * Vector API call runs the Java fallback, which can hide intrinsic-only bugs), checking each repetition against
 * the scalar twin.
 */
class CompiledVectorPathTest
{
    private static final int REPS = 12_000;

    @Test
    void compiledKernelsShouldStillMatchScalarTwins()
    {
        final Kernels v = Kernels.vector();
        final Kernels s = Kernels.scalar();
        final long seed = 8080;
        final SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined())
        {
            final int n = 67; // one full 64-lane byte group plus tails for the word ops
            final MemorySegment a = TestData.longs(arena, 64 * 9, rnd);
            final MemorySegment b = TestData.longs(arena, 64 * 9, rnd);
            final MemorySegment za = TestData.zp(arena, 64L * n, rnd);
            final MemorySegment zb = TestData.zp(arena, 64L * n, rnd);
            final MemorySegment beta = TestData.zp(arena, n, rnd);
            beta.asSlice(0, n).elements(Ring.BYTE).forEach(x -> x.set(Ring.BYTE, 0, (byte)(x.get(Ring.BYTE, 0) & 1)));
            final MemorySegment e1 = arena.allocate(64 * 9 * 64L), e2 = arena.allocate(64 * 9 * 64L);
            for (int rep = 0; rep < REPS; rep++)
            {
                final String at = "seed " + seed + " repetition " + rep + " ";
                final int m = 1 + rep % 9, k = 1 + rep % 7, cols = 1 + rep % 29;
                s.gemm().multiply(a, Transpose.NO, b, Transpose.YES, e1, m, k, cols, false);
                v.gemm().multiply(a, Transpose.NO, b, Transpose.YES, e2, m, k, cols, false);
                TestData.assertSameLongs(e1, e2, (long)m * cols, at + "gemm");
                s.ring().mul(a, b, e1, n);
                v.ring().mul(a, b, e2, n);
                TestData.assertSameLongs(e1, e2, n, at + "ring mul");
                s.ring().truncateShare(a, 13, true, e1, n);
                v.ring().truncateShare(a, 13, true, e2, n);
                TestData.assertSameLongs(e1, e2, n, at + "truncate");
                s.compare().wrap(a, b, e1, n);
                v.compare().wrap(a, b, e2, n);
                TestData.assertSameBytes(e1, e2, n, at + "wrap");
                s.compare().decompose(a, e1, 3);
                v.compare().decompose(a, e2, 3);
                TestData.assertSameBytes(e1, e2, 3 * 64L, at + "decompose");
                s.zp().mul(za, zb, e1, 64L * n);
                v.zp().mul(za, zb, e2, 64L * n);
                TestData.assertSameBytes(e1, e2, 64L * n, at + "zp mul");
                s.zp().privateCompareVector(za, a, beta, rep & 1, e1, 4);
                v.zp().privateCompareVector(za, a, beta, rep & 1, e2, 4);
                TestData.assertSameBytes(e1, e2, 4 * 64L, at + "privateCompareVector");
            }
        }
    }
}
