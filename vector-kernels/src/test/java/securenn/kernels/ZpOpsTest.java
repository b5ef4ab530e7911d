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

class ZpOpsTest
{
    private static final ZpOps SCALAR = Kernels.scalar().zp();
    private static final ZpOps VECTOR = Kernels.vector().zp();
    static final int[] SIZES = TestData.SIZES;

    @ParameterizedTest(name = "n={0}")
    @FieldSource("SIZES")
    void elementWiseOpsShouldMatchScalarTwin(final int n)
    {
        final long seed = 3000 + n;
        final SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment a = TestData.zp(arena, n, rnd);
            final MemorySegment b = TestData.zp(arena, n, rnd);
            compare(arena, n, seed, "add", (ops, out) -> ops.add(a, b, out, n));
            compare(arena, n, seed, "sub", (ops, out) -> ops.sub(a, b, out, n));
            compare(arena, n, seed, "mul", (ops, out) -> ops.mul(a, b, out, n));
        }
    }

    @Test
    void mulShouldBeExactOnEveryPairOfResidues()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final int n = Ring.P * Ring.P;
            final MemorySegment a = arena.allocate(n);
            final MemorySegment b = arena.allocate(n);
            for (int i = 0; i < n; i++)
            {
                a.set(Ring.BYTE, i, (byte)(i / Ring.P));
                b.set(Ring.BYTE, i, (byte)(i % Ring.P));
            }
            for (final ZpOps ops : new ZpOps[]{SCALAR, VECTOR})
            {
                final MemorySegment prod = arena.allocate(n);
                final MemorySegment sum = arena.allocate(n);
                final MemorySegment diff = arena.allocate(n);
                ops.mul(a, b, prod, n);
                ops.add(a, b, sum, n);
                ops.sub(a, b, diff, n);
                for (int i = 0; i < n; i++)
                {
                    final int x = i / Ring.P, y = i % Ring.P;
                    assertThat(prod.get(Ring.BYTE, i)).as("%d·%d", x, y).isEqualTo((byte)(x * y % Ring.P));
                    assertThat(sum.get(Ring.BYTE, i)).as("%d+%d", x, y).isEqualTo((byte)((x + y) % Ring.P));
                    assertThat(diff.get(Ring.BYTE, i)).as("%d−%d", x, y).isEqualTo((byte)(((x - y) % Ring.P + Ring.P) % Ring.P));
                }
            }
        }
    }

    @ParameterizedTest(name = "n={0}")
    @FieldSource("SIZES")
    void groupOpsShouldMatchScalarTwin(final int n)
    {
        final long seed = 4000 + n;
        final SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment x = TestData.zp(arena, n * 64L, rnd);
            final MemorySegment comparand = TestData.longs(arena, n, rnd);
            final MemorySegment beta = arena.allocate(Math.max(1, n));
            final MemorySegment perm = arena.allocate(Math.max(1, n * 64L));
            for (int e = 0; e < n; e++)
            {
                beta.set(Ring.BYTE, e, (byte)rnd.nextInt(2));
                for (int i = 0; i < 64; i++)
                {
                    perm.set(Ring.BYTE, e * 64L + i, (byte)i);
                }
                for (int i = 63; i > 0; i--)
                {
                    final int j = rnd.nextInt(i + 1);
                    final byte t = perm.get(Ring.BYTE, e * 64L + i);
                    perm.set(Ring.BYTE, e * 64L + i, perm.get(Ring.BYTE, e * 64L + j));
                    perm.set(Ring.BYTE, e * 64L + j, t);
                }
            }
            for (final int party : new int[]{0, 1})
            {
                compare(arena, n * 64L, seed, "privateCompareVector P" + party,
                    (ops, out) -> ops.privateCompareVector(x, comparand, beta, party, out, n));
            }
            compare(arena, n, seed, "containsZero", (ops, out) -> ops.containsZero(x, out, n));
            compare(arena, n * 64L, seed, "permuteGroups", (ops, out) -> ops.permuteGroups(x, perm, out, n));
            final MemorySegment shifts = arena.allocate(Math.max(1, n));
            for (int e = 0; e < n; e++)
            {
                shifts.set(Ring.BYTE, e, (byte)rnd.nextInt(256)); // only the low 6 bits count
            }
            compare(arena, n * 64L, seed, "rotateGroups", (ops, out) -> ops.rotateGroups(x, shifts, out, n));
        }
    }

    /**
     * The reconstructed PrivateCompare vector has a zero exactly when x &gt; r (β = 0) or x ≤ r (β = 1), over random
     * values, equal values, neighbours and the extremes of the unsigned 64-bit range.
     */
    @Test
    void reconstructedVectorShouldDecideTheComparison()
    {
        final long seed = 67;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int n = 20_000;
        try (Arena arena = Arena.ofConfined())
        {
            final long[] xs = new long[n];
            final long[] rs = new long[n];
            final MemorySegment x0 = arena.allocate(n * 64L);
            final MemorySegment x1 = arena.allocate(n * 64L);
            final MemorySegment comparand = arena.allocate(n * 8L);
            final MemorySegment beta = arena.allocate(n);
            for (int e = 0; e < n; e++)
            {
                final long x = rnd.nextInt(4) == 0 ? TestData.EDGES[rnd.nextInt(TestData.EDGES.length)] : rnd.nextLong();
                final long r = switch (rnd.nextInt(5))
                {
                    case 0 -> x;
                    case 1 -> x - 1;
                    case 2 -> x + 1;
                    case 3 -> TestData.EDGES[rnd.nextInt(TestData.EDGES.length)];
                    default -> rnd.nextLong();
                };
                final int b = r == -1L ? 0 : rnd.nextInt(2); // r = 2^64 − 1 with β = 1 is the protocol's corner case
                xs[e] = x;
                rs[e] = r;
                beta.set(Ring.BYTE, e, (byte)b);
                comparand.setAtIndex(Ring.LONG, e, b == 0 ? r : r + 1);
                for (int i = 0; i < 64; i++)
                {
                    final int bit = (int)((x >>> i) & 1);
                    final int share = rnd.nextInt(Ring.P);
                    x0.set(Ring.BYTE, e * 64L + i, (byte)share);
                    x1.set(Ring.BYTE, e * 64L + i, (byte)ZpOps.sub(bit, share));
                }
            }
            for (final ZpOps ops : new ZpOps[]{SCALAR, VECTOR})
            {
                final MemorySegment c0 = arena.allocate(n * 64L);
                final MemorySegment c1 = arena.allocate(n * 64L);
                final MemorySegment c = arena.allocate(n * 64L);
                final MemorySegment found = arena.allocate(n);
                ops.privateCompareVector(x0, comparand, beta, 0, c0, n);
                ops.privateCompareVector(x1, comparand, beta, 1, c1, n);
                ops.add(c0, c1, c, n * 64L);
                ops.containsZero(c, found, n);
                for (int e = 0; e < n; e++)
                {
                    final boolean greater = Long.compareUnsigned(xs[e], rs[e]) > 0;
                    final boolean expected = beta.get(Ring.BYTE, e) == 0 ? greater : !greater;
                    assertThat(found.get(Ring.BYTE, e)).as("seed %d x=%s r=%s β=%d", seed,
                        Long.toUnsignedString(xs[e]), Long.toUnsignedString(rs[e]), beta.get(Ring.BYTE, e))
                        .isEqualTo((byte)(expected ? 1 : 0));
                }
            }
        }
    }

    @Test
    void residuesShouldMatchTheScalarFilterForEveryCountAndCap()
    {
        final long seed = 2222;
        final SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment random = arena.allocate(5000);
            for (long i = 0; i < random.byteSize(); i++)
            {
                random.set(Ring.BYTE, i, (byte)rnd.nextInt(256));
            }
            for (final boolean nonZero : new boolean[]{false, true})
            {
                for (final int count : new int[]{0, 1, 63, 64, 65, 200, 4999})
                {
                    for (final int cap : new int[]{0, 1, 50, 64, 100, 5000})
                    {
                        final MemorySegment e = arena.allocate(cap + 64L);
                        final MemorySegment a = arena.allocate(cap + 64L);
                        final int ke = SCALAR.residues(random, count, e, cap, nonZero);
                        for (final Compaction compaction : Compaction.values())
                        {
                            final int ka = Kernels.vector(compaction).zp().residues(random, count, a, cap, nonZero);
                            assertThat(ka).as("seed %d count %d cap %d nonZero %s compaction %s", seed, count, cap,
                                nonZero, compaction).isEqualTo(ke);
                            TestData.assertSameBytes(e, a, ke, "seed " + seed + " residues count " + count + " cap " + cap
                                + " compaction " + compaction);
                        }
                        for (int i = 0; i < ke; i++)
                        {
                            assertThat((int)e.get(Ring.BYTE, i)).isBetween(nonZero ? 1 : 0, Ring.P - 1);
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldRejectBadArguments()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment bytes = arena.allocate(128);
            final MemorySegment longs = arena.allocate(16);
            final MemorySegment badPerm = arena.allocate(128);
            badPerm.fill((byte)64);
            for (final ZpOps ops : new ZpOps[]{SCALAR, VECTOR})
            {
                assertThatThrownBy(() -> ops.privateCompareVector(bytes, longs, bytes, 2, arena.allocate(128), 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("party must be 0 (P0) or 1 (P1)");
                assertThatThrownBy(() -> ops.privateCompareVector(bytes, longs, bytes, 0, arena.allocate(100), 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out holds 100 bytes");
                assertThatThrownBy(() -> ops.permuteGroups(bytes, badPerm, arena.allocate(128), 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 63]");
            }
        }
    }

    private static void compare(final Arena arena, final long outBytes, final long seed, final String op,
        final BiConsumer<ZpOps, MemorySegment> call)
    {
        final MemorySegment expected = TestData.zeros(arena, outBytes);
        final MemorySegment actual = TestData.zeros(arena, outBytes);
        call.accept(SCALAR, expected);
        call.accept(VECTOR, actual);
        TestData.assertSameBytes(expected, actual, outBytes, "seed " + seed + " " + op);
    }
}
