package securenn.service;

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
import securenn.mpc.SecretSplitter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three `securenn serve` processes; P2 is killed (SIGKILL) while batches run: its peers abort within the message
 * timeout naming it, answer what was in flight with an error (never a wrong answer), and when P2 is started again
 * all three form a new session and serve the same client connections again.
 */
class PartyRestartTest
{
    private static final int F = FixedPoint.DEFAULT.fractionBits();
    private static final long MESSAGE_TIMEOUT_MS = 1500;

    @Test
    void aKilledPartyShouldAbortItsPeersNamingItAndRejoinWhenRestarted(@TempDir final Path dir) throws Exception
    {
        final Model model = ModelFile.bundled();
        ServerProcesses.writeShares(dir, model, SecretSplitter.seededForTwinChecks(5));
        final Path config = dir.resolve("cluster.toml");
        Files.writeString(config, ClusterConfig.loopbackToml(46_300, TestKeys.in(dir.resolve("keys")), """
            [session]
            mtu = 65504
            connect-timeout-ms = 3000
            message-timeout-ms = %d
            [service]
            max-batch = 16
            max-wait-ms = 2
            request-timeout-ms = 20000
            """.formatted(MESSAGE_TIMEOUT_MS)));
        final ClusterConfig cluster = ClusterConfig.load(config);
        final Process[] servers = new Process[3];
        try
        {
            for (int p = 0; p < 3; p++)
            {
                servers[p] = ServerProcesses.serve(dir, config, p, "");
            }
            for (int p = 0; p < 3; p++)
            {
                ServerProcesses.awaitLog(dir, p, "session 1 formed", 90);
            }
            final Mnist sample = Mnist.sample();
            final int[] expected = FloatNetwork.argmax(FloatNetwork.forward(model, FloatNetwork.images(sample, 0, 100), 100), 100, 10);
            try (InferenceClient client = new InferenceClient(cluster, 784, F, true))
            {
                assertThat(classify(client, sample, expected, 20)).as("correct before the kill").isGreaterThanOrEqualTo(19);

                final List<CompletableFuture<InferenceClient.Prediction>> inFlight = new ArrayList<>();
                for (int i = 0; i < 400; i++)
                {
                    inFlight.add(client.classify(FloatNetwork.images(sample, i % 100, 1)));
                }
                Thread.sleep(150);
                servers[2].destroyForcibly();
                final long killed = System.nanoTime();
                final String p0 = ServerProcesses.awaitLog(dir, 0, "session 1 failed", 30);
                final String p1 = ServerProcesses.awaitLog(dir, 1, "session 1 failed", 30);
                final long abortedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                assertThat(abortedMs).as("both peers aborted within the message timeout (+ polling slack)")
                    .isLessThan(MESSAGE_TIMEOUT_MS + 3_000);
                assertThat(p0 + p1).as("the failure names P2 and the protocol step").contains("from P2 failed at step");

                int ok = 0;
                int okCorrect = 0;
                for (int i = 0; i < inFlight.size(); i++)
                {
                    try
                    {
                        final InferenceClient.Prediction pr = inFlight.get(i).get(30, TimeUnit.SECONDS);
                        ok++;
                        okCorrect += pr.label() == expected[i % 100] ? 1 : 0;
                    }
                    catch (final ExecutionException ex)
                    {
                        assertThat(ex.getCause()).isInstanceOf(InferenceClient.ServiceException.class);
                        assertThat(((InferenceClient.ServiceException)ex.getCause()).status())
                            .isIn(Wire.Status.FAILED, Wire.Status.UNAVAILABLE, Wire.Status.TIMEOUT);
                    }
                }
                assertThat(okCorrect).as("answers given around the kill are right ones (%d answered)", ok).isGreaterThanOrEqualTo(ok * 95 / 100);

                servers[2] = ServerProcesses.serve(dir, config, 2, "-restarted");
                ServerProcesses.awaitLog(dir, 0, "session 2 formed", 60);
                ServerProcesses.awaitLog(dir, 1, "session 2 formed", 60);
                assertThat(classify(client, sample, expected, 40)).as("correct after P2 rejoined, same client connections")
                    .isGreaterThanOrEqualTo(39);
            }
        }
        finally
        {
            for (final Process p : servers)
            {
                if (p != null)
                {
                    p.destroyForcibly();
                    p.waitFor(20, TimeUnit.SECONDS); // its ports are free for the next test only once it is gone
                }
            }
        }
    }

    private static int classify(final InferenceClient client, final Mnist sample, final int[] expected, final int n) throws Exception
    {
        final List<CompletableFuture<InferenceClient.Prediction>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            answers.add(client.classify(FloatNetwork.images(sample, i % 100, 1)));
        }
        int correct = 0;
        for (int i = 0; i < n; i++)
        {
            correct += answers.get(i).get(60, TimeUnit.SECONDS).label() == expected[i % 100] ? 1 : 0;
        }
        return correct;
    }
}
