package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.data.Mnist;
import securenn.mpc.FixedPoint;
import securenn.mpc.Randomness;
import securenn.mpc.SecretSplitter;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.nn.OutputLoss;
import securenn.nn.Sgd;
import securenn.train.EpochLoop;
import securenn.train.FloatTraining;
import securenn.train.SecureTraining;
import securenn.train.TrainingEngine;
import securenn.train.TrainingPlan;
import securenn.train.TwinTraining;

import java.lang.foreign.Arena;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Training by three parties in one JVM (Aeron IPC), or by its fixed-point twin: the model owner shares a freshly
 * initialised model (or a checkpoint is resumed), the data owner shares every batch (images and one-hot labels),
 * P0 and P1 train on shares, and at the end of each epoch the parties checkpoint their shares and the data owner
 * measures test accuracy. The twin with the same seed computes exactly what the secure run computes.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {"Secure training of a network by three parties in one JVM (Aeron IPC), or by its fixed-point twin.",
        "Networks of fc, conv, relu and maxpool layers; prints progress (loss proxy, images/s, ETA), measures test",
        "accuracy at each epoch end and checkpoints each party's shares. --engine twin runs the same arithmetic in the",
        "clear with the secure run's truncation carries (bit-for-bit equal for equal seeds); --verify-twin N checks that",
        "during the first N secure iterations. --engine float runs the same step in double precision."})
final class TrainCommand implements Callable<Integer>
{
    enum Engine
    {
        secure, twin, floating;

        /** How the header names it. */
        String label()
        {
            return switch (this)
            {
                case secure -> "secure";
                case twin -> "fixed-point twin";
                case floating -> "float";
            };
        }
    }

    /** --engine values: secure, twin, float ("float" cannot be a constant's name). */
    static final class EngineName implements picocli.CommandLine.ITypeConverter<Engine>
    {
        @Override
        public Engine convert(final String value)
        {
            return switch (value)
            {
                case "secure" -> Engine.secure;
                case "twin" -> Engine.twin;
                case "float" -> Engine.floating;
                default -> throw new picocli.CommandLine.TypeConversionException("'" + value
                    + "' is not an engine; use secure, twin or float");
            };
        }
    }

    @Option(names = "--network", defaultValue = "A", description = "Built-in network A–D (default: ${DEFAULT-VALUE}).")
    String network;

    @Option(names = "--engine", defaultValue = "secure", converter = EngineName.class, description = "secure (three "
        + "parties), twin (fixed-point plaintext, equal to secure bit for bit) or float (the same training in double "
        + "precision: what fixed point costs) (default: ${DEFAULT-VALUE}).")
    Engine engine;

    @Option(names = "--data", description = "MNIST directory; default: the bundled 100-image sample (as training and test set).")
    Path data;

    @picocli.CommandLine.Mixin
    SgdOptions sgd;

    @Option(names = "--fraction-bits", defaultValue = "13", description = "Fixed-point fraction bits of a new model "
        + "(a resumed one keeps its own); more bits make small updates finer, values must stay below 2^(62 − 2f) in products "
        + "(default: ${DEFAULT-VALUE}).")
    int fractionBits;

    @Option(names = "--start-epoch", defaultValue = "1", description = "Number of the first epoch of this run, for the rate schedule of a resumed run (default: ${DEFAULT-VALUE}).")
    int startEpoch;

    @Option(names = "--test", defaultValue = "1000", description = "Test images for the per-epoch accuracy (default: ${DEFAULT-VALUE}).")
    int testImages;

    @Option(names = "--checkpoint", description = "Directory for epoch-end checkpoints (P0.shares, P1.shares).")
    Path checkpoint;

    @Option(names = "--resume", description = "Resume from a checkpoint directory written by --checkpoint.")
    Path resume;

    @Option(names = "--verify-twin", defaultValue = "0", paramLabel = "N",
        description = "Secure engine: run the twin alongside for the first N iterations and stop at the first bit that differs.")
    int verifyTwin;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights and the batch order (both "
        + "public to the parties in this setting); shares of the model, the batches and the test images are split with fresh "
        + "AES-CTR randomness, and the session keys are fresh too unless --seeded-keys-for-twin-checks (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--seeded-keys-for-twin-checks", description = "Secure engine: derive the parties' session keys from "
        + "--seed instead of SecureRandom, so that the fixed-point twin can replay the run bit for bit (--verify-twin needs it). "
        + "Anyone who knows the seed knows every party's randomness: for checks, never for data that matters.")
    boolean seededKeys;

    @Override
    public Integer call() throws Exception
    {
        if (sgd.batch < 1 || sgd.epochs < 1 || sgd.rateShift < 0 || sgd.progress < 1 || verifyTwin < 0 || sgd.rateHalving < 0 || startEpoch < 1)
        {
            throw new IllegalArgumentException("--batch, --epochs, --progress and --start-epoch must be at least 1; --rate-shift, "
                + "--rate-halving and --verify-twin at least 0");
        }
        if (verifyTwin > 0 && engine != Engine.secure)
        {
            throw new IllegalArgumentException("--verify-twin compares secure training with the twin; it needs --engine secure");
        }
        if (verifyTwin > 0 && !seededKeys)
        {
            throw new IllegalArgumentException("--verify-twin replays the secure run's truncation carries from its session keys; "
                + "it needs --seeded-keys-for-twin-checks (fresh keys cannot be replayed)");
        }
        final Mnist train = data == null ? Mnist.sample() : Mnist.load(data, Mnist.Split.TRAIN);
        final Mnist test = (data == null ? Mnist.sample() : Mnist.load(data, Mnist.Split.TEST)).head(testImages);
        final NetworkSpec spec = NetworkSpec.builtIn(network);
        spec.requireImages(train.rows(), train.cols(), data == null ? "the bundled sample" : data.toString());
        final Sgd rule = new Sgd(OutputLoss.parse(sgd.loss), sgd.momentum);
        // the batch order's seed is seed + 2, as before this loop moved to securenn.train (runs stay reproducible)
        final TrainingPlan plan = new TrainingPlan(sgd.epochs, sgd.batch, sgd.rateShift, sgd.rateHalving, rule, seed + 2, 0, sgd.limit);
        final int perEpoch = plan.iterationsPerEpoch(train.count());
        try (Arena arena = Arena.ofShared())
        {
            final ModelFile.SharedModel[] start = resume == null
                ? ModelFile.split(Model.random(spec, seed), new FixedPoint(fractionBits), arena, SecretSplitter.fresh())
                : new ModelFile.SharedModel[]{ModelFile.readShares(resume.resolve("P0.shares"), arena),
                    ModelFile.readShares(resume.resolve("P1.shares"), arena)};
            final FixedPoint fp = new FixedPoint(start[0].fractionBits()); // a resumed run keeps its checkpoint's precision
            if (!start[0].modelId().equals(start[1].modelId()))
            {
                throw new IllegalArgumentException("P0's and P1's checkpoint shares belong to different models");
            }
            if (!start[0].spec().describe().equals(spec.describe()))
            {
                throw new IllegalArgumentException("the checkpoint in " + resume + " is of network " + start[0].spec().name()
                    + ", not of --network " + network);
            }
            System.out.printf("%s training of network %s (%s): %d images per epoch in batches of %d, learning rate 2^-%d%s, seed %d%s%s%n",
                engine.label(), spec.name(),
                rule.describe() + (fp.fractionBits() == FixedPoint.DEFAULT.fractionBits() ? "" : ", " + fp.fractionBits() + " fraction bits"),
                perEpoch * sgd.batch, sgd.batch, sgd.rateShift,
                sgd.rateHalving == 0 ? "" : " halved every " + sgd.rateHalving + " epochs", seed, resume == null ? "" : ", resumed from " + resume,
                engine != Engine.secure ? "" : seededKeys ? "; session keys SEEDED from --seed (for twin checks, not secret)"
                    : "; fresh session keys");
            final long t0 = System.nanoTime();
            try (TrainingEngine trainer = switch (engine)
                {
                    case secure -> new SecureTraining(start, seededKeys ? Randomness.seededForTwinChecks(seed) : Randomness.freshSession(), rule);
                    case twin -> new TwinTraining(start, seed, rule);
                    case floating -> new FloatTraining(start, rule);
                };
                TrainingEngine twin = verifyTwin > 0 ? new TwinTraining(start, seed, rule) : null)
            {
                run(trainer, twin, spec, train, test, fp, plan);
            }
            System.out.printf("trained %d epochs in %.1f minutes%n", sgd.epochs, (System.nanoTime() - t0) / 60e9);
        }
        return 0;
    }

    private void run(final TrainingEngine trainer, final TrainingEngine twin, final NetworkSpec spec, final Mnist train,
        final Mnist test, final FixedPoint fp, final TrainingPlan plan) throws Exception
    {
        EpochLoop.run(trainer, twin, verifyTwin, spec, train, test, fp, plan, startEpoch, sgd.progress, new EpochLoop.Listener()
        {
            /** What {@link #epochTrained} wrote, for the epoch's accuracy line. */
            private String saved = "";

            @Override
            public void progress(final int epoch, final int iteration, final int perEpoch, final double loss,
                final double imagesPerSecond, final double etaSeconds, final boolean twinIdenticalSoFar)
            {
                System.out.printf("epoch %d/%d iteration %d/%d: loss %.4f, %.0f images/s, ETA %.0f s%s%n", epoch, sgd.epochs,
                    iteration, perEpoch, loss, imagesPerSecond, etaSeconds, twinIdenticalSoFar ? ", twin identical so far" : "");
            }

            @Override
            public void twinCheckPassed(final long iterations)
            {
                System.out.printf("twin check passed: secure training and the fixed-point twin agree bit for bit on "
                    + "every parameter after each of %d iterations%n", iterations);
            }

            @Override
            public void epochTrained(final int epoch, final TrainingEngine engineRun) throws IOException
            {
                saved = checkpoint(engineRun);
            }

            @Override
            public void epochEnd(final int epoch, final double testAccuracy, final TrainingEngine engineRun)
            {
                System.out.printf("epoch %d: %s test accuracy %.2f%% on %d images%s%n", epoch,
                    engine == Engine.twin ? "twin" : engine.label(), 100 * testAccuracy, test.count(), saved);
            }
        });
    }

    private String checkpoint(final TrainingEngine trainer) throws IOException
    {
        if (checkpoint == null)
        {
            return "";
        }
        Files.createDirectories(checkpoint);
        try (Arena arena = Arena.ofConfined())
        {
            final ModelFile.SharedModel[] shares = trainer.shares(arena, SecretSplitter.fresh());
            ModelFile.writeShares(checkpoint.resolve("P0.shares"), shares[0]);
            ModelFile.writeShares(checkpoint.resolve("P1.shares"), shares[1]);
        }
        return "; checkpoint in " + checkpoint;
    }
}
