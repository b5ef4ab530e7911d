package securenn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import securenn.config.ClusterConfig;
import securenn.data.Mnist;
import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.mpc.SecretSplitter;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.train.Checkpoints;
import securenn.train.DataOwner;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three {@code train-party} processes; P1 is killed (SIGKILL) mid-epoch, at its third iteration. P0 and P2 fail the
 * session naming the cause and wait; when P1 is started again the three form a new session, resume after the newest
 * checkpoint all of them hold, and finish the plan — every party's final checkpoint at the same iteration, and the
 * model within a few ulps of the fixed-point twin (a skipped, repeated or mismatched step would be far off: shares of
 * two different iterations add up to noise). Timing-dependent: it waits for P0's progress lines before the kill.
 */
class TrainPartyRestartTest
{
    private static final Path KEYS = securenn.security.TestKeys.fresh();
    private static final int ROWS = 96;
    private static final int BATCH = 8;
    private static final int EPOCHS = 2;

    @TempDir
    Path dir;

    private Process party(final Path config, final Role r, final String log) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("train-party", "--config", config.toString(), "--party", r.toString(),
            "--checkpoint", dir.resolve("ckpt-" + r).toString(), "--epochs", Integer.toString(EPOCHS), "--batch",
            Integer.toString(BATCH), "--seed", "3", "--checkpoint-every", "2", "--progress", "1"));
        args.addAll(r.holdsShares() ? List.of("--shares", dir.resolve(r + ".shares").toString(), "--data",
            dir.resolve(r + ".data").toString()) : List.of("--network", "A"));
        final Process p = new ProcessBuilder(SameJvm.command(Main.class, args)).redirectErrorStream(true)
            .redirectOutput(dir.resolve(log).toFile()).start();
        if (r != Role.P1 || !log.equals("P1.log")) // the P1 the test kills exits on purpose
        {
            running.add(p);
            logs.add(log);
        }
        return p;
    }

    private final List<Process> running = new ArrayList<>();
    private final List<String> logs = new ArrayList<>();

    /** Waits until {@code log} says {@code text}; fails at once, with its log, if a party process exited meanwhile. */
    private String awaitLog(final String log, final String text, final int seconds) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true)
        {
            final String content = Files.exists(dir.resolve(log)) ? Files.readString(dir.resolve(log)) : "";
            if (content.contains(text))
            {
                return content;
            }
            for (int i = 0; i < running.size(); i++)
            {
                final Process p = running.get(i);
                assertThat(p.isAlive() || p.exitValue() == 0).as("%s exited with %s while waiting for '%s':%n%s", logs.get(i),
                    p.isAlive() ? "-" : p.exitValue(), text, Files.readString(dir.resolve(logs.get(i)))).isTrue();
            }
            assertThat(System.nanoTime()).as("%s never said '%s':%n%s", log, text, content).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aPartyKilledMidEpochShouldRejoinAndAllShouldFinishFromTheNewestCommonCheckpoint() throws Exception
    {
        final Path config = dir.resolve("cluster.toml");
        Files.writeString(config, ClusterConfig.loopbackToml(FreePorts.base(46_700), KEYS, """
            [session]
            mtu = 65504
            connect-timeout-ms = 20000
            message-timeout-ms = 2000
            """));
        final Arena arena = Arena.ofShared();
        final ModelFile.SharedModel[] start = ModelFile.split(Model.random(NetworkSpec.builtIn("A"), 9), FixedPoint.DEFAULT,
            arena, SecretSplitter.fresh());
        ModelFile.writeShares(dir.resolve("P0.shares"), start[0]);
        ModelFile.writeShares(dir.resolve("P1.shares"), start[1]);
        DataOwner.split(Mnist.sample(), "the bundled sample", ROWS, 10, FixedPoint.DEFAULT, SecretSplitter.fresh(),
            dir.resolve("P0.data"), dir.resolve("P1.data"));
        final List<Process> all = new ArrayList<>();
        try
        {
            all.add(party(config, Role.P0, "P0.log"));
            final Process p1 = party(config, Role.P1, "P1.log");
            all.add(p1);
            all.add(party(config, Role.P2, "P2.log"));
            awaitLog("P0.log", "iteration 3/12 (3 of 24)", 120); // past the checkpoint after 2, far from the end
            p1.destroyForcibly().waitFor();
            awaitLog("P0.log", "session 1 failed", 60);
            awaitLog("P2.log", "session 1 failed", 60);
            final Process again = party(config, Role.P1, "P1-again.log");
            all.add(again);
            final String resumed = awaitLog("P1-again.log", "resuming after iteration", 120);
            for (final int i : new int[]{0, 2, 3})
            {
                assertThat(all.get(i).waitFor(180, TimeUnit.SECONDS)).as("party process %d finished", i).isTrue();
                assertThat(all.get(i).exitValue()).as("exit code of process %d:%n%s", i,
                    Files.readString(dir.resolve(i == 3 ? "P1-again.log" : "P" + i + ".log"))).isZero();
            }
            final java.util.regex.Matcher at = java.util.regex.Pattern.compile("resuming after iteration (\\d+)").matcher(resumed);
            assertThat(at.find()).isTrue();
            final int from = Integer.parseInt(at.group(1));
            assertThat(from).as("the newest checkpoint all three hold: one of every 2 iterations, from the one before the kill")
                .isBetween(2, 22).matches(i -> i % 2 == 0, "even");
            final long total = (long)EPOCHS * ROWS / BATCH;
            for (final Role r : Role.values())
            {
                assertThat(new Checkpoints(dir.resolve("ckpt-" + r), r).held()).as("%s's checkpoints", r).first().isEqualTo(total);
            }
            final ModelFile.SharedModel p0 = new Checkpoints(dir.resolve("ckpt-P0"), Role.P0).load(total, arena);
            final ModelFile.SharedModel p1s = new Checkpoints(dir.resolve("ckpt-P1"), Role.P1).load(total, arena);
            final long ulps = TrainPartyTest.maxUlps(ModelFile.openFixedPoint(p0, p1s, arena),
                TrainPartyTest.twin(start, 1, (int)total, ROWS, BATCH, 3, arena));
            System.out.println("after a kill and resume, " + total + " iterations: largest difference to the twin " + ulps + " ulps");
            assertThat(ulps).as("largest difference to the twin, in ulps").isLessThan(256);
        }
        finally
        {
            all.forEach(Process::destroyForcibly);
            arena.close();
        }
    }
}
