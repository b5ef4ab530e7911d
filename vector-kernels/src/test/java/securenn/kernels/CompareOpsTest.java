package securenn.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompareOpsTest
{
    private static final CompareOps SCALAR = Kernels.scalar().compare();
    private static final CompareOps VECTOR = Kernels.vector().compare();
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger ODD = TWO_64.subtract(BigInteger.ONE);
    static final int[] SIZES = TestData.SIZES;

    @ParameterizedTest(name = "n={0}")
    @FieldSource("SIZES")
    void everyOpShouldMatchScalarTwin(final int n)
    {
        final long seed = 2000 + n;
        final SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment a = TestData.longs(arena, n, rnd);
            final MemorySegment b = TestData.longs(arena, n, rnd);
            final MemorySegment oa = TestData.oddRing(arena, n, rnd);
            final MemorySegment ob = TestData.oddRing(arena, n, rnd);
            for (final int bit : new int[]{0, 1, 31, 62, 63})
            {
                bytes(arena, n, seed, "extractBit " + bit, (ops, out) -> ops.extractBit(a, bit, out, n));
            }
            bytes(arena, n, seed, "lsb", (ops, out) -> ops.lsb(a, out, n));
            bytes(arena, n, seed, "msb", (ops, out) -> ops.msb(a, out, n));
            bytes(arena, n * 64L, seed, "decompose", (ops, out) -> ops.decompose(a, out, n));
            bytes(arena, n, seed, "wrap", (ops, out) -> ops.wrap(a, b, out, n));
            longs(arena, n, seed, "addOdd", (ops, out) -> ops.addOdd(oa, ob, out, n));
            longs(arena, n, seed, "subOdd", (ops, out) -> ops.subOdd(oa, ob, out, n));
        }
    }

    @Test
    void scalarTwinShouldAgreeWithBigIntegerDefinitions()
    {
        final long seed = 99;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int n = 5000;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment a = TestData.oddRing(arena, n, rnd);
            final MemorySegment b = TestData.oddRing(arena, n, rnd);
            final MemorySegment wrap = arena.allocate(n);
            final MemorySegment sum = arena.allocate(n * 8L);
            final MemorySegment diff = arena.allocate(n * 8L);
            final MemorySegment bits = arena.allocate(n * 64L);
            SCALAR.wrap(a, b, wrap, n);
            SCALAR.addOdd(a, b, sum, n);
            SCALAR.subOdd(a, b, diff, n);
            SCALAR.decompose(a, bits, n);
            for (int i = 0; i < n; i++)
            {
                final BigInteger x = unsigned(a.getAtIndex(Ring.LONG, i));
                final BigInteger y = unsigned(b.getAtIndex(Ring.LONG, i));
                final String at = "seed " + seed + " element " + i;
                assertThat(wrap.get(Ring.BYTE, i)).as(at).isEqualTo((byte)(x.add(y).compareTo(TWO_64) >= 0 ? 1 : 0));
                assertThat(unsigned(sum.getAtIndex(Ring.LONG, i))).as(at).isEqualTo(x.add(y).mod(ODD));
                assertThat(unsigned(diff.getAtIndex(Ring.LONG, i))).as(at).isEqualTo(x.subtract(y).mod(ODD));
                for (int j = 0; j < 64; j++)
                {
                    assertThat(bits.get(Ring.BYTE, i * 64L + j)).as(at + " bit " + j).isEqualTo((byte)(x.testBit(j) ? 1 : 0));
                }
            }
        }
    }

    @Test
    void oddRingShouldHandleItsCornerCases()
    {
        assertThat(CompareOps.addOdd(-2L, 1L)).isZero();             // (2^64 − 2) + 1 = 2^64 − 1 ≡ 0
        assertThat(CompareOps.addOdd(-2L, -2L)).isEqualTo(-3L);      // 2·(2^64 − 2) ≡ 2^64 − 3
        assertThat(CompareOps.subOdd(0L, 1L)).isEqualTo(-2L);        // −1 ≡ 2^64 − 2
        assertThat(CompareOps.subOdd(5L, 5L)).isZero();
    }

    @Test
    void shouldRejectBadArguments()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment a = arena.allocate(4 * 8);
            final MemorySegment out = arena.allocate(4 * 63);
            for (final CompareOps ops : new CompareOps[]{SCALAR, VECTOR})
            {
                assertThatThrownBy(() -> ops.decompose(a, out, 4)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outBits holds 252 bytes but decompose over n=4 words needs 256");
                assertThatThrownBy(() -> ops.extractBit(a, 64, out, 4)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bit index");
            }
        }
    }

    private static BigInteger unsigned(final long v)
    {
        return new BigInteger(Long.toUnsignedString(v));
    }

    private static void bytes(final Arena arena, final long outBytes, final long seed, final String op,
        final BiConsumer<CompareOps, MemorySegment> call)
    {
        final MemorySegment expected = TestData.zeros(arena, outBytes);
        final MemorySegment actual = TestData.zeros(arena, outBytes);
        call.accept(SCALAR, expected);
        call.accept(VECTOR, actual);
        TestData.assertSameBytes(expected, actual, outBytes, "seed " + seed + " " + op);
    }

    private static void longs(final Arena arena, final int n, final long seed, final String op,
        final BiConsumer<CompareOps, MemorySegment> call)
    {
        final MemorySegment expected = TestData.zeros(arena, n * 8L);
        final MemorySegment actual = TestData.zeros(arena, n * 8L);
        call.accept(SCALAR, expected);
        call.accept(VECTOR, actual);
        TestData.assertSameLongs(expected, actual, n, "seed " + seed + " " + op + " n=" + n);
    }
}
