package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.data.Mnist;
import securenn.kernels.Kernels;
import securenn.mpc.FixedPoint;
import securenn.mpc.LocalSession;
import securenn.mpc.SecretSplitter;
import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.SecureInference;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The main job: secure inference of MNIST digits. The model owner's plaintext model is split into shares for P0 and
 * P1, a client splits each image, the three parties (in this JVM, over Aeron IPC) run the network, and the client
 * reconstructs and prints the predictions, the accuracy and what it cost.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Secure inference of MNIST images by three parties in one JVM (Aeron IPC).",
        "Uses the bundled model (network A, trained by this project) and the bundled 100-image test sample",
        "unless told otherwise."})
final class DemoCommand implements Callable<Integer>
{
    @Option(names = "--data", description = "MNIST directory (IDX files, gzipped or not); default: the bundled sample.")
    Path data;

    @Option(names = "--model", description = "Plaintext model file; default: the bundled network A model.")
    Path model;

    @Option(names = "--images", defaultValue = "100", description = "How many test images to classify (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--batch", defaultValue = "100", description = "Images per secure batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--show", defaultValue = "10", description = "Predictions to print (default: ${DEFAULT-VALUE}).")
    int show;

    @Option(names = "--seed", defaultValue = "20261124", description = "Seed of --kernels-check's random inputs, and of the "
        + "session keys with --seeded-keys-for-twin-checks (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--seeded-keys-for-twin-checks", description = "Derive the parties' session keys from --seed (reproducible "
        + "runs; anyone who knows the seed knows every party's randomness). Default: fresh keys from SecureRandom. The model "
        + "and the images are always split with fresh AES-CTR randomness.")
    boolean seededKeys;

    @Option(names = "--kernels-check", description = "Instead: check every vector kernel against its scalar oracle.")
    boolean kernelsCheck;

    @Override
    public Integer call() throws Exception
    {
        if (kernelsCheck)
        {
            return new KernelCheck(seed).run(System.out);
        }
        final PrintStream out = System.out;
        final Mnist test = (data == null ? Mnist.sample() : Mnist.load(data, Mnist.Split.TEST)).head(images);
        final Model plain = model == null ? ModelFile.bundled() : ModelFile.read(model);
        if (batch < 1 || images < 1)
        {
            throw new IllegalArgumentException("--images and --batch must be at least 1");
        }
        plain.spec().requireImages(test.rows(), test.cols(), data == null ? "the bundled sample" : data.toString());
        out.printf("securenn demo: network %s, %d test images from %s, kernels: %s (%d-bit vectors), %s session keys%n",
            plain.spec().name(), test.count(), data == null ? "the bundled sample" : data, Kernels.best().name(),
            Kernels.best().vectorBits(), seededKeys ? "SEEDED (for twin checks, not secret)" : "fresh");
        try (Arena arena = Arena.ofShared(); LocalSession session = seededKeys
            ? LocalSession.seededForTwinChecks(seed) : LocalSession.freshKeys("yield"))
        {
            final ModelFile.SharedModel[] shares = ModelFile.split(plain, FixedPoint.DEFAULT, arena, SecretSplitter.fresh());
            out.printf("model owner: split %d parameter tensors into shares for P0 and P1 (fixed point, %d fraction bits)%n",
                shares[0].params().length, FixedPoint.DEFAULT.fractionBits());
            int correct = 0;
            int floatCorrect = 0;
            double millis = 0;
            double firstBatchMillis = 0;
            double secondBatchMillis = 0;
            int secondBatchSize = 0;
            long rounds = 0;
            long bytes = 0;
            final SecretSplitter client = SecretSplitter.fresh();
            for (int from = 0; from < test.count(); from += batch)
            {
                final int n = Math.min(batch, test.count() - from);
                final double[] x = FloatNetwork.images(plain.spec(), test, from, n);
                final SecureInference.Result r = SecureInference.classify(session, shares, x, n, client);
                final int[] floatPred = FloatNetwork.argmax(FloatNetwork.forward(plain, x, n), n, plain.spec().output().size());
                for (int s = 0; s < n; s++)
                {
                    correct += r.predictions()[s] == test.label(from + s) ? 1 : 0;
                    floatCorrect += floatPred[s] == test.label(from + s) ? 1 : 0;
                    if (from + s < show)
                    {
                        out.printf("  image %3d: label %d, secure prediction %d%s%n", from + s, test.label(from + s),
                            r.predictions()[s], r.predictions()[s] == test.label(from + s) ? "" : "  (wrong)");
                    }
                }
                if (from == 0)
                {
                    firstBatchMillis = r.millis();
                }
                else if (from == batch)
                {
                    secondBatchMillis = r.millis();
                    secondBatchSize = n;
                }
                millis += r.millis();
                rounds += r.rounds();
                bytes += r.bytes();
                out.printf("batch of %d: %.1f ms, %d rounds, %.2f MB%n", n, r.millis(), r.rounds(), r.bytes() / 1e6);
            }
            out.printf("secure accuracy %d/%d = %.2f%% (plaintext float model: %.2f%%); %.1f ms, %d rounds, %.2f MB in total%n",
                correct, test.count(), 100.0 * correct / test.count(), 100.0 * floatCorrect / test.count(), millis, rounds,
                bytes / 1e6);
            // the first batch runs while the JIT compiles the kernels: say so, and time a warm batch beside it
            final int first = Math.min(batch, test.count());
            final boolean again = secondBatchSize == 0;
            final int warmSize = again ? first : secondBatchSize;
            final double warm = again
                ? SecureInference.classify(session, shares, FloatNetwork.images(plain.spec(), test, 0, first), first, client).millis()
                : secondBatchMillis;
            out.printf("cold: %.1f ms for the first batch of %d (includes JIT compilation); warm: %.1f ms for %s batch of %d "
                + "(%.2f ms per image)%n", firstBatchMillis, first, warm, again ? "the same" : "the second", warmSize, warm / warmSize);
        }
        return 0;
    }
}
