package securenn.service;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import securenn.config.ClusterConfig;
import securenn.data.Mnist;
import securenn.mpc.FixedPoint;
import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.mpc.SecretSplitter;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three hosts on one machine: {@code bin/netns up} puts each party in its own network namespace (own interface,
 * address and stack, joined by a bridge), the three servers run there as separate processes, and a client in the
 * root namespace classifies sample images through them. Needs root and iproute2; skipped with the reason otherwise.
 */
class NetnsDeploymentTest
{
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void shouldServeSecureInferenceAcrossThreeNetworkNamespaces() throws Exception
    {
        namespacesUpOrSkip();
        final List<Process> servers = new ArrayList<>();
        final Path dir = Files.createTempDirectory("securenn-netns");
        try (Arena arena = Arena.ofConfined())
        {
            final Model model = ModelFile.bundled();
            final ModelFile.SharedModel[] shares = ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.seededForTwinChecks(3));
            ModelFile.writeShares(dir.resolve("P0.shares"), shares[0]);
            ModelFile.writeShares(dir.resolve("P1.shares"), shares[1]);
            final Path config = dir.resolve("netns.toml"); // the repository's, with fresh keys beside it
            Files.copy(ROOT.resolve("config/netns.toml"), config);
            securenn.security.TestKeys.in(dir.resolve("keys"));
            for (int i = 0; i < 3; i++)
            {
                final List<String> cmd = inNamespace(i, "serve", "--config", config.toString(), "--party", "P" + i);
                cmd.addAll(i < 2 ? List.of("--shares", dir.resolve("P" + i + ".shares").toString()) : List.of("--network", "A"));
                servers.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("P" + i + ".log").toFile()).start());
            }
            final ClusterConfig cluster = ClusterConfig.load(config);
            awaitPort(cluster.endpoint(securenn.mpc.Role.P0).host(), 41_000, servers, dir);
            awaitPort(cluster.endpoint(securenn.mpc.Role.P1).host(), 41_000, servers, dir);
            for (int p = 0; p < 3; p++) // the client ports open before the first session; earlier requests get UNAVAILABLE
            {
                ServerProcesses.awaitLog(dir, p, "session 1 formed", 120);
            }
            final Mnist sample = Mnist.sample();
            final int n = 40;
            final int[] expected = FloatNetwork.argmax(FloatNetwork.forward(model, FloatNetwork.images(sample, 0, n), n), n, 10);
            try (InferenceClient client = new InferenceClient(cluster, 784, FixedPoint.DEFAULT.fractionBits(), true))
            {
                final List<CompletableFuture<InferenceClient.Prediction>> answers = new ArrayList<>();
                for (int i = 0; i < n; i++)
                {
                    answers.add(client.classify(FloatNetwork.images(sample, i, 1)));
                }
                int agree = 0;
                for (int i = 0; i < n; i++)
                {
                    agree += answers.get(i).get(60, TimeUnit.SECONDS).label() == expected[i] ? 1 : 0;
                }
                assertThat(agree).as("secure predictions equal to the plaintext model's, across three namespaces (logs: %s)", dir)
                    .isGreaterThanOrEqualTo(n - 1);
            }
        }
        finally
        {
            for (final Process p : servers)
            {
                p.destroy();
            }
            for (final Process p : servers)
            {
                if (!p.waitFor(20, TimeUnit.SECONDS))
                {
                    p.destroyForcibly();
                }
            }
            new ProcessBuilder(ROOT.resolve("bin/netns").toString(), "down").inheritIO().start().waitFor();
        }
    }

    /** {@code bin/netns up 5gbit}, or skips the test naming why namespaces are unavailable. */
    private static void namespacesUpOrSkip() throws Exception
    {
        final Process up = new ProcessBuilder(ROOT.resolve("bin/netns").toString(), "up", "5gbit").redirectErrorStream(true).start();
        final String upOutput = new String(up.getInputStream().readAllBytes());
        Assumptions.assumeTrue(up.waitFor() == 0, "network namespaces unavailable here (bin/netns up: " + upOutput.strip() + ")");
    }

    /** {@code securenn ARGS} in namespace sn{@code i}, with this JVM's flags and class path. */
    private static List<String> inNamespace(final int i, final String... args)
    {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", "sn" + i,
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("--") || a.startsWith("-XX")).toList());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "securenn.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Secure training across the three namespaces: each party a {@code train-party} process with its own share files
     * and checkpoint directory; all three finish the plan and hold its last checkpoint, and P0's and P1's final shares
     * reconstruct to a model (only the model owner, here the test, adds them).
     */
    @Test
    void shouldTrainSecurelyAcrossThreeNetworkNamespaces() throws Exception
    {
        namespacesUpOrSkip();
        final List<Process> parties = new ArrayList<>();
        final Path dir = Files.createTempDirectory("securenn-netns-train");
        try (Arena arena = Arena.ofConfined())
        {
            final ModelFile.SharedModel[] start = ModelFile.split(Model.random(securenn.nn.NetworkSpec.builtIn("A"), 4),
                FixedPoint.DEFAULT, arena, SecretSplitter.fresh());
            ModelFile.writeShares(dir.resolve("P0.shares"), start[0]);
            ModelFile.writeShares(dir.resolve("P1.shares"), start[1]);
            securenn.train.DataOwner.split(Mnist.sample(), "the bundled sample", 80, 10, FixedPoint.DEFAULT,
                SecretSplitter.fresh(), dir.resolve("P0.data"), dir.resolve("P1.data"));
            final Path config = dir.resolve("netns.toml");
            Files.copy(ROOT.resolve("config/netns.toml"), config);
            securenn.security.TestKeys.in(dir.resolve("keys"));
            for (int i = 0; i < 3; i++)
            {
                final List<String> cmd = inNamespace(i, "train-party", "--config", config.toString(), "--party", "P" + i,
                    "--checkpoint", dir.resolve("ckpt-P" + i).toString(), "--epochs", "1", "--batch", "8", "--checkpoint-every", "4");
                cmd.addAll(i < 2 ? List.of("--shares", dir.resolve("P" + i + ".shares").toString(), "--data",
                    dir.resolve("P" + i + ".data").toString()) : List.of("--network", "A"));
                parties.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("P" + i + ".log").toFile()).start());
            }
            for (int i = 0; i < 3; i++)
            {
                assertThat(parties.get(i).waitFor(240, TimeUnit.SECONDS)).as("P%d finished (logs in %s)", i, dir).isTrue();
                assertThat(parties.get(i).exitValue()).as("P%d's exit code:%n%s", i, Files.readString(dir.resolve("P" + i + ".log")))
                    .isZero();
                assertThat(Files.readString(dir.resolve("P" + i + ".log"))).contains("links encrypted to");
            }
            final securenn.mpc.Role[] roles = securenn.mpc.Role.values();
            for (final securenn.mpc.Role r : roles)
            {
                assertThat(new securenn.train.Checkpoints(dir.resolve("ckpt-" + r), r).held()).first().isEqualTo(10L);
            }
            final Model trained = ModelFile.reconstruct(
                new securenn.train.Checkpoints(dir.resolve("ckpt-P0"), roles[0]).load(10, arena),
                new securenn.train.Checkpoints(dir.resolve("ckpt-P1"), roles[1]).load(10, arena));
            assertThat(trained.spec().name()).isEqualTo("A");
        }
        finally
        {
            parties.forEach(Process::destroyForcibly);
            new ProcessBuilder(ROOT.resolve("bin/netns").toString(), "down").inheritIO().start().waitFor();
        }
    }

    private static void awaitPort(final String host, final int port, final List<Process> servers, final Path logs) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true)
        {
            for (final Process p : servers)
            {
                assertThat(p.isAlive()).as("a server process exited early; logs in %s", logs).isTrue();
            }
            try (Socket ignored = new Socket(host, port))
            {
                return;
            }
            catch (final IOException notYet)
            {
                assertThat(System.nanoTime()).as("%s:%d never served; logs in %s", host, port, logs).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }
}
