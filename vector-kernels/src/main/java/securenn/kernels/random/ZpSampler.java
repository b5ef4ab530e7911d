package securenn.kernels.random;

import securenn.kernels.KernelChecks;
import securenn.kernels.Kernels;
import securenn.kernels.ZpOps;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Uniform values of Z_p and Z_p* (p = 67) from a pseudorandom stream, one per byte, by rejection sampling: a byte
 * below 201 = 3·67 gives {@code b mod 67} (79% acceptance), so every value is exactly equally likely.
 *
 * <p>Works in chunks: up to {@value #CHUNK} stream bytes at a time go through the {@link ZpOps#residues} kernel (the
 * accepted lanes compacted as this CPU does it fastest: {@link securenn.kernels.Compaction}). How many stream bytes a call consumes depends only on the
 * stream and on n, whatever kernels run, so two parties sampling from one stream stay in step.
 */
public final class ZpSampler
{
    private static final int CHUNK = 8192;

    private ZpSampler()
    {
    }

    /** Fills {@code n} bytes of {@code out} with uniform values of Z_67 = {0, …, 66}. */
    public static void uniform(final AesCtrPrg prg, final MemorySegment out, final long n)
    {
        sample(prg, out, n, false, "uniform Z_p fill of " + n);
    }

    /** Fills {@code n} bytes of {@code out} with uniform values of Z_67* = {1, …, 66} (PrivateCompare's s_i). */
    public static void uniformNonZero(final AesCtrPrg prg, final MemorySegment out, final long n)
    {
        sample(prg, out, n, true, "uniform Z_p* fill of " + n);
    }

    private static void sample(final AesCtrPrg prg, final MemorySegment out, final long n, final boolean nonZero,
        final String what)
    {
        KernelChecks.requireNonNegative("n", n);
        KernelChecks.requireBytes("out", out, n, what);
        final ZpOps zp = Kernels.best().zp();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment src = arena.allocate(CHUNK, 64);
            final MemorySegment dst = arena.allocate(CHUNK + 64, 64);
            long done = 0;
            while (done < n)
            {
                final int want = (int)Math.min(CHUNK, (n - done) + (n - done) / 3 + 16);
                prg.fill(src, 0, want);
                final int k = zp.residues(src, want, dst, (int)Math.min(CHUNK, n - done), nonZero);
                MemorySegment.copy(dst, 0, out, done, k);
                done += k;
            }
        }
    }
}
