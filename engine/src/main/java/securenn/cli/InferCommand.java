package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.data.Mnist;
import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.mpc.SecretSplitter;
import securenn.mpc.Shares;
import securenn.nn.FloatNetwork;
import securenn.nn.InputShares;
import securenn.nn.ModelFile;
import securenn.nn.SecureInference;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** The data owner's one-shot secure inference: split inputs, run three party processes, reconstruct. */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = {"Secure inference of MNIST images by three party processes started here (`securenn party`).",
        "Splits the images into P0.input and P1.input in --work, runs P0, P1 and P2 with the cluster config, reads",
        "P0.output and P1.output back and prints the predictions' accuracy. On three hosts, copy the files and run",
        "`securenn party` on each instead (see README)."})
final class InferCommand implements Callable<Integer>
{
    @Option(names = "--config", defaultValue = "config/loopback.toml", description = "Cluster config (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--model-dir", required = true, description = "Directory with P0.shares and P1.shares (from `securenn share`).")
    Path modelDir;

    @Option(names = "--data", description = "MNIST directory (test split); default: the bundled sample.")
    Path data;

    @Option(names = "--count", defaultValue = "100", description = "Images (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--work", defaultValue = "securenn-infer", description = "Directory for input, output and log files (default: ${DEFAULT-VALUE}).")
    Path work;

    @Override
    public Integer call() throws Exception
    {
        final Mnist test = (data == null ? Mnist.sample() : Mnist.load(data, Mnist.Split.TEST));
        if (count < 1 || count > test.count())
        {
            throw new IllegalArgumentException("--count must be in [1, " + test.count() + "]");
        }
        Files.createDirectories(work);
        try (Arena arena = Arena.ofShared())
        {
            final ModelFile.SharedModel model = ModelFile.readShares(modelDir.resolve("P0.shares"), arena);
            final FixedPoint fp = new FixedPoint(model.fractionBits());
            model.spec().requireImages(test.rows(), test.cols(), data == null ? "the bundled sample" : data.toString());
            final int in = model.spec().input().size();
            final double[] pixels = FloatNetwork.images(model.spec(), test, 0, count);
            final MemorySegment s0 = arena.allocate(8L * pixels.length);
            final MemorySegment s1 = arena.allocate(8L * pixels.length);
            for (int i = 0; i < pixels.length; i++)
            {
                s1.setAtIndex(Ring.LONG, i, fp.encode(pixels[i]));
            }
            Shares.split(s1, s0, s1, pixels.length, SecretSplitter.fresh());
            final String net = model.spec().name();
            // P2 runs from the network alone: a built-in letter, or the public description of an imported network
            final String forP2 = net.length() == 1 ? net : Files.writeString(work.resolve(net + ".network"),
                model.spec().describe()).toString();
            InputShares.write(work.resolve("P0.input"), new InputShares(Role.P0, net, "input", count, in, s0));
            InputShares.write(work.resolve("P1.input"), new InputShares(Role.P1, net, "input", count, in, s1));
            final List<Process> parties = new ArrayList<>();
            for (final Role r : Role.values())
            {
                final List<String> args = new ArrayList<>(List.of("party", "--config", config.toString(), "--party", r.toString()));
                args.addAll(r.holdsShares()
                    ? List.of("--shares", modelDir.resolve(r + ".shares").toString(), "--input", work.resolve(r + ".input").toString(),
                        "--output", work.resolve(r + ".output").toString())
                    : List.of("--network", forP2));
                parties.add(new ProcessBuilder(SameJvm.command(Main.class, args)).redirectErrorStream(true).redirectOutput(work.resolve(r + ".log").toFile()).start());
            }
            System.out.printf("running P0, P1, P2 as three processes (logs in %s) ...%n", work);
            final long t0 = System.nanoTime();
            for (int i = 0; i < 3; i++)
            {
                final Process p = parties.get(i);
                if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0)
                {
                    parties.forEach(Process::destroyForcibly);
                    throw new IllegalStateException("P" + i + " failed; its log " + work.resolve("P" + i + ".log") + " ends with: "
                        + tail(work.resolve("P" + i + ".log")));
                }
            }
            final double seconds = (System.nanoTime() - t0) / 1e9;
            final InputShares y0 = InputShares.read(work.resolve("P0.output"), arena);
            final InputShares y1 = InputShares.read(work.resolve("P1.output"), arena);
            final int k = y0.width();
            final long[] logits = new long[count * k];
            for (int i = 0; i < logits.length; i++)
            {
                logits[i] = y0.data().getAtIndex(Ring.LONG, i) + y1.data().getAtIndex(Ring.LONG, i);
            }
            final int[] predicted = SecureInference.argmax(logits, count, k);
            int correct = 0;
            for (int i = 0; i < count; i++)
            {
                correct += predicted[i] == test.label(i) ? 1 : 0;
            }
            System.out.printf("%d of %d correct (%.2f%%) by secure inference of network %s in three processes (%.1f s including "
                + "their start)%n", correct, count, 100.0 * correct / count, net, seconds);
            for (final Role r : Role.values())
            {
                System.out.println("  " + tail(work.resolve(r + ".log")));
            }
        }
        return 0;
    }

    private static String tail(final Path log)
    {
        try
        {
            final List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "(empty)" : lines.get(lines.size() - 1);
        }
        catch (final java.io.IOException ex)
        {
            return "(unreadable: " + ex.getMessage() + ")";
        }
    }
}
