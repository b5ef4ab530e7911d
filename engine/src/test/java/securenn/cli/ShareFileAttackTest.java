package securenn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * P1 attacks its own share file. If the splitting randomness were SplitMix64 ({@link SplittableRandom}), whose output
 * is an invertible function of its 64-bit state, P1 could guess the first fixed-point weight w0 (|w0| &lt; 2^17),
 * compute P0's first share r0 = w0 − s1[0], invert the output mix to get the generator state, step it forward by the
 * golden gamma ({@code new SplittableRandom(seed)}) and check that the next weights decode small: a right guess hands
 * P1 every weight. A generator made by {@code new SplittableRandom()} (how {@code train} split checkpoints) has a
 * gamma of its own: guessing w0 and w1 (|w| &lt; 2^12, ten standard deviations of an He-initialised network A weight)
 * gives two states and their difference is the gamma. The positive controls mount both attacks on shares split the
 * way the project split them before it used AES-CTR, so a passing "should not recover" cannot mean a broken attack.
 */
class ShareFileAttackTest
{
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final long M1 = 0xbf58476d1ce4e5b9L;
    private static final long M2 = 0x94d049bb133111ebL;
    /** A guess is right when this many following weights all decode below the bound in absolute value. */
    private static final int CONFIRMATIONS = 8;
    private static final long BOUND = 1L << 17;
    private static final long TWO_GUESS_BOUND = 1L << 12;

    @TempDir
    Path dir;

    @Test
    void p1ShouldNotRecoverTheWeightsFromItsShareFileAlone() throws Exception
    {
        final Model model = Model.random(NetworkSpec.builtIn("A"), 42);
        final Path plain = dir.resolve("A.model");
        ModelFile.write(plain, model);
        final int rc = new CommandLine(new ShareCommand()).execute("--model", plain.toString(), "--out", dir.toString());
        assertThat(rc).isZero();
        try (Arena arena = Arena.ofConfined())
        {
            final long[] p1 = flatten(ModelFile.readShares(dir.resolve("P1.shares"), arena).params());
            final long[] truth = encoded(model);
            assertThat(recoveredCorrectly(attack(p1), truth))
                .as("weights of network A (of %d) that P1 recovered from P1.shares alone by inverting SplitMix64", truth.length)
                .isZero();
        }
    }

    @Test
    void p1ShouldNotRecoverATrainingCheckpointFromItsShareFileAlone()
    {
        final Path out = dir.resolve("run");
        final int rc = new CommandLine(new TrainCommand()).execute("--engine", "twin", "--network", "A", "--batch", "8",
            "--limit", "8", "--test", "10", "--checkpoint", out.toString());
        assertThat(rc).isZero();
        try (Arena arena = Arena.ofConfined())
        {
            final ModelFile.SharedModel p0 = readShares(out.resolve("P0.shares"), arena);
            final ModelFile.SharedModel p1 = readShares(out.resolve("P1.shares"), arena);
            final long[] truth = flatten(ModelFile.openFixedPoint(p0, p1, arena)); // what only the model owner may see
            assertThat(recoveredCorrectly(attack(flatten(p1.params())), truth))
                .as("checkpointed weights (of %d) that P1 recovered from its checkpoint alone", truth.length).isZero();
        }
    }

    private static ModelFile.SharedModel readShares(final Path file, final Arena arena)
    {
        try
        {
            return ModelFile.readShares(file, arena);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void attackShouldRecoverEveryWeightFromSharesSplitWithSplitMix64()
    {
        final Model model = Model.random(NetworkSpec.builtIn("A"), 42);
        final long[] truth = encoded(model);
        final SplittableRandom old = new SplittableRandom(0x5eed_1234_abcdL); // how ShareCommand split before
        final long[] p1 = new long[truth.length];
        for (int i = 0; i < truth.length; i++)
        {
            p1[i] = truth[i] - old.nextLong(); // P0 got the random value, P1 the difference
        }
        assertThat(recoveredCorrectly(attack(p1), truth)).isEqualTo(truth.length);
    }

    @Test
    void attackShouldRecoverEveryWeightFromSharesSplitWithAnUnseededSplitMix64()
    {
        final Model model = Model.random(NetworkSpec.builtIn("A"), 43);
        final long[] truth = encoded(model);
        final SplittableRandom old = new SplittableRandom(); // how train split checkpoints before: a gamma of its own
        final long[] p1 = new long[truth.length];
        for (int i = 0; i < truth.length; i++)
        {
            p1[i] = truth[i] - old.nextLong();
        }
        assertThat(recoveredCorrectly(attack(p1), truth)).isEqualTo(truth.length);
    }

    @Test
    void unmixShouldInvertTheJdkGenerator()
    {
        for (final long seed : new long[]{0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x1234_5678_9abc_def0L})
        {
            // SplittableRandom(seed) keeps the seed as its state unmixed; nextLong() adds gamma, then mixes
            final long out = new SplittableRandom(seed).nextLong();
            assertThat(unmix64(out)).isEqualTo(seed + GOLDEN_GAMMA);
            assertThat(mix64(unmix64(out))).isEqualTo(out);
        }
    }

    /** The plaintext fixed-point weights if some guess confirms (golden gamma first, then any gamma), else null. */
    static long[] attack(final long[] p1)
    {
        for (long w0 = -BOUND + 1; w0 < BOUND; w0++)
        {
            final long state = unmix64(w0 - p1[0]); // the generator's state after its first draw
            if (confirms(p1, state, GOLDEN_GAMMA, BOUND))
            {
                return weights(p1, state, GOLDEN_GAMMA);
            }
        }
        for (long w0 = -TWO_GUESS_BOUND + 1; w0 < TWO_GUESS_BOUND; w0++)
        {
            final long state = unmix64(w0 - p1[0]);
            for (long w1 = -TWO_GUESS_BOUND + 1; w1 < TWO_GUESS_BOUND; w1++)
            {
                final long gamma = unmix64(w1 - p1[1]) - state;
                if ((gamma & 1) == 1 && confirms(p1, state, gamma, TWO_GUESS_BOUND)) // SplittableRandom's gammas are odd
                {
                    return weights(p1, state, gamma);
                }
            }
        }
        return null;
    }

    private static boolean confirms(final long[] p1, final long state, final long gamma, final long bound)
    {
        for (int k = 1; k <= CONFIRMATIONS; k++)
        {
            if (Math.abs(p1[k] + mix64(state + k * gamma)) >= bound)
            {
                return false;
            }
        }
        return true;
    }

    private static long[] weights(final long[] p1, final long state, final long gamma)
    {
        final long[] w = new long[p1.length];
        for (int k = 0; k < p1.length; k++)
        {
            w[k] = p1[k] + mix64(state + k * gamma);
        }
        return w;
    }

    private static int recoveredCorrectly(final long[] recovered, final long[] truth)
    {
        int n = 0;
        for (int i = 0; recovered != null && i < truth.length; i++)
        {
            n += recovered[i] == truth[i] ? 1 : 0;
        }
        return n;
    }

    private static long[] encoded(final Model model)
    {
        int n = 0;
        for (final double[] t : model.params())
        {
            n += t.length;
        }
        final long[] out = new long[n];
        int k = 0;
        for (final double[] t : model.params())
        {
            for (final double v : t)
            {
                out[k++] = FixedPoint.DEFAULT.encode(v);
            }
        }
        return out;
    }

    private static long[] flatten(final MemorySegment[] tensors)
    {
        long n = 0;
        for (final MemorySegment t : tensors)
        {
            n += t.byteSize() / 8;
        }
        final long[] out = new long[Math.toIntExact(n)];
        int k = 0;
        for (final MemorySegment t : tensors)
        {
            for (long i = 0; i < t.byteSize() / 8; i++)
            {
                out[k++] = t.getAtIndex(Ring.LONG, i);
            }
        }
        return out;
    }

    static long mix64(final long x)
    {
        long z = (x ^ (x >>> 30)) * M1;
        z = (z ^ (z >>> 27)) * M2;
        return z ^ (z >>> 31);
    }

    static long unmix64(final long out)
    {
        long z = out ^ (out >>> 31) ^ (out >>> 62);
        z *= inverse(M2);
        z = z ^ (z >>> 27) ^ (z >>> 54);
        z *= inverse(M1);
        return z ^ (z >>> 30) ^ (z >>> 60);
    }

    /** The inverse of an odd multiplier mod 2^64, by Newton's iteration (each step doubles the correct bits). */
    private static long inverse(final long odd)
    {
        long inv = odd; // correct to 3 bits
        for (int i = 0; i < 5; i++)
        {
            inv *= 2 - odd * inv;
        }
        return inv;
    }
}
