package securenn.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GemmTest
{
    private static final Gemm SCALAR = Kernels.scalar().gemm();
    private static final Gemm VECTOR = Kernels.vector().gemm();
    /** Both micro-kernels, whatever this CPU would choose: 64-bit lane multiply and 32-bit halves. */
    private static final Gemm[] KERNELS = {Kernels.vectorGemm(true), Kernels.vectorGemm(false)};
    private static final String[] KERNEL_NAMES = {"mul64", "mul32"};

    static Stream<Arguments> shapes()
    {
        final int[] dims = {1, 2, 3, 4, 5, 7, 8, 9, 23, 24, 25, 33, 49};
        final List<Arguments> out = new ArrayList<>();
        final SplittableRandom rnd = new SplittableRandom(20261124);
        for (final int m : dims)
        {
            for (final int n : dims)
            {
                final int k = dims[rnd.nextInt(dims.length)];
                out.add(Arguments.of(m, k, n));
            }
        }
        out.add(Arguments.of(1, 784, 128));
        out.add(Arguments.of(128, 100, 130));
        out.add(Arguments.of(7, 800, 19));
        out.add(Arguments.of(3, 0, 5));
        out.add(Arguments.of(0, 4, 5));
        return out.stream();
    }

    @ParameterizedTest(name = "m={0} k={1} n={2}")
    @MethodSource("shapes")
    void shouldMatchScalarTwinForEveryTransposeAndThreadCount(final int m, final int k, final int n)
    {
        final long seed = 31L * m * 1_000_003L + 17L * k * 1009L + n;
        final SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment a = TestData.longs(arena, (long)m * k, rnd);
            final MemorySegment b = TestData.longs(arena, (long)k * n, rnd);
            final MemorySegment c0 = TestData.longs(arena, (long)m * n, rnd);
            for (final Transpose ta : Transpose.values())
            {
                for (final Transpose tb : Transpose.values())
                {
                    for (final boolean acc : new boolean[]{false, true})
                    {
                        final MemorySegment expected = copy(arena, c0, (long)m * n);
                        SCALAR.multiply(a, ta, b, tb, expected, m, k, n, acc);
                        for (int g = 0; g < KERNELS.length; g++)
                        {
                            for (final int threads : new int[]{1, 2, 3})
                            {
                                final MemorySegment actual = copy(arena, c0, (long)m * n);
                                KERNELS[g].multiply(a, ta, b, tb, actual, m, k, n, acc, threads);
                                TestData.assertSameLongs(expected, actual, (long)m * n, KERNEL_NAMES[g] + " seed "
                                    + seed + " m=" + m + " k=" + k + " n=" + n + " ta=" + ta + " tb=" + tb + " acc="
                                    + acc + " threads=" + threads);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void scalarOracleShouldAgreeWithBigIntegerArithmetic()
    {
        final long seed = 7;
        final SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined())
        {
            final int m = 5, k = 9, n = 4;
            final MemorySegment a = TestData.longs(arena, m * k, rnd);
            final MemorySegment b = TestData.longs(arena, k * n, rnd);
            final MemorySegment c = TestData.zeros(arena, m * n * 8L);
            SCALAR.multiply(a, Transpose.NO, b, Transpose.NO, c, m, k, n, false);
            final BigInteger mod = BigInteger.ONE.shiftLeft(64);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    BigInteger sum = BigInteger.ZERO;
                    for (int p = 0; p < k; p++)
                    {
                        sum = sum.add(BigInteger.valueOf(a.getAtIndex(Ring.LONG, i * k + p))
                            .multiply(BigInteger.valueOf(b.getAtIndex(Ring.LONG, p * n + j))));
                    }
                    assertThat(c.getAtIndex(Ring.LONG, i * n + j)).as("seed %d C[%d,%d]", seed, i, j)
                        .isEqualTo(sum.mod(mod).longValue());
                }
            }
        }
    }

    @Test
    void shouldMatchScalarTwinOnTallSkinnyConvolutionShape()
    {
        final int m = 73728, k = 25, n = 20;
        final long seed = 73728;
        final SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment a = TestData.longs(arena, (long)m * k, rnd);
            final MemorySegment b = TestData.longs(arena, (long)k * n, rnd);
            final MemorySegment expected = TestData.zeros(arena, (long)m * n * 8);
            SCALAR.multiply(a, Transpose.NO, b, Transpose.NO, expected, m, k, n, false);
            for (int g = 0; g < KERNELS.length; g++)
            {
                final MemorySegment actual = TestData.zeros(arena, (long)m * n * 8);
                KERNELS[g].multiply(a, Transpose.NO, b, Transpose.NO, actual, m, k, n, false, 2);
                TestData.assertSameLongs(expected, actual, (long)m * n, KERNEL_NAMES[g] + " seed " + seed
                    + " tall-skinny");
            }
        }
    }

    @Test
    void shouldNameTheMicroKernelChoice()
    {
        assertThat(Kernels.vectorGemm(true).choices()).contains("64-bit lanes");
        assertThat(Kernels.vectorGemm(false).choices()).contains("32-bit halves");
        assertThat(VECTOR.choices()).startsWith("GEMM multiplies with");
        assertThat(SCALAR.choices()).isEmpty();
    }

    @Test
    void shouldRejectSegmentsTooSmallForTheShape()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment a = arena.allocate(6 * 8);
            final MemorySegment b = arena.allocate(12 * 8);
            final MemorySegment c = arena.allocate(8 * 8);
            for (final Gemm g : new Gemm[]{SCALAR, VECTOR})
            {
                assertThatThrownBy(() -> g.multiply(a, Transpose.NO, b, Transpose.NO, c, 2, 4, 4, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A holds 6 longs")
                    .hasMessageContaining("m=2 k=4 n=4");
                assertThatThrownBy(() -> g.multiply(a, Transpose.NO, b, Transpose.NO, c, 3, 2, 4, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("C holds 8 longs");
                assertThatThrownBy(() -> g.multiply(a, Transpose.NO, b, Transpose.NO, c, -1, 3, 4, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m must be >= 0");
                assertThatThrownBy(() -> g.multiply(a, Transpose.NO, b, Transpose.NO, c, 2, 3, 4, false, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
            }
        }
    }

    @Test
    void shouldStageConfinedSegmentsWhenThreaded()
    {
        final long seed = 99;
        final SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined())
        {
            final int m = 37, k = 50, n = 41;
            final MemorySegment a = TestData.longs(arena, (long)m * k, rnd);
            final MemorySegment b = TestData.longs(arena, (long)k * n, rnd);
            final MemorySegment c0 = TestData.longs(arena, (long)m * n, rnd);
            for (final boolean acc : new boolean[]{false, true})
            {
                final MemorySegment expected = copy(arena, c0, (long)m * n);
                final MemorySegment actual = copy(arena, c0, (long)m * n);
                SCALAR.multiply(a, Transpose.NO, b, Transpose.YES, expected, m, k, n, acc);
                VECTOR.multiply(a, Transpose.NO, b, Transpose.YES, actual, m, k, n, acc, 2);
                TestData.assertSameLongs(expected, actual, (long)m * n, "seed " + seed + " confined, 2 threads, acc=" + acc);
            }
        }
    }

    @Test
    void shouldRejectOutputOverlappingAnInput()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment buf = arena.allocate(64 * 8);
            final MemorySegment a = buf.asSlice(0, 16 * 8);
            final MemorySegment b = buf.asSlice(16 * 8, 16 * 8);
            final MemorySegment c = buf.asSlice(8 * 8, 16 * 8);
            assertThatThrownBy(() -> VECTOR.multiply(a, Transpose.NO, b, Transpose.NO, c, 4, 4, 4, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("C overlaps A");
        }
    }

    private static MemorySegment copy(final Arena arena, final MemorySegment src, final long n)
    {
        final MemorySegment out = arena.allocate(Math.max(1, n) * Long.BYTES);
        MemorySegment.copy(src, 0, out, 0, n * Long.BYTES);
        return out;
    }
}
