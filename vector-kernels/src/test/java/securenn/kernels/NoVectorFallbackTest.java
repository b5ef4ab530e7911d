package securenn.kernels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * No kernel that {@link Kernels#best()} chose for this CPU runs the Vector API's Java fallback once compiled
 * ({@link FallbackProbe}): a refused intrinsic is silent and 10–100× slower than the scalar twin, so without this
 * test it comes back unnoticed on the next CPU or JDK. Each kernel of the protocol path runs at the sizes protocols
 * use; the test fails naming the kernel and the refused call.
 */
class NoVectorFallbackTest
{
    /**
     * Above warm-up stragglers (a few C1-compiled calls before C2 finishes); a fallback in the loop body takes most
     * samples (refused {@code selectFrom} on AVX2: 55%). A fallback in a call made once per group of a cheap kernel
     * could stay below this: the probe is a net for the common case, not a proof.
     */
    private static final double MAX_FALLBACK_SHARE = 0.2;
    /**
     * Vector objects a kernel may allocate in one sampled window: compiled kernels allocate none (escape analysis), a
     * kernel whose vectors are boxed allocates one per operation — thousands of samples at JFR's 10,000/s throttle.
     */
    private static final int MAX_VECTOR_ALLOCATIONS = 20;
    private static final Duration WARMUP = Duration.ofMillis(1500);
    private static final Duration SAMPLED = Duration.ofMillis(700);
    private static final int LEN = 1 << 14;
    private static final int GROUPS = LEN / 64;

    private static Arena arena;
    private static MemorySegment x, y, out, bits, zx, zy, beta, shifts;

    @BeforeAll
    static void data()
    {
        assumeTrue(Kernels.best().vectorBits() > 0, "the scalar kernels were chosen (" + Kernels.PROVIDER_PROP + " or no "
            + "jdk.incubator.vector): no Vector API code to check");
        final SplittableRandom rnd = new SplittableRandom(4242); // test data, no secret
        arena = Arena.ofShared();
        x = TestData.longs(arena, LEN, rnd);
        y = TestData.longs(arena, LEN, rnd);
        out = arena.allocate(LEN * 8L * 64);
        bits = TestData.zp(arena, LEN * 64L, rnd).asSlice(0, LEN * 64L);
        zx = TestData.zp(arena, LEN, rnd);
        zy = TestData.zp(arena, LEN, rnd);
        beta = TestData.zp(arena, GROUPS, rnd);
        shifts = TestData.zp(arena, GROUPS, rnd);
        for (long i = 0; i < bits.byteSize(); i++)
        {
            bits.set(Ring.BYTE, i, (byte)(bits.get(Ring.BYTE, i) & 1));
        }
        for (long i = 0; i < GROUPS; i++)
        {
            beta.set(Ring.BYTE, i, (byte)(beta.get(Ring.BYTE, i) & 1));
        }
    }

    @AfterAll
    static void free()
    {
        arena.close();
    }

    static Stream<Arguments> kernels()
    {
        final Kernels k = Kernels.best();
        return Stream.of(
            Arguments.of("GEMM 128×100·100×130", (Runnable)() -> k.gemm().multiply(x, Transpose.NO, y, Transpose.NO, out, 128, 100, 130, false)),
            Arguments.of("GEMM Aᵀ·B accumulate", (Runnable)() -> k.gemm().multiply(x, Transpose.YES, y, Transpose.NO, out, 100, 128, 120, true)),
            Arguments.of("GEMM A·Bᵀ", (Runnable)() -> k.gemm().multiply(x, Transpose.NO, y, Transpose.YES, out, 64, 200, 70, false)),
            Arguments.of("GEMM one row", (Runnable)() -> k.gemm().multiply(x, Transpose.NO, y, Transpose.NO, out, 1, 784, 20, false)),
            Arguments.of("ring add", (Runnable)() -> k.ring().add(x, y, out, LEN)),
            Arguments.of("ring sub", (Runnable)() -> k.ring().sub(x, y, out, LEN)),
            Arguments.of("ring neg", (Runnable)() -> k.ring().neg(x, out, LEN)),
            Arguments.of("ring mul", (Runnable)() -> k.ring().mul(x, y, out, LEN)),
            Arguments.of("ring mulScalar", (Runnable)() -> k.ring().mulScalar(x, 12345, out, LEN)),
            Arguments.of("ring addScalar", (Runnable)() -> k.ring().addScalar(x, 12345, out, LEN)),
            Arguments.of("ring shiftRight", (Runnable)() -> k.ring().shiftRight(x, 13, out, LEN)),
            Arguments.of("truncateShare P0", (Runnable)() -> k.ring().truncateShare(x, 13, false, out, LEN)),
            Arguments.of("truncateShare P1", (Runnable)() -> k.ring().truncateShare(x, 13, true, out, LEN)),
            Arguments.of("extractBit", (Runnable)() -> k.compare().extractBit(x, 63, out, LEN)),
            Arguments.of("decompose", (Runnable)() -> k.compare().decompose(x, out, GROUPS)),
            Arguments.of("wrap", (Runnable)() -> k.compare().wrap(x, y, out, LEN)),
            Arguments.of("addOdd", (Runnable)() -> k.compare().addOdd(x, y, out, LEN)),
            Arguments.of("subOdd", (Runnable)() -> k.compare().subOdd(x, y, out, LEN)),
            Arguments.of("Z_67 add", (Runnable)() -> k.zp().add(zx, zy, out, LEN)),
            Arguments.of("Z_67 sub", (Runnable)() -> k.zp().sub(zx, zy, out, LEN)),
            Arguments.of("Z_67 mul", (Runnable)() -> k.zp().mul(zx, zy, out, LEN)),
            Arguments.of("PrivateCompare vector", (Runnable)() -> k.zp().privateCompareVector(bits, x, beta, 1, out, GROUPS)),
            Arguments.of("containsZero", (Runnable)() -> k.zp().containsZero(bits, out, GROUPS)),
            Arguments.of("rotateGroups", (Runnable)() -> k.zp().rotateGroups(bits, shifts, out, GROUPS)),
            Arguments.of("Z_67 residues", (Runnable)() -> k.zp().residues(x, 8192, out, 6000, false)),
            Arguments.of("Z_67* residues", (Runnable)() -> k.zp().residues(x, 8192, out, 6000, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void shouldNotRunTheVectorApiFallbackOnThisCpu(final String kernel, final Runnable call)
    {
        final FallbackProbe.Result r = FallbackProbe.sample(kernel, call, WARMUP, SAMPLED, MAX_FALLBACK_SHARE,
            MAX_VECTOR_ALLOCATIONS);
        System.out.printf("%-24s %4d samples, %5.1f%% in Vector API fallback code, %d vector objects allocated %s%n", kernel,
            r.samples(), 100 * r.fallbackShare(), r.vectorAllocations(), r.example());
        assertThat(r.samples()).as("JFR took fewer than %d samples of %s in each of %d windows", FallbackProbe.MIN_SAMPLES,
            kernel, FallbackProbe.WINDOWS).isPositive();
        assertThat(r.fallbackShare()).as("%s on %s: %d of %d samples run the Vector API's Java fallback, e.g. %s",
            kernel, Kernels.best().name() + " " + Kernels.best().vectorBits() + "-bit", r.fallbackSamples(), r.samples(),
            r.example()).isLessThanOrEqualTo(MAX_FALLBACK_SHARE);
        assertThat(r.vectorAllocations()).as("%s allocates Vector API objects (boxed vectors: a kernel too large for C2 "
            + "to inline whole?), e.g. %s", kernel, r.example()).isLessThanOrEqualTo(MAX_VECTOR_ALLOCATIONS);
    }
}
