package securenn.service;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import securenn.cli.Main;
import securenn.cli.SameJvm;
import securenn.config.ClusterConfig;
import securenn.data.Mnist;
import securenn.mpc.FixedPoint;
import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.security.TestKeys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parties on a machine that is busy with other work: two busy-loop processes started by the test compete with
 * the three server processes (and the client) for the cores. The service must answer every request — only slower —
 * and one-shot inference must finish; nothing may fail for want of CPU. Timing-dependent by nature (how busy the
 * machine is); the request timeout is raised to 120 s so that a slow answer is not counted as a failure of the
 * admission policy, while the transport runs with its default message timeout (10 s).
 */
class CpuContentionTest
{
    private static final int F = FixedPoint.DEFAULT.fractionBits();
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void startHogs() throws Exception
    {
        for (int i = 0; i < 2; i++)
        {
            processes.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
        }
    }

    @AfterEach
    void stopEverything() throws InterruptedException
    {
        processes.forEach(Process::destroyForcibly);
        for (final Process p : processes)
        {
            p.waitFor(20, TimeUnit.SECONDS); // its ports are free for the next test only once it is gone
        }
    }

    @Test
    void theServiceShouldAnswerEveryRequestWhileTwoBusyLoopsCompeteForTheCoresTimingDependent(@TempDir final Path dir)
        throws Exception
    {
        final Model model = ModelFile.bundled();
        ServerProcesses.writeShares(dir, model, securenn.mpc.SecretSplitter.fresh());
        final Path config = dir.resolve("cluster.toml");
        Files.writeString(config, ClusterConfig.loopbackToml(46_400, TestKeys.in(dir.resolve("keys")), """
            [session]
            mtu = 65504
            [service]
            request-timeout-ms = 120000
            """));
        for (int p = 0; p < 3; p++)
        {
            processes.add(ServerProcesses.serve(dir, config, p, ""));
        }
        for (int p = 0; p < 3; p++)
        {
            ServerProcesses.awaitLog(dir, p, "session 1 formed", 180);
        }
        final Mnist sample = Mnist.sample();
        final int[] expected = FloatNetwork.argmax(FloatNetwork.forward(model, FloatNetwork.images(sample, 0, 100), 100), 100, 10);
        int answered = 0;
        int correct = 0;
        final List<String> failures = new ArrayList<>();
        try (InferenceClient client = new InferenceClient(ClusterConfig.load(config), 784, F, true))
        {
            for (int wave = 0; wave < 4; wave++)
            {
                final List<CompletableFuture<InferenceClient.Prediction>> answers = new ArrayList<>();
                for (int i = 0; i < 50; i++)
                {
                    answers.add(client.classify(FloatNetwork.images(sample, i % 100, 1)));
                }
                for (int i = 0; i < answers.size(); i++)
                {
                    try
                    {
                        correct += answers.get(i).get(180, TimeUnit.SECONDS).label() == expected[i % 100] ? 1 : 0;
                        answered++;
                    }
                    catch (final ExecutionException ex)
                    {
                        failures.add(ex.getCause().getMessage());
                    }
                }
            }
        }
        assertThat(failures).as("failed requests under CPU contention; logs:%n%s", logs(dir)).isEmpty();
        assertThat(answered).isEqualTo(200);
        assertThat(correct).as("answers are the model's (vs the float twin)").isGreaterThanOrEqualTo(195);
        for (int p = 0; p < 3; p++)
        {
            assertThat(Files.readString(dir.resolve("P" + p + ".log"))).as("P%d never lost its session", p)
                .doesNotContain("session 1 failed");
        }
    }

    @Test
    void oneShotInferenceShouldFinishWhileTwoBusyLoopsCompeteForTheCoresTimingDependent(@TempDir final Path dir)
        throws Exception
    {
        final Path config = dir.resolve("cluster.toml");
        Files.writeString(config, ClusterConfig.loopbackToml(46_500, TestKeys.in(dir.resolve("keys")), ""));
        final Process share = new ProcessBuilder(SameJvm.command(Main.class, List.of("share", "--model",
            Path.of("src/main/resources/securenn/models/A.model").toString(), "--out", dir.resolve("model").toString())))
            .redirectErrorStream(true).redirectOutput(dir.resolve("share.log").toFile()).start();
        assertThat(share.waitFor(180, TimeUnit.SECONDS) && share.exitValue() == 0).as(Files.readString(dir.resolve("share.log"))).isTrue();
        final Process infer = new ProcessBuilder(SameJvm.command(Main.class, List.of("infer", "--config", config.toString(),
            "--model-dir", dir.resolve("model").toString(), "--count", "100", "--work", dir.resolve("work").toString())))
            .redirectErrorStream(true).redirectOutput(dir.resolve("infer.log").toFile()).start();
        processes.add(infer);
        assertThat(infer.waitFor(300, TimeUnit.SECONDS)).as("infer finished").isTrue();
        final String out = Files.readString(dir.resolve("infer.log"));
        assertThat(infer.exitValue()).as(out).isZero();
        assertThat(out).containsPattern("\\d+ of 100 correct");
    }

    private static String logs(final Path dir) throws Exception
    {
        final StringBuilder b = new StringBuilder();
        for (int p = 0; p < 3; p++)
        {
            b.append("--- P").append(p).append('\n').append(Files.readString(dir.resolve("P" + p + ".log")));
        }
        return b.toString();
    }
}
