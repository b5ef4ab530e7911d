package securenn.nn;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import securenn.data.Mnist;
import securenn.kernels.Kernels;
import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.mpc.LocalSession;
import securenn.mpc.Shares;
import securenn.mpc.TruncationReplay;
import securenn.mpc.SecretSplitter;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Training of fc networks: the fixed-point twin learns, and secure training follows the twin. */
class TrainingTest
{
    static final FixedPoint FP = FixedPoint.DEFAULT;
    static final int F = FP.fractionBits();
    static LocalSession session;

    @BeforeAll
    static void start()
    {
        session = LocalSession.seededForTwinChecks(11);
    }

    @AfterAll
    static void stop()
    {
        session.close();
    }

    /** A small convolutional network with every layer type: conv, relu, maxpool, fc. */
    static final String SMALL_CNN = "input 1 28 28\nconv 4 5 stride 1 pad 0\nrelu\nmaxpool 2\nfc 10\n";

    static NetworkSpec network(final String name)
    {
        return name.equals("small-cnn") ? NetworkSpec.parse(name, SMALL_CNN) : NetworkSpec.builtIn(name);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"A", "small-cnn"})
    void fixedPointTwinShouldLearnTheSample(final String name) throws Exception
    {
        final Mnist sample = Mnist.sample();
        final NetworkSpec spec = network(name);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment[] params = encode(Model.random(spec, 3), arena);
            final PlainRingBackend twin = new PlainRingBackend(Kernels.best());
            final int before = correct(twin, spec, params, sample, arena);
            final int batch = 10;
            for (int step = 0; step < 200; step++)
            {
                final int from = (step * batch) % sample.count();
                RingTrainer.step(twin, spec, params, images(sample, from, batch, arena), labels(sample, from, batch, arena),
                    batch, F, 8);
            }
            final int after = correct(twin, spec, params, sample, arena);
            System.out.println(name + " twin accuracy on the sample: " + before + " -> " + after);
            assertThat(after).as("accuracy on the 100 training images after 20 epochs (before: %d)", before)
                .isGreaterThanOrEqualTo(before + 40);
        }
    }

    /**
     * With the rate shift 0 and batch 1 the fc layer's bias moves by exactly −δ, so the hinge output error can be
     * read off and compared with the multiclass hinge gradient computed from the twin's logits: δ_j = 2^f when
     * u_j − u_y + 1 ≥ 0 (j ≠ y), δ_y = −2^f · (number of such j).
     */
    @Test
    void hingeOutputErrorShouldBeTheMulticlassHingeSubgradient()
    {
        final NetworkSpec spec = NetworkSpec.parse("one-fc", "input 1 1 6\nfc 10\n");
        final SplittableRandom rnd = new SplittableRandom(31);
        final PlainRingBackend twin = new PlainRingBackend(Kernels.best());
        try (Arena arena = Arena.ofConfined())
        {
            for (int trial = 0; trial < 200; trial++)
            {
                final MemorySegment[] params = encode(Model.random(spec, 100 + trial), arena);
                final MemorySegment x = arena.allocate(6 * 8L);
                for (int i = 0; i < 6; i++)
                {
                    x.setAtIndex(Ring.LONG, i, rnd.nextLong(-(3L << F), 3L << F));
                }
                final int label = rnd.nextInt(10);
                final MemorySegment y = arena.allocate(10 * 8L);
                y.setAtIndex(Ring.LONG, label, 1L << F);
                final MemorySegment u = arena.allocate(10 * 8L);
                RingNetwork.forward(twin, spec, params, x, u, 1, F);
                final long[] biasBefore = params[1].toArray(Ring.LONG);
                RingTrainer.step(twin, spec, params, x, y, 1, F, 0, new Sgd(OutputLoss.HINGE, 0), null);
                long violated = 0;
                final long uy = u.getAtIndex(Ring.LONG, label);
                for (int j = 0; j < 10; j++)
                {
                    if (j != label && u.getAtIndex(Ring.LONG, j) - uy + (1L << F) >= 0)
                    {
                        violated++;
                    }
                }
                for (int j = 0; j < 10; j++)
                {
                    final long expected = j == label ? -violated << F
                        : u.getAtIndex(Ring.LONG, j) - uy + (1L << F) >= 0 ? 1L << F : 0;
                    assertThat(biasBefore[j] - params[1].getAtIndex(Ring.LONG, j))
                        .as("trial %d label %d logits %s: δ_%d", trial, label, java.util.Arrays.toString(u.toArray(Ring.LONG)), j)
                        .isEqualTo(expected);
                }
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}, {1}, momentum shift {2}")
    @org.junit.jupiter.params.provider.CsvSource({"A, ASM, 0", "small-cnn, ASM, 0", "B, ASM, 0", "A, SQUARED, 0",
        "small-cnn, SQUARED, 3", "A, ASM, 2", "A, HINGE, 0", "small-cnn, HINGE, 3"})
    void secureTrainingShouldEqualTheFixedPointTwinBitForBit(final String network, final OutputLoss loss, final int momentum)
        throws Exception
    {
        final Sgd rule = new Sgd(loss, momentum);
        final Mnist sample = Mnist.sample();
        final NetworkSpec spec = network(network);
        final Model model = Model.random(spec, 4);
        final int batch = network.equals("B") ? 4 : 8;
        final int steps = network.equals("B") ? 2 : 3;
        final long seed = 12;
        try (Arena arena = Arena.ofShared(); LocalSession fresh = LocalSession.seededForTwinChecks(seed))
        {
            final MemorySegment[] twin = encode(model, arena);
            final PlainRingBackend replaying = new PlainRingBackend(Kernels.best(), TruncationReplay.fromSeed(seed));
            final ModelFile.SharedModel[] shares = ModelFile.split(model, FP, arena, SecretSplitter.seededForTwinChecks(5));
            final SecretSplitter client = SecretSplitter.seededForTwinChecks(6);
            final MemorySegment[] twinVelocity = rule.velocity(spec, true, arena);
            final MemorySegment[][] velocity = {rule.velocity(spec, true, arena), rule.velocity(spec, true, arena),
                rule.velocity(spec, false, arena)};
            for (int step = 0; step < steps; step++)
            {
                final MemorySegment x = images(sample, step * batch, batch, arena);
                final MemorySegment y = labels(sample, step * batch, batch, arena);
                RingTrainer.step(replaying, spec, twin, x, y, batch, F, 8, rule, twinVelocity);
                final MemorySegment[] xs = split(x, (long)batch * spec.input().size(), arena, client);
                final MemorySegment[] ys = split(y, (long)batch * spec.output().size(), arena, client);
                fresh.run(p ->
                {
                    final int id = p.role().id();
                    final boolean h = p.role().holdsShares();
                    RingTrainer.step(SecureRingBackend.forTraining(p), spec, h ? shares[id].params() : new MemorySegment[spec.parameterCount()],
                        h ? xs[id] : null, h ? ys[id] : null, batch, F, 8, rule, velocity[id]);
                    return null;
                });
                for (int t = 0; t < twin.length; t++)
                {
                    for (long i = 0; i < twin[t].byteSize() / 8; i++)
                    {
                        final long secure = shares[0].params()[t].getAtIndex(Ring.LONG, i) + shares[1].params()[t].getAtIndex(Ring.LONG, i);
                        assertThat(secure).as("seed %d, %s (%s) after step %d: parameter tensor %d element %d", seed, network, rule,
                            step + 1, t, i).isEqualTo(twin[t].getAtIndex(Ring.LONG, i));
                    }
                }
            }
        }
    }

    @Test
    void resumingFromACheckpointShouldMatchAnUninterruptedRun(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir)
        throws Exception
    {
        final Mnist sample = Mnist.sample();
        final NetworkSpec spec = NetworkSpec.builtIn("A");
        final Model model = Model.random(spec, 8);
        final int batch = 8;
        try (Arena arena = Arena.ofShared())
        {
            final ModelFile.SharedModel[] straight = ModelFile.split(model, FP, arena, SecretSplitter.seededForTwinChecks(9));
            final ModelFile.SharedModel[] resumed = ModelFile.split(model, FP, arena, SecretSplitter.seededForTwinChecks(9));
            secureStep(spec, straight, sample, 0, batch, arena);
            secureStep(spec, straight, sample, batch, batch, arena);
            secureStep(spec, resumed, sample, 0, batch, arena);
            ModelFile.writeShares(dir.resolve("P0.shares"), resumed[0]);
            ModelFile.writeShares(dir.resolve("P1.shares"), resumed[1]);
            final ModelFile.SharedModel[] loaded = {ModelFile.readShares(dir.resolve("P0.shares"), arena),
                ModelFile.readShares(dir.resolve("P1.shares"), arena)};
            for (int t = 0; t < loaded[0].params().length; t++)
            {
                assertThat(loaded[0].params()[t].mismatch(resumed[0].params()[t])).as("P0 tensor %d round trip", t).isEqualTo(-1);
                assertThat(loaded[1].params()[t].mismatch(resumed[1].params()[t])).as("P1 tensor %d round trip", t).isEqualTo(-1);
            }
            secureStep(spec, loaded, sample, batch, batch, arena);
            final Model a = ModelFile.reconstruct(straight[0], straight[1]);
            final Model b = ModelFile.reconstruct(loaded[0], loaded[1]);
            double worst = 0;
            for (int t = 0; t < a.params().length; t++)
            {
                for (int i = 0; i < a.params()[t].length; i++)
                {
                    worst = Math.max(worst, Math.abs(a.params()[t][i] - b.params()[t][i]));
                }
            }
            // the resumed run draws different protocol randomness, so truncations differ by an ulp here and there
            assertThat(worst * (1 << F)).as("largest difference in ulps").isLessThanOrEqualTo(2 * 8 * 3);
        }
    }

    @Test
    void reconstructShouldInvertSplitToFixedPointPrecision()
    {
        final Model model = Model.random(NetworkSpec.builtIn("D"), 12);
        try (Arena arena = Arena.ofConfined())
        {
            final ModelFile.SharedModel[] shares = ModelFile.split(model, FP, arena, SecretSplitter.seededForTwinChecks(13));
            final Model back = ModelFile.reconstruct(shares[0], shares[1]);
            for (int t = 0; t < model.params().length; t++)
            {
                for (int i = 0; i < model.params()[t].length; i++)
                {
                    assertThat(back.params()[t][i]).isCloseTo(model.params()[t][i], org.assertj.core.api.Assertions.within(0.5 / (1 << F)));
                }
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelFile.reconstruct(shares[1], shares[0]))
                .hasMessageContaining("need P0's and P1's shares");
        }
    }

    private static void secureStep(final NetworkSpec spec, final ModelFile.SharedModel[] model, final Mnist sample,
        final int from, final int batch, final Arena arena)
    {
        final SecretSplitter owner = SecretSplitter.seededForTwinChecks(from);
        final MemorySegment[] xs = split(images(sample, from, batch, arena), (long)batch * spec.input().size(), arena, owner);
        final MemorySegment[] ys = split(labels(sample, from, batch, arena), (long)batch * spec.output().size(), arena, owner);
        session.run(p ->
        {
            final int id = p.role().id();
            final boolean h = p.role().holdsShares();
            RingTrainer.step(SecureRingBackend.forTraining(p), spec, h ? model[id].params() : new MemorySegment[spec.parameterCount()],
                h ? xs[id] : null, h ? ys[id] : null, batch, F, 8);
            return null;
        });
    }

    static MemorySegment[] encode(final Model model, final Arena arena)
    {
        final MemorySegment[] params = model.fixedPoint(FP, arena);
        return params;
    }

    static MemorySegment images(final Mnist data, final int from, final int n, final Arena arena)
    {
        final double[] x = FloatNetwork.images(data, from, n);
        final MemorySegment s = arena.allocate((long)x.length * 8);
        for (int i = 0; i < x.length; i++)
        {
            s.setAtIndex(Ring.LONG, i, FP.encode(x[i]));
        }
        return s;
    }

    static MemorySegment labels(final Mnist data, final int from, final int n, final Arena arena)
    {
        final MemorySegment s = arena.allocate(n * 10L * 8);
        for (int i = 0; i < n; i++)
        {
            s.setAtIndex(Ring.LONG, i * 10L + data.label(from + i), FP.one());
        }
        return s;
    }

    static MemorySegment[] split(final MemorySegment plain, final long n, final Arena arena, final SecretSplitter rnd)
    {
        final MemorySegment s0 = arena.allocate(n * 8);
        final MemorySegment s1 = arena.allocate(n * 8);
        Shares.split(plain, s0, s1, n, rnd);
        return new MemorySegment[]{s0, s1};
    }

    static int correct(final RingBackend b, final NetworkSpec spec, final MemorySegment[] params, final Mnist data,
        final Arena arena)
    {
        final int n = data.count();
        final MemorySegment out = arena.allocate(n * 10L * 8);
        RingNetwork.forward(b, spec, params, images(data, 0, n, arena), out, n, F);
        final int[] pred = SecureInference.argmax(out.toArray(Ring.LONG), n, 10);
        int correct = 0;
        for (int i = 0; i < n; i++)
        {
            correct += pred[i] == data.label(i) ? 1 : 0;
        }
        return correct;
    }
}
