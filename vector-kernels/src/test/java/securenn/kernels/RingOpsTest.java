package securenn.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RingOpsTest
{
    private static final RingOps SCALAR = Kernels.scalar().ring();
    private static final RingOps VECTOR = Kernels.vector().ring();
    static final int[] SIZES = TestData.SIZES;

    @ParameterizedTest(name = "n={0}")
    @FieldSource("SIZES")
    void everyOpShouldMatchScalarTwin(final int n)
    {
        final long seed = 1000 + n;
        final SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment a = TestData.longs(arena, n, rnd);
            final MemorySegment b = TestData.longs(arena, n, rnd);
            final long scalar = rnd.nextLong();
            final int d = 1 + rnd.nextInt(62);
            compare(arena, n, seed, "add", (ops, out) -> ops.add(a, b, out, n));
            compare(arena, n, seed, "sub", (ops, out) -> ops.sub(a, b, out, n));
            compare(arena, n, seed, "neg", (ops, out) -> ops.neg(a, out, n));
            compare(arena, n, seed, "mul", (ops, out) -> ops.mul(a, b, out, n));
            compare(arena, n, seed, "mulScalar", (ops, out) -> ops.mulScalar(a, scalar, out, n));
            compare(arena, n, seed, "addScalar", (ops, out) -> ops.addScalar(a, scalar, out, n));
            for (final int shift : new int[]{0, 1, d, 13, 63})
            {
                compare(arena, n, seed, "shiftRight " + shift, (ops, out) -> ops.shiftRight(a, shift, out, n));
                compare(arena, n, seed, "truncate P0 " + shift, (ops, out) -> ops.truncateShare(a, shift, false, out, n));
                compare(arena, n, seed, "truncate P1 " + shift, (ops, out) -> ops.truncateShare(a, shift, true, out, n));
            }
        }
    }

    @Test
    void scalarTwinShouldComputeRingArithmetic()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment a = arena.allocate(8 * 4);
            final MemorySegment b = arena.allocate(8 * 4);
            final MemorySegment out = arena.allocate(8 * 4);
            final long[] av = {Long.MAX_VALUE, -1, Long.MIN_VALUE, 5};
            final long[] bv = {1, -1, -1, -3};
            MemorySegment.copy(av, 0, a, Ring.LONG, 0, 4);
            MemorySegment.copy(bv, 0, b, Ring.LONG, 0, 4);
            SCALAR.add(a, b, out, 4);
            assertThat(out.toArray(Ring.LONG)).containsExactly(Long.MIN_VALUE, -2, Long.MAX_VALUE, 2);
            SCALAR.mul(a, b, out, 4);
            assertThat(out.toArray(Ring.LONG)).containsExactly(Long.MAX_VALUE, 1, Long.MIN_VALUE, -15);
            SCALAR.shiftRight(a, 1, out, 4);
            assertThat(out.toArray(Ring.LONG)).containsExactly(Long.MAX_VALUE >> 1, -1, Long.MIN_VALUE >> 1, 2);
        }
    }

    @Test
    void inPlaceOperationShouldEqualOutOfPlace()
    {
        final long seed = 77;
        final SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined())
        {
            final int n = 1000;
            final MemorySegment a = TestData.longs(arena, n, rnd);
            final MemorySegment b = TestData.longs(arena, n, rnd);
            final MemorySegment expected = arena.allocate(n * 8L);
            VECTOR.mul(a, b, expected, n);
            VECTOR.mul(a, b, a, n);
            TestData.assertSameLongs(expected, a, n, "seed " + seed + " in-place mul");
        }
    }

    @Test
    void truncatedSharesShouldReconstructToTheShiftedValueWithinOneUlp()
    {
        final long seed = 4242;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int n = 100_000;
        final int d = 13;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment x = arena.allocate(n * 8L);
            final MemorySegment s0 = arena.allocate(n * 8L);
            final MemorySegment s1 = arena.allocate(n * 8L);
            for (int i = 0; i < n; i++)
            {
                final long v = i < 4 ? new long[]{0, 1, -1, (1L << 40) - 1}[i] : rnd.nextLong() >> 24; // |x| < 2^40
                final long r = rnd.nextLong();
                x.setAtIndex(Ring.LONG, i, v);
                s0.setAtIndex(Ring.LONG, i, r);
                s1.setAtIndex(Ring.LONG, i, v - r);
            }
            VECTOR.truncateShare(s0, d, false, s0, n);
            VECTOR.truncateShare(s1, d, true, s1, n);
            for (int i = 0; i < n; i++)
            {
                final long expected = x.getAtIndex(Ring.LONG, i) >> d;
                final long got = s0.getAtIndex(Ring.LONG, i) + s1.getAtIndex(Ring.LONG, i);
                assertThat(got - expected).as("seed %d element %d", seed, i).isBetween(-1L, 1L);
            }
        }
    }

    @Test
    void shouldRejectBadArguments()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment a = arena.allocate(8 * 8);
            final MemorySegment small = arena.allocate(7 * 8);
            for (final RingOps ops : new RingOps[]{SCALAR, VECTOR})
            {
                assertThatThrownBy(() -> ops.add(a, small, a, 8)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("b holds 7 longs but add over n=8 longs needs 8");
                assertThatThrownBy(() -> ops.neg(a, a, -1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("n must be >= 0");
                assertThatThrownBy(() -> ops.shiftRight(a, 64, a, 8)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("shift d must be in [0, 63]");
            }
        }
    }

    private static void compare(final Arena arena, final int n, final long seed, final String op,
        final BiConsumer<RingOps, MemorySegment> call)
    {
        final MemorySegment expected = TestData.zeros(arena, n * 8L);
        final MemorySegment actual = TestData.zeros(arena, n * 8L);
        call.accept(SCALAR, expected);
        call.accept(VECTOR, actual);
        TestData.assertSameLongs(expected, actual, n, "seed " + seed + " " + op + " n=" + n);
    }
}
