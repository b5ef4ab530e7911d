package securenn.train;

import securenn.data.Mnist;
import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.mpc.SecretSplitter;
import securenn.nn.NetworkSpec;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Training in one JVM: the epoch loop over any {@link TrainingEngine} (secure, fixed-point twin or float), as the
 * {@code train} command, tests and embedders run it. Each epoch takes the plan's public batch order; each batch is
 * encoded in fixed point as the data owner holds it and handed to the engine, which (secure) splits it with a fresh
 * {@link SecretSplitter}; after each epoch the test accuracy is measured by the engine (secure: by secure inference)
 * and handed to the listener, which may checkpoint. With a twin and {@code verifyTwin} > 0 the twin takes the same
 * steps and the loop stops at the first parameter bit that differs (the secure engine needs seeded keys for that).
 *
 * <p>The three-process deployment is {@link PartyTrainer}; this loop is its one-JVM counterpart with the same
 * {@link TrainingPlan} arithmetic (batch order, learning-rate shifts). The {@code train} command seeds the order
 * with {@code --seed} + 2 and {@code train-party} with {@code --seed}, so one seed gives the two different orders.
 */
public final class EpochLoop
{
    /** What the loop reports; every method may be left out. */
    public interface Listener
    {
        /**
         * After every {@code progressEvery}-th iteration and the epoch's last: the mean loss proxy per image since the
         * last report (opened by the data owner: the caller of this loop).
         */
        default void progress(final int epoch, final int iteration, final int perEpoch, final double loss,
            final double imagesPerSecond, final double etaSeconds, final boolean twinIdenticalSoFar)
        {
        }

        /** After the {@code verifyTwin}-th iteration when the twin agreed on every bit. */
        default void twinCheckPassed(final long iterations)
        {
        }

        /** When an epoch's last step is done, before its accuracy is measured: the place to checkpoint. */
        default void epochTrained(final int epoch, final TrainingEngine trainer) throws IOException
        {
        }

        /**
         * At the end of each epoch (numbered from 1 within this run) with its test accuracy in [0, 1] (NaN when the
         * loop was given no test set).
         */
        default void epochEnd(final int epoch, final double testAccuracy, final TrainingEngine trainer) throws IOException
        {
        }
    }

    private EpochLoop()
    {
    }

    /**
     * Runs {@code plan.epochs()} epochs of {@code plan} on {@code train}, the first numbered {@code startEpoch} for the
     * rate schedule (a resumed run); returns the iterations run.
     *
     * @param twin       null, or an engine that takes the same steps for the first {@code verifyTwin} iterations
     * @param test       the test set measured after each epoch, or null for none
     * @param progressEvery report every this many iterations (at least 1)
     */
    public static long run(final TrainingEngine trainer, final TrainingEngine twin, final int verifyTwin,
        final NetworkSpec spec, final Mnist train, final Mnist test, final FixedPoint fp, final TrainingPlan plan,
        final int startEpoch, final int progressEvery, final Listener listener) throws IOException
    {
        if (startEpoch < 1 || progressEvery < 1 || verifyTwin < 0 || (verifyTwin > 0 && twin == null))
        {
            throw new IllegalArgumentException("start epoch and progress interval must be at least 1 and a twin check needs "
                + "a twin (got start epoch " + startEpoch + ", progress every " + progressEvery + ", verify " + verifyTwin + ")");
        }
        spec.requireImages(train.rows(), train.cols(), "the training images");
        final int perEpoch = plan.iterationsPerEpoch(train.count());
        final int n = plan.batch();
        final BatchOrder batches = new BatchOrder(plan.orderSeed(), train.count());
        final SecretSplitter owner = SecretSplitter.fresh();
        final SecretSplitter client = SecretSplitter.fresh();
        final double scale = Math.pow(2, 2 * fp.fractionBits());
        long iterations = 0;
        for (int epoch = 1; epoch <= plan.epochs(); epoch++)
        {
            final int[] order = batches.nextEpoch();
            final int shift = plan.shift(startEpoch + epoch - 1);
            final long t0 = System.nanoTime();
            double lossSum = 0;
            int lossCount = 0;
            for (int it = 0; it < perEpoch; it++)
            {
                try (Arena batchArena = Arena.ofConfined())
                {
                    final MemorySegment[] xy = encode(batchArena, spec, train, order, it * n, n, fp);
                    lossSum += trainer.step(xy[0], xy[1], n, shift, owner) / scale / n;
                    lossCount++;
                    iterations++;
                    if (twin != null && iterations <= verifyTwin)
                    {
                        twin.step(xy[0], xy[1], n, shift, owner); // draws nothing
                        requireEqual(trainer, twin, batchArena, iterations);
                    }
                }
                final double seconds = (System.nanoTime() - t0) / 1e9;
                if (it == perEpoch - 1 || (it + 1) % progressEvery == 0)
                {
                    listener.progress(epoch, it + 1, perEpoch, lossSum / lossCount, (it + 1) * n / seconds,
                        seconds / (it + 1) * (perEpoch - it - 1), twin != null && iterations <= verifyTwin);
                    lossSum = 0;
                    lossCount = 0;
                }
                if (twin != null && iterations == verifyTwin)
                {
                    listener.twinCheckPassed(verifyTwin);
                }
            }
            listener.epochTrained(epoch, trainer);
            listener.epochEnd(epoch, test == null ? Double.NaN : trainer.accuracy(test, client), trainer);
        }
        return iterations;
    }

    /** Fails naming the first parameter that differs between the secure engine and the twin. */
    static void requireEqual(final TrainingEngine secure, final TrainingEngine twin, final Arena arena, final long iteration)
    {
        final MemorySegment[] a = secure.plaintext(arena);
        final MemorySegment[] b = twin.plaintext(arena);
        for (int t = 0; t < a.length; t++)
        {
            final long mismatch = a[t].mismatch(b[t]);
            if (mismatch >= 0)
            {
                final long i = mismatch / 8;
                throw new IllegalStateException("twin check failed after iteration " + iteration + ": parameter tensor " + t
                    + " element " + i + " is " + a[t].getAtIndex(Ring.LONG, i) + " in secure training but "
                    + b[t].getAtIndex(Ring.LONG, i) + " in the twin");
            }
        }
    }

    /** One batch as the data owner encodes it: images and one-hot labels in fixed point. */
    public static MemorySegment[] encode(final Arena arena, final NetworkSpec spec, final Mnist train, final int[] order,
        final int from, final int n, final FixedPoint fp)
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
        return new MemorySegment[]{x, y};
    }
}
