package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.data.Mnist;
import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.mpc.LocalSession;
import securenn.mpc.Shares;
import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.nn.RingTrainer;
import securenn.nn.SecureInference;
import securenn.nn.SecureRingBackend;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Secure training by three parties in one JVM (Aeron IPC): the model owner shares a freshly initialised model, the
 * data owner shares every batch (images and one-hot labels), P0 and P1 train on shares, and at the end of each epoch
 * the parties checkpoint their shares and the data owner measures test accuracy by secure inference.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {"Secure training of a network by three parties in one JVM (Aeron IPC).",
        "Networks of fc, conv, relu and maxpool layers; prints progress, measures test accuracy by secure",
        "inference at each epoch end and checkpoints each party's shares."})
final class TrainCommand implements Callable<Integer>
{
    @Option(names = "--network", defaultValue = "A", description = "Built-in network A–D (default: ${DEFAULT-VALUE}).")
    String network;

    @Option(names = "--data", description = "MNIST directory; default: the bundled 100-image sample (as training and test set).")
    Path data;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--rate-shift", defaultValue = "7", description = "Learning rate 2^-s (the paper: 7 for A) (default: ${DEFAULT-VALUE}).")
    int rateShift;

    @Option(names = "--limit", defaultValue = "0", description = "Train on at most this many images per epoch (0: all).")
    int limit;

    @Option(names = "--test", defaultValue = "1000", description = "Test images for the per-epoch accuracy (default: ${DEFAULT-VALUE}).")
    int testImages;

    @Option(names = "--checkpoint", description = "Directory for epoch-end checkpoints (P0.shares, P1.shares).")
    Path checkpoint;

    @Option(names = "--resume", description = "Resume from a checkpoint directory written by --checkpoint.")
    Path resume;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisation, order and session keys (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception
    {
        if (batch < 1 || epochs < 1 || rateShift < 0)
        {
            throw new IllegalArgumentException("--batch and --epochs must be at least 1 and --rate-shift at least 0");
        }
        final Mnist train = data == null ? Mnist.sample() : Mnist.load(data, Mnist.Split.TRAIN);
        final Mnist test = (data == null ? Mnist.sample() : Mnist.load(data, Mnist.Split.TEST)).head(testImages);
        final NetworkSpec spec = NetworkSpec.builtIn(network);
        final FixedPoint fp = FixedPoint.DEFAULT;
        final int shift = rateShift + 31 - Integer.numberOfLeadingZeros(batch); // rate / batch, batch rounded down to 2^k
        final int perEpoch = (limit > 0 ? Math.min(limit, train.count()) : train.count()) / batch;
        if (perEpoch == 0)
        {
            throw new IllegalArgumentException("batch " + batch + " is larger than the " + train.count() + " training images");
        }
        try (Arena arena = Arena.ofShared(); LocalSession session = LocalSession.ipc(seed))
        {
            final ModelFile.SharedModel[] model = resume == null
                ? ModelFile.split(Model.random(spec, seed), fp, arena, new SplittableRandom(seed + 1))
                : new ModelFile.SharedModel[]{ModelFile.readShares(resume.resolve("P0.shares"), arena),
                    ModelFile.readShares(resume.resolve("P1.shares"), arena)};
            if (!model[0].modelId().equals(model[1].modelId()))
            {
                throw new IllegalArgumentException("P0's and P1's checkpoint shares belong to different models");
            }
            System.out.printf("secure training of network %s: %d images per epoch in batches of %d, learning rate 2^-%d%s%n",
                spec.name(), perEpoch * batch, batch, rateShift, resume == null ? "" : ", resumed from " + resume);
            final SplittableRandom owner = new SplittableRandom(seed + 2);
            final int[] order = new int[train.count()];
            for (int epoch = 1; epoch <= epochs; epoch++)
            {
                shuffle(order, owner);
                final long t0 = System.nanoTime();
                for (int it = 0; it < perEpoch; it++)
                {
                    step(session, spec, model, train, order, it * batch, batch, fp, shift, owner);
                    final double seconds = (System.nanoTime() - t0) / 1e9;
                    if (it == perEpoch - 1 || it % 10 == 0)
                    {
                        System.out.printf("epoch %d/%d iteration %d/%d: %.0f images/s, ETA %.0f s%n", epoch, epochs, it + 1,
                            perEpoch, (it + 1) * batch / seconds, seconds / (it + 1) * (perEpoch - it - 1));
                    }
                }
                if (checkpoint != null)
                {
                    Files.createDirectories(checkpoint);
                    ModelFile.writeShares(checkpoint.resolve("P0.shares"), model[0]);
                    ModelFile.writeShares(checkpoint.resolve("P1.shares"), model[1]);
                }
                System.out.printf("epoch %d: secure test accuracy %.2f%% on %d images%s%n", epoch, 100 * accuracy(session, model,
                    test, owner), test.count(), checkpoint == null ? "" : "; checkpoint in " + checkpoint);
            }
        }
        return 0;
    }

    /** The data owner shares one batch; the three parties train on it. Buffers live for this step only. */
    private static void step(final LocalSession session, final NetworkSpec spec, final ModelFile.SharedModel[] model,
        final Mnist train, final int[] order, final int from, final int n, final FixedPoint fp, final int shift,
        final SplittableRandom owner)
    {
        try (Arena arena = Arena.ofShared())
        {
            stepIn(arena, session, spec, model, train, order, from, n, fp, shift, owner);
        }
    }

    private static void stepIn(final Arena arena, final LocalSession session, final NetworkSpec spec,
        final ModelFile.SharedModel[] model, final Mnist train, final int[] order, final int from, final int n,
        final FixedPoint fp, final int shift, final SplittableRandom owner)
    {
        final int in = spec.input().size();
        final int k = spec.output().size();
        final MemorySegment x = arena.allocate((long)n * in * 8);
        final MemorySegment y = arena.allocate((long)n * k * 8);
        for (int s = 0; s < n; s++)
        {
            final int img = order[from + s];
            for (int p = 0; p < in; p++)
            {
                x.setAtIndex(Ring.LONG, (long)s * in + p, fp.encode(train.pixel(img, p)));
            }
            y.setAtIndex(Ring.LONG, (long)s * k + train.label(img), fp.one());
        }
        final MemorySegment[] xs = {arena.allocate((long)n * in * 8), arena.allocate((long)n * in * 8)};
        final MemorySegment[] ys = {arena.allocate((long)n * k * 8), arena.allocate((long)n * k * 8)};
        Shares.split(x, xs[0], xs[1], (long)n * in, owner);
        Shares.split(y, ys[0], ys[1], (long)n * k, owner);
        session.run(p ->
        {
            final int id = p.role().id();
            final boolean h = p.role().holdsShares();
            RingTrainer.step(new SecureRingBackend(p), spec, h ? model[id].params() : new MemorySegment[spec.parameterCount()],
                h ? xs[id] : null, h ? ys[id] : null, n, fp.fractionBits(), shift);
            return null;
        });
    }

    private static double accuracy(final LocalSession session, final ModelFile.SharedModel[] model, final Mnist test,
        final SplittableRandom client)
    {
        int correct = 0;
        final int chunk = 100;
        for (int from = 0; from < test.count(); from += chunk)
        {
            final int n = Math.min(chunk, test.count() - from);
            final SecureInference.Result r = SecureInference.classify(session, model, FloatNetwork.images(test, from, n), n, client);
            for (int s = 0; s < n; s++)
            {
                correct += r.predictions()[s] == test.label(from + s) ? 1 : 0;
            }
        }
        return (double)correct / test.count();
    }

    private static void shuffle(final int[] order, final SplittableRandom rnd)
    {
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--)
        {
            final int j = rnd.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
