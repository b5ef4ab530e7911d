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
import securenn.nn.Preprocessing;
import securenn.onnx.OnnxExporter;
import securenn.service.InferenceClient;
import securenn.service.InferenceServer;
import securenn.service.InferenceServiceTest;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model brought as ONNX, with input normalisation, served like networks A–D: `securenn import` writes the model and
 * its public network description, P2 runs from the description alone, the servers' hello carries the preprocessing and
 * a client that applies it gets the fixed-point twin's logits of the normalised images.
 */
class ImportedModelServiceTest
{
    private static final Path KEYS = securenn.security.TestKeys.fresh();
    private static final int F = FixedPoint.DEFAULT.fractionBits();

    @TempDir
    Path dir;

    @Test
    void anImportedModelWithNormalisationShouldServeThroughTheServiceAsTheTwinComputesIt() throws Exception
    {
        final NetworkSpec a = NetworkSpec.builtIn("A");
        final Preprocessing normalise = new Preprocessing(1 / 255.0, new double[]{0.1307}, new double[]{0.3081});
        final Model original = Model.random(new NetworkSpec("A", a.layers(), a.input(), normalise), 11);
        final Path onnx = dir.resolve("mlp.onnx");
        OnnxExporter.write(original, onnx);
        final Path modelFile = dir.resolve("mlp.model");
        assertThat(new CommandLine(new ImportCommand()).execute("--onnx", onnx.toString(), "--out", modelFile.toString(),
            "--name", "mlp", "--mean", "0.1307", "--std", "0.3081")).isZero();
        final Model model = ModelFile.read(modelFile);
        final NetworkSpec forP2 = NetworkSpec.resolve(dir.resolve("mlp.network").toString());
        assertThat(forP2.describe()).as("the public description P2 gets").isEqualTo(model.spec().describe());
        assertThat(forP2.preprocessing().isPixels()).isFalse();

        final ClusterConfig c = ClusterConfig.parse(ClusterConfig.loopbackToml(FreePorts.base(45_900), KEYS, """
            [session]
            mtu = 65504
            connect-timeout-ms = 20000
            message-timeout-ms = 5000
            [service]
            max-batch = 8
            max-wait-ms = 2
            """));
        final ExecutorService threads = Executors.newCachedThreadPool();
        final List<InferenceServer> servers = new ArrayList<>();
        try (Arena arena = Arena.ofShared())
        {
            final ModelFile.SharedModel[] shares = ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.fresh());
            final PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
            for (final Role r : Role.values())
            {
                final InferenceServer s = new InferenceServer(c, r, r.holdsShares() ? model.spec() : forP2,
                    r.holdsShares() ? shares[r.id()] : null, F, securenn.security.TestKeys.security(c, r, true), quiet);
                servers.add(s);
                threads.submit(() ->
                {
                    s.run();
                    return null;
                });
            }
            for (final InferenceServer s : servers)
            {
                assertThat(s.awaitReady(30, TimeUnit.SECONDS)).isTrue();
            }
            final Mnist sample = Mnist.sample();
            final int n = 12;
            try (InferenceClient client = new InferenceClient(c, 784, F, true))
            {
                final Preprocessing told = client.servers().preprocessing();
                assertThat(told.describe()).as("the preprocessing in the servers' hello").isEqualTo(normalise.describe());
                final double[] inputs = told.apply(sample, 0, n);
                final long[] twin = InferenceServiceTest.twinLogits(model, inputs, n);
                for (int i = 0; i < n; i++)
                {
                    final double[] one = java.util.Arrays.copyOfRange(inputs, i * 784, (i + 1) * 784);
                    final InferenceClient.Prediction p = client.classify(one).get(30, TimeUnit.SECONDS);
                    for (int j = 0; j < 10; j++)
                    {
                        assertThat(Math.abs(p.logits()[j] - twin[i * 10 + j])).as("image %d logit %d vs the fixed-point twin",
                            i, j).isLessThanOrEqualTo(64);
                    }
                }
            }
        }
        finally
        {
            for (final InferenceServer s : servers)
            {
                s.stop(5_000);
            }
            threads.shutdownNow();
            threads.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
