package securenn.kernels;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

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
            final MemorySegment shifts = TestData.zp(arena, 4, rnd);
            // this CPU's choice and the two that compile everywhere (VECTOR_COMPRESS runs Java code without VBMI2)
            final List<Kernels> compactions = List.of(v, Kernels.vector(Compaction.BIT_EXTRACT), Kernels.vector(Compaction.LANE_MOVES));
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
                s.zp().containsZero(za, e1, 4);
                v.zp().containsZero(za, e2, 4);
                TestData.assertSameBytes(e1, e2, 4, at + "containsZero");
                shifts.set(Ring.BYTE, rep % 4, (byte)rnd.nextInt(256));
                s.zp().rotateGroups(za, shifts, e1, 4);
                v.zp().rotateGroups(za, shifts, e2, 4);
                TestData.assertSameBytes(e1, e2, 4 * 64L, at + "rotateGroups");
                final int count = 64 + rep % 200;
                final int ks = s.zp().residues(a, count, e1, 150, (rep & 1) == 1);
                for (final Kernels compacting : compactions)
                {
                    final int kv = compacting.zp().residues(a, count, e2, 150, (rep & 1) == 1);
                    assertThat(kv).as(at + "residues count").isEqualTo(ks);
                    TestData.assertSameBytes(e1, e2, ks, at + "residues " + compacting.zp().choices());
                }
            }
        }
    }
}
