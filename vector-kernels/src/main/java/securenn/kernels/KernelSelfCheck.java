package securenn.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * Runs every kernel of a candidate implementation and of the scalar oracle on the same random inputs, compares
 * the outputs exactly and times both (best of a few runs after a warm-up that lasts until the timings settle). Used by
 * the command line's demo to show on any machine that the vector kernels agree with the oracle and what they gain.
 */
public final class KernelSelfCheck
{
    /** One kernel's verdict: whether the outputs agree, and the best time of each implementation. */
    public record Result(String kernel, String shape, boolean agrees, double scalarMillis, double candidateMillis)
    {
        public double speedup()
        {
            return scalarMillis / candidateMillis;
        }
    }

    private static final int RUNS = 15;
    private static final long WARMUP_MS = 400;
    /**
     * Warm-up also lasts until {@value #WARMUP_CALLS} calls in a row bring no new best time (5%), up to
     * {@value #WARMUP_LIMIT_MS} ms: the first call of a kernel over 1 MiB runs interpreted Vector API code until
     * on-stack replacement (1.9 s for Z_67 mul on an AMD EPYC Zen 3), and a deoptimisation after it sends the kernel
     * back to slow code until C2 compiles it again — a timed warm-up alone measured such a kernel as slower than scalar.
     */
    private static final int WARMUP_CALLS = 10;
    private static final long WARMUP_LIMIT_MS = 6000;

    private final Kernels scalar = Kernels.scalar();
    private final Kernels candidate;
    private final long seed;

    public KernelSelfCheck(final Kernels candidate, final long seed)
    {
        this.candidate = candidate;
        this.seed = seed;
    }

    public List<Result> run()
    {
        final List<Result> results = new ArrayList<>();
        final SplittableRandom rnd = new SplittableRandom(seed); // test data, no secret: reproducible from the seed
        try (Arena arena = Arena.ofShared())
        {
            final int m = 128, k = 784, n = 128;
            final MemorySegment a = random(arena, (long)m * k, rnd);
            final MemorySegment b = random(arena, (long)k * n, rnd);
            results.add(check(arena, "GEMM", m + "×" + k + "·" + k + "×" + n, (long)m * n * 8,
                (ks, out) -> ks.gemm().multiply(a, Transpose.NO, b, Transpose.NO, out, m, k, n, false)));
            results.add(check(arena, "GEMM Aᵀ·B, 2 threads", k + "×" + m + "ᵀ·" + k + "×" + n, (long)m * n * 8,
                (ks, out) -> ks.gemm().multiply(a, Transpose.YES, b, Transpose.NO, out, m, k, n, false, 2)));
            final int len = 1 << 20;
            final MemorySegment x = random(arena, len, rnd);
            final MemorySegment y = random(arena, len, rnd);
            results.add(check(arena, "ring mul", len + " longs", len * 8L, (ks, out) -> ks.ring().mul(x, y, out, len)));
            results.add(check(arena, "share truncation (P1)", len + " longs", len * 8L,
                (ks, out) -> ks.ring().truncateShare(x, 13, true, out, len)));
            results.add(check(arena, "wrap detection", len + " pairs", len, (ks, out) -> ks.compare().wrap(x, y, out, len)));
            results.add(check(arena, "Z_{2^64-1} add", len + " longs", len * 8L,
                (ks, out) -> ks.compare().addOdd(x, y, out, len)));
            final int words = len / 64;
            results.add(check(arena, "bit decomposition", words + " words", words * 64L,
                (ks, out) -> ks.compare().decompose(x, out, words)));
            final MemorySegment zx = arena.allocate((long)words * 64);
            for (long i = 0; i < zx.byteSize(); i++)
            {
                zx.set(Ring.BYTE, i, (byte)rnd.nextInt(Ring.P));
            }
            final MemorySegment beta = arena.allocate(words);
            for (long i = 0; i < words; i++)
            {
                beta.set(Ring.BYTE, i, (byte)rnd.nextInt(2)); // both branches of the (−1)^β flip
            }
            results.add(check(arena, "PrivateCompare vector", words + " comparisons", words * 64L,
                (ks, out) -> ks.zp().privateCompareVector(zx, x, beta, 1, out, words)));
            results.add(check(arena, "PrivateCompare zero test", words + " comparisons", words,
                (ks, out) -> ks.zp().containsZero(zx, out, words)));
            final MemorySegment shifts = arena.allocate(words);
            for (long i = 0; i < words; i++)
            {
                shifts.set(Ring.BYTE, i, (byte)rnd.nextInt(Ring.BITS));
            }
            results.add(check(arena, "PrivateCompare rotation", words + " groups", words * 64L,
                (ks, out) -> ks.zp().rotateGroups(zx, shifts, out, words)));
            results.add(check(arena, "Z_67 mul", words * 64 + " bytes", words * 64L,
                (ks, out) -> ks.zp().mul(zx, zx, out, words * 64L)));
            final int sampled = words * 32; // of words·64 stream bytes: about 78% are accepted, so the cap is reached
            results.add(check(arena, "Z_67 sampling", words * 64 + " bytes", sampled + 64L, (ks, out) ->
                out.asSlice(ks.zp().residues(x, words * 64, out, sampled, false)).fill((byte)0)));
        }
        return results;
    }

    private Result check(final Arena arena, final String kernel, final String shape, final long outBytes,
        final BiConsumer<Kernels, MemorySegment> call)
    {
        final MemorySegment expected = arena.allocate(outBytes);
        final MemorySegment actual = arena.allocate(outBytes);
        final double scalarMs = best(() -> call.accept(scalar, expected));
        final double candidateMs = best(() -> call.accept(candidate, actual));
        return new Result(kernel, shape, expected.mismatch(actual) == -1, scalarMs, candidateMs);
    }

    /**
     * Best of {@value #RUNS} runs after at least {@value #WARMUP_MS} ms of warm-up (see {@link #WARMUP_CALLS}): the Vector API is fast only once C2 has
     * compiled the kernel (interpreted or C1 code boxes every vector), so an unwarmed timing would call a fast kernel
     * slower than its scalar twin.
     */
    private static double best(final Runnable r)
    {
        final long start = System.nanoTime();
        double fastest = Double.MAX_VALUE;
        int sinceImproved = 0;
        while (sinceImproved < WARMUP_CALLS || System.nanoTime() - start < WARMUP_MS * 1_000_000L)
        {
            final long t0 = System.nanoTime();
            r.run();
            final double ms = (System.nanoTime() - t0) / 1e6;
            sinceImproved = ms < 0.95 * fastest ? 0 : sinceImproved + 1;
            fastest = Math.min(fastest, ms);
            if (System.nanoTime() - start > WARMUP_LIMIT_MS * 1_000_000L)
            {
                break;
            }
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < RUNS; i++)
        {
            final long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }

    private static MemorySegment random(final Arena arena, final long n, final SplittableRandom rnd)
    {
        final MemorySegment s = arena.allocate(n * Long.BYTES, Long.BYTES);
        for (long i = 0; i < n; i++)
        {
            s.setAtIndex(Ring.LONG, i, rnd.nextLong());
        }
        return s;
    }
}
