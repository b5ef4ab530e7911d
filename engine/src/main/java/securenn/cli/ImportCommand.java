package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.data.Mnist;
import securenn.kernels.Kernels;
import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.PlainRingBackend;
import securenn.nn.Preprocessing;
import securenn.nn.RingNetwork;
import securenn.nn.SecureInference;
import securenn.onnx.OnnxImporter;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Bring your own model: an ONNX file (PyTorch, Keras via tf2onnx, …) as a plaintext securenn model file. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {"Imports an ONNX model (--onnx) as a plaintext model file (--out, SECURENN-MODEL), to split with "
        + "`securenn share`.",
        "Supported: Conv (square kernel, equal strides and pads, dilation 1, group 1), Gemm, MatMul + Add, Relu, MaxPool "
        + "(stride = window), Flatten and flattening Reshape (also PyTorch's Shape/Gather/Concat pattern), "
        + "BatchNormalization after a conv or fc (folded into it). Dropout and Identity are dropped, and so is a final "
        + "Softmax/LogSoftmax (the network then outputs logits; the argmax is unchanged). Any other op (AveragePool and "
        + "GlobalAveragePool too, for now) is refused naming the op and the node. The file's batch size does not bind ours.",
        "Input preprocessing is part of the model: x = (pixel * scale - mean) / std per channel, pixel 0-255 (PyTorch's "
        + "ToTensor + Normalize(mean, std) is --mean M --std D with the default scale). It is recorded in the model file. "
        + "Without --input-scale, --mean and --std: what the ONNX file records (files exported by securenn), else pixel/255.",
        ""})
final class ImportCommand implements Callable<Integer>
{
    @Option(names = "--onnx", required = true, description = "The ONNX model file.")
    Path onnx;

    @Option(names = "--out", required = true, description = "The plaintext model file to write.")
    Path out;

    @Option(names = "--name", description = "Network name recorded in the model (default: the ONNX file's name).")
    String name;

    @Option(names = "--input-scale", paramLabel = "S", description = "Factor from pixel bytes (0–255) to input, e.g. 1/255 "
        + "(the default) or 1.")
    String inputScale;

    @Option(names = "--mean", split = ",", paramLabel = "M", description = "Mean subtracted after scaling, one value or one "
        + "per channel (comma-separated; default 0).")
    double[] mean;

    @Option(names = "--std", split = ",", paramLabel = "D", description = "Divisor after the mean, one value or one per "
        + "channel (default 1).")
    double[] std;

    @Option(names = "--data", description = "Optional MNIST directory: report the imported model's float and fixed-point "
        + "accuracy on its test split (checks that its input fits the images).")
    Path data;

    @Option(names = "--count", defaultValue = "10000", description = "With --data: test images (default: ${DEFAULT-VALUE}).")
    int count;

    @Override
    public Integer call() throws Exception
    {
        final String network = name != null ? name : onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
        final OnnxImporter.Imported im = OnnxImporter.read(onnx, network, preprocessing());
        final Model model = im.model();
        ModelFile.write(out, model);
        final java.nio.file.Path description = out.toAbsolutePath().resolveSibling(network + ".network");
        java.nio.file.Files.writeString(description, model.spec().describe());
        System.out.printf("imported %s as network %s (%d parameter tensors) into %s:%n%s", onnx, network,
            model.params().length, out, model.spec().describe().indent(2));
        System.out.printf("network description (public, no weights; P2's --network for serve and party): %s%n", description);
        im.notes().forEach(n -> System.out.println("note: " + n));
        if (data != null)
        {
            final Mnist test = Mnist.load(data, Mnist.Split.TEST).head(count);
            model.spec().requireImages(test.rows(), test.cols(), data.toString());
            System.out.printf("on %d test images of %s: float twin %.2f%%, fixed-point twin (%d fraction bits) %.2f%%%n",
                test.count(), data, 100 * FloatNetwork.accuracy(model, test), FixedPoint.DEFAULT.fractionBits(),
                100 * ringAccuracy(model, test, FixedPoint.DEFAULT));
        }
        return 0;
    }

    private Preprocessing preprocessing()
    {
        if (inputScale == null && mean == null && std == null)
        {
            return null;
        }
        final double scale = inputScale == null ? Preprocessing.PIXELS.scale() : number(inputScale);
        final double[] m = mean != null ? mean : new double[std != null ? std.length : 1];
        final double[] s = std != null ? std : ones(m.length);
        return new Preprocessing(scale, m.length == 1 && s.length > 1 ? fill(m[0], s.length) : m,
            s.length == 1 && m.length > 1 ? fill(s[0], m.length) : s);
    }

    /** A decimal or a fraction a/b. */
    private static double number(final String text)
    {
        final String[] f = text.split("/");
        try
        {
            return f.length == 2 ? Double.parseDouble(f[0]) / Double.parseDouble(f[1]) : Double.parseDouble(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--input-scale '" + text + "' is not a number or a fraction a/b", ex);
        }
    }

    private static double[] ones(final int n)
    {
        return fill(1, n);
    }

    private static double[] fill(final double v, final int n)
    {
        final double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** Accuracy of the plaintext fixed-point twin (the ring arithmetic of secure inference, without the protocols). */
    static double ringAccuracy(final Model model, final Mnist test, final FixedPoint fp)
    {
        final int k = model.spec().output().size();
        final PlainRingBackend backend = new PlainRingBackend(Kernels.best());
        int correct = 0;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment[] params = model.fixedPoint(fp, arena);
            for (int from = 0; from < test.count(); from += 100)
            {
                final int n = Math.min(100, test.count() - from);
                try (Arena batch = Arena.ofConfined())
                {
                    final double[] x = FloatNetwork.images(model.spec(), test, from, n);
                    final MemorySegment in = batch.allocate(x.length * 8L, 64);
                    for (int i = 0; i < x.length; i++)
                    {
                        in.setAtIndex(Ring.LONG, i, fp.encode(x[i]));
                    }
                    final MemorySegment y = batch.allocate((long)n * k * 8, 64);
                    RingNetwork.forward(backend, model.spec(), params, in, y, n, fp.fractionBits());
                    final int[] predicted = SecureInference.argmax(y.toArray(Ring.LONG), n, k);
                    for (int s = 0; s < n; s++)
                    {
                        correct += predicted[s] == test.label(from + s) ? 1 : 0;
                    }
                }
            }
        }
        return (double)correct / test.count();
    }
}
