package securenn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import securenn.config.ClusterConfig;
import securenn.data.Mnist;
import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.mpc.SecretSplitter;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.nn.OutputLoss;
import securenn.nn.Sgd;
import securenn.train.BatchOrder;
import securenn.train.Checkpoints;
import securenn.train.DataOwner;
import securenn.train.EpochLoop;
import securenn.train.TwinTraining;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secure training as three party processes would run it — here three {@code train-party} commands on threads of one
 * JVM, each with its own media driver, UDP links, identity, agreed keys and encrypted links: the model owner's and
 * data owner's share files in, per-party checkpoints out. With seeded stream keys the run equals the fixed-point twin
 * bit for bit; with agreed keys it cannot be replayed, and it stays within a few ulps of the twin (how a user checks a
 * real run is the model's accuracy; see the README).
 */
class TrainPartyTest
{
    private static final Path KEYS = securenn.security.TestKeys.fresh();
    private static final int ROWS = 64;
    private static final int BATCH = 16;
    private static final long ORDER_SEED = 3;

    @TempDir
    Path dir;

    private Path config(final int base) throws Exception
    {
        final Path file = dir.resolve("cluster.toml");
        Files.writeString(file, ClusterConfig.loopbackToml(base, KEYS, """
            [session]
            mtu = 65504
            connect-timeout-ms = 20000
            message-timeout-ms = 5000
            """));
        return file;
    }

    /** The model owner's and data owner's steps: P0/P1 model shares and data shares in {@code dir}. */
    private ModelFile.SharedModel[] owners(final Arena arena) throws Exception
    {
        final ModelFile.SharedModel[] model = ModelFile.split(Model.random(NetworkSpec.builtIn("A"), 5), FixedPoint.DEFAULT,
            arena, SecretSplitter.fresh());
        ModelFile.writeShares(dir.resolve("P0.shares"), model[0]);
        ModelFile.writeShares(dir.resolve("P1.shares"), model[1]);
        DataOwner.split(Mnist.sample(), "the bundled sample", ROWS, 10, FixedPoint.DEFAULT, SecretSplitter.fresh(),
            dir.resolve("P0.data"), dir.resolve("P1.data"));
        return model;
    }

    /** Runs the three parties to the end of the plan; fails naming any party that did not exit 0. */
    private void train(final Path config, final int epochs, final String... extra) throws Exception
    {
        final ExecutorService threads = Executors.newFixedThreadPool(3);
        try
        {
            final List<Future<Integer>> exits = new ArrayList<>();
            for (final Role r : Role.values())
            {
                final List<String> args = new ArrayList<>(List.of("--config", config.toString(), "--party", r.toString(),
                    "--checkpoint", dir.resolve("ckpt-" + r).toString(), "--epochs", Integer.toString(epochs),
                    "--batch", Integer.toString(BATCH), "--seed", Long.toString(ORDER_SEED), "--checkpoint-every", "3",
                    "--progress", "4"));
                if (r.holdsShares())
                {
                    args.addAll(List.of("--shares", dir.resolve(r + ".shares").toString(), "--data", dir.resolve(r + ".data").toString()));
                }
                else
                {
                    args.addAll(List.of("--network", "A"));
                }
                args.addAll(List.of(extra));
                exits.add(threads.submit(() -> new CommandLine(new TrainPartyCommand()).execute(args.toArray(String[]::new))));
            }
            for (final Role r : Role.values())
            {
                assertThat(exits.get(r.id()).get(3, TimeUnit.MINUTES)).as("%s's exit code", r).isZero();
            }
        }
        finally
        {
            threads.shutdownNow();
        }
    }

    private static MemorySegment[] twin(final ModelFile.SharedModel[] start, final long seed, final int iterations,
        final Arena arena) throws Exception
    {
        return twin(start, seed, iterations, ROWS, BATCH, ORDER_SEED, new Sgd(OutputLoss.parse("asm"), 0), 7, arena);
    }

    static MemorySegment[] twin(final ModelFile.SharedModel[] start, final long seed, final int iterations, final int rows,
        final int batch, final long orderSeed, final Arena arena) throws Exception
    {
        return twin(start, seed, iterations, rows, batch, orderSeed, new Sgd(OutputLoss.parse("asm"), 0), 7, arena);
    }

    /**
     * The fixed-point twin over the batches train-party visits (the first {@code rows} sample images, rate 2^-rateShift,
     * under {@code rule}); seed: the stream keys' (the truncation carries it replays).
     */
    static MemorySegment[] twin(final ModelFile.SharedModel[] start, final long seed, final int iterations, final int rows,
        final int batch, final long orderSeed, final Sgd rule, final int rateShift, final Arena arena) throws Exception
    {
        final Mnist sample = Mnist.sample();
        final NetworkSpec spec = start[0].spec();
        final FixedPoint fp = new FixedPoint(start[0].fractionBits());
        final BatchOrder batches = new BatchOrder(orderSeed, rows);
        final int perEpoch = rows / batch;
        try (TwinTraining twin = new TwinTraining(start, seed, rule))
        {
            int[] order = null;
            for (int g = 0; g < iterations; g++)
            {
                if (g % perEpoch == 0)
                {
                    order = batches.nextEpoch();
                }
                final int shift = rateShift + 31 - Integer.numberOfLeadingZeros(batch);
                try (Arena batchArena = Arena.ofConfined())
                {
                    final MemorySegment[] xy = EpochLoop.encode(batchArena, spec, sample, order, (g % perEpoch) * batch, batch, fp);
                    twin.step(xy[0], xy[1], batch, shift, null);
                }
            }
            final MemorySegment[] p = twin.plaintext(arena);
            final MemorySegment[] copy = new MemorySegment[p.length];
            for (int t = 0; t < p.length; t++)
            {
                copy[t] = arena.allocate(p[t].byteSize()).copyFrom(p[t]); // the twin's own memory goes with it
            }
            return copy;
        }
    }

    private MemorySegment[] trained(final long iteration, final Arena arena) throws Exception
    {
        final ModelFile.SharedModel p0 = new Checkpoints(dir.resolve("ckpt-P0"), Role.P0).load(iteration, arena);
        final ModelFile.SharedModel p1 = new Checkpoints(dir.resolve("ckpt-P1"), Role.P1).load(iteration, arena);
        return ModelFile.openFixedPoint(p0, p1, arena);
    }

    static long maxUlps(final MemorySegment[] a, final MemorySegment[] b)
    {
        long worst = 0;
        for (int t = 0; t < a.length; t++)
        {
            for (long i = 0; i < a[t].byteSize() / 8; i++)
            {
                worst = Math.max(worst, Math.abs(a[t].getAtIndex(securenn.kernels.Ring.LONG, i) - b[t].getAtIndex(securenn.kernels.Ring.LONG, i)));
            }
        }
        return worst;
    }

    @Test
    void withSeededStreamKeysThreePartiesShouldEqualTheTwinBitForBitAndCheckpointEach() throws Exception
    {
        try (Arena arena = Arena.ofShared())
        {
            final ModelFile.SharedModel[] start = owners(arena);
            train(config(FreePorts.base(46_600)), 2, "--seeded-keys-for-twin-checks", "77");
            final int total = 2 * ROWS / BATCH;
            for (final Role r : Role.values())
            {
                assertThat(new Checkpoints(dir.resolve("ckpt-" + r), r).held()).as("%s's checkpoints (every 3 and at epoch "
                    + "ends, newest %d kept)", r, Checkpoints.KEEP).containsExactly((long)total, 6L);
            }
            assertThat(maxUlps(trained(total, arena), twin(start, 77, total, arena))).as("largest difference to the twin")
                .isZero();
        }
    }

    @Test
    void withAgreedKeysTrainingShouldResumeFromTheCheckpointsAndStayCloseToTheTwin() throws Exception
    {
        try (Arena arena = Arena.ofShared())
        {
            final ModelFile.SharedModel[] start = owners(arena);
            final Path config = config(FreePorts.base(46_630));
            train(config, 1);
            assertThat(new Checkpoints(dir.resolve("ckpt-P0"), Role.P0).held()).containsExactly(4L, 3L);
            train(config, 2); // the same plan with one more epoch: all three resume after iteration 4
            final int total = 2 * ROWS / BATCH;
            for (final Role r : Role.values())
            {
                assertThat(new Checkpoints(dir.resolve("ckpt-" + r), r).held()).containsExactly((long)total, 6L);
            }
            final long ulps = maxUlps(trained(total, arena), twin(start, 77, total, arena));
            System.out.println("agreed keys, " + total + " iterations: largest difference to the twin " + ulps + " ulps");
            assertThat(ulps).as("largest difference to the twin, in ulps of 2^-13 (truncation carries differ)")
                .isBetween(1L, 64L);
        }
    }

    @Test
    void aResumedRunShouldKeepItsMomentum() throws Exception
    {
        try (Arena arena = Arena.ofShared())
        {
            final ModelFile.SharedModel[] start = owners(arena);
            final Path config = config(FreePorts.base(46_660));
            // a large rate (2^-3) makes a step far larger than the truncation noise: velocities restarted at zero on
            // resume would put the model hundreds of ulps off the twin, restored ones stay within the noise
            train(config, 1, "--momentum", "2", "--rate-shift", "3");
            for (final Role r : new Role[]{Role.P0, Role.P1})
            {
                assertThat(dir.resolve("ckpt-" + r).resolve("iteration-4").resolve(r + ".velocity")).as("%s's velocity shares", r)
                    .isRegularFile();
            }
            train(config, 2, "--momentum", "2", "--rate-shift", "3"); // resumes after iteration 4 with its velocities
            final int total = 2 * ROWS / BATCH;
            final long ulps = maxUlps(trained(total, arena), twin(start, 77, total, ROWS, BATCH, ORDER_SEED,
                new Sgd(OutputLoss.parse("asm"), 2), 3, arena));
            System.out.println("momentum 0.75, resumed after iteration 4, " + total + " iterations: largest difference to the "
                + "twin " + ulps + " ulps");
            assertThat(ulps).as("largest difference to the twin with momentum, in ulps of 2^-13 (velocities restarted at zero "
                + "measured 515, restored ones 82)").isBetween(1L, 256L);
        }
    }
}
