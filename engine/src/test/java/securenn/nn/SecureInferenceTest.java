package securenn.nn;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import securenn.data.Mnist;
import securenn.kernels.Kernels;
import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.mpc.LocalSession;
import securenn.mpc.SecretSplitter;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/** Secure inference against the fixed-point twin (the oracle) and the twin against the float network. */
class SecureInferenceTest
{
    static LocalSession session;

    @BeforeAll
    static void start()
    {
        session = LocalSession.seededForTwinChecks(5);
    }

    @AfterAll
    static void stop()
    {
        session.close();
    }

    /**
     * Every truncation may add one ulp (2^-13) per value; through a network these add up to a few ulps per layer and
     * ReLU/maxpool never amplify them. The bound below (2^-7, i.e. 64 ulps) is far above what the tests observe and far
     * below any logit gap that decides a prediction.
     */
    static final long LOGIT_TOLERANCE = 64;

    @ParameterizedTest(name = "network {0}")
    @ValueSource(strings = {"A", "B", "C", "D"})
    void secureLogitsShouldMatchTheFixedPointTwin(final String network) throws Exception
    {
        final NetworkSpec spec = NetworkSpec.builtIn(network);
        final Model model = Model.random(spec, 42);
        final Mnist sample = Mnist.sample();
        final int n = 4;
        final double[] x = FloatNetwork.images(sample, 0, n);
        try (Arena arena = Arena.ofShared())
        {
            final ModelFile.SharedModel[] shares = ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.seededForTwinChecks(7));
            final SecureInference.Result secure = SecureInference.classify(session, shares, x, n, SecretSplitter.seededForTwinChecks(8));
            final long[] twin = twin(model, x, n, arena);
            final int k = spec.output().size();
            for (int i = 0; i < n * k; i++)
            {
                assertThat(Math.abs(secure.logits()[i] - twin[i])).as("network %s logit %d: secure %d vs twin %d", network, i,
                    secure.logits()[i], twin[i]).isLessThanOrEqualTo(LOGIT_TOLERANCE);
            }
            final int[] twinPred = SecureInference.argmax(twin, n, k);
            for (int s = 0; s < n; s++)
            {
                if (gap(twin, s, k) > 2 * LOGIT_TOLERANCE)
                {
                    assertThat(secure.predictions()[s]).as("network %s image %d", network, s).isEqualTo(twinPred[s]);
                }
            }
            final int layers = spec.layers().size();
            assertThat(secure.rounds()).as("rounds grow with depth, not with data").isLessThan(40L * layers);
        }
    }

    @Test
    void chunkedInferenceShouldMatchTheTwinOnEveryChunkIncludingThePartialLast() throws Exception
    {
        final NetworkSpec spec = NetworkSpec.builtIn("C");
        final Model model = Model.random(spec, 43);
        final int n = 2 * 3 + 1; // chunks of 3, 3 and 1 rows
        final double[] x = FloatNetwork.images(Mnist.sample(), 0, n);
        try (Arena arena = Arena.ofShared())
        {
            final ModelFile.SharedModel[] shares = ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.seededForTwinChecks(11));
            final SecureInference.Result secure = SecureInference.classify(session, shares, x, n, SecretSplitter.seededForTwinChecks(12), 3);
            final SecureInference.Result whole = SecureInference.classify(session, shares, x, n, SecretSplitter.seededForTwinChecks(12), n);
            assertThat(secure.rounds()).as("three passes of the network, not one").isEqualTo(3 * whole.rounds());
            final long[] twin = twin(model, x, n, arena);
            for (int i = 0; i < twin.length; i++)
            {
                assertThat(Math.abs(secure.logits()[i] - twin[i])).as("row %d logit %d: secure %d vs twin %d", i / 10, i % 10,
                    secure.logits()[i], twin[i]).isLessThanOrEqualTo(LOGIT_TOLERANCE);
            }
        }
    }

    @Test
    void fixedPointTwinShouldLoseLittleAccuracyAgainstFloat() throws Exception
    {
        final Model model = ModelFile.bundled();
        final Mnist sample = Mnist.sample();
        final int n = sample.count();
        final double[] x = FloatNetwork.images(sample, 0, n);
        try (Arena arena = Arena.ofConfined())
        {
            final int k = model.spec().output().size();
            final int[] twinPred = SecureInference.argmax(twin(model, x, n, arena), n, k);
            final int[] floatPred = FloatNetwork.argmax(FloatNetwork.forward(model, x, n), n, k);
            int agree = 0;
            int twinCorrect = 0;
            for (int s = 0; s < n; s++)
            {
                agree += twinPred[s] == floatPred[s] ? 1 : 0;
                twinCorrect += twinPred[s] == sample.label(s) ? 1 : 0;
            }
            assertThat(agree).as("fixed-point and float predictions agree").isGreaterThanOrEqualTo(n - 1);
            assertThat(twinCorrect).as("bundled model accuracy on the bundled sample").isGreaterThanOrEqualTo(93);
        }
    }

    @Test
    void secureDemoBatchShouldClassifyTheSampleLikeTheFloatModel() throws Exception
    {
        final Model model = ModelFile.bundled();
        final Mnist sample = Mnist.sample().head(50);
        final double[] x = FloatNetwork.images(sample, 0, 50);
        try (Arena arena = Arena.ofShared())
        {
            final ModelFile.SharedModel[] shares = ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.seededForTwinChecks(9));
            final SecureInference.Result r = SecureInference.classify(session, shares, x, 50, SecretSplitter.seededForTwinChecks(10));
            final int[] floatPred = FloatNetwork.argmax(FloatNetwork.forward(model, x, 50), 50, 10);
            int agree = 0;
            for (int s = 0; s < 50; s++)
            {
                agree += r.predictions()[s] == floatPred[s] ? 1 : 0;
            }
            assertThat(agree).isGreaterThanOrEqualTo(49);
            assertThat(r.rounds()).as("A: three MatMuls of 1 round and two ReLUs of 4 (one-compare DReLU 3, product 1)").isEqualTo(11);
        }
    }

    /** The plaintext fixed-point twin: the same network code on the clear-text backend. */
    static long[] twin(final Model model, final double[] x, final int n, final Arena arena)
    {
        final FixedPoint fp = FixedPoint.DEFAULT;
        final MemorySegment[] params = TrainingTest.encode(model, arena);
        final MemorySegment in = arena.allocate((long)x.length * 8);
        for (int i = 0; i < x.length; i++)
        {
            in.setAtIndex(Ring.LONG, i, fp.encode(x[i]));
        }
        final int k = model.spec().output().size();
        final MemorySegment out = arena.allocate((long)n * k * 8);
        RingNetwork.forward(new PlainRingBackend(Kernels.scalar()), model.spec(), params, in, out, n, fp.fractionBits());
        return out.toArray(Ring.LONG);
    }

    private static long gap(final long[] logits, final int s, final int k)
    {
        long best = Long.MIN_VALUE;
        long second = Long.MIN_VALUE;
        for (int i = 0; i < k; i++)
        {
            final long v = logits[s * k + i];
            if (v > best)
            {
                second = best;
                best = v;
            }
            else if (v > second)
            {
                second = v;
            }
        }
        return best - second;
    }
}
