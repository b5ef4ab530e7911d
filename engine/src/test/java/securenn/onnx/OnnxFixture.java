package securenn.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import securenn.onnx.OnnxProto.Attribute;
import securenn.onnx.OnnxProto.Node;
import securenn.onnx.OnnxProto.Tensor;
import securenn.onnx.OnnxProto.ValueInfo;

/**
 * A test-only builder of small ONNX graphs with the ops our exporter never writes (BatchNormalization, Dropout,
 * Softmax, MatMul + Add, the Shape/Gather/Concat reshape PyTorch emits), written by {@link OnnxWriter}.
 */
final class OnnxFixture
{
    private final List<Node> nodes = new ArrayList<>();
    private final List<Tensor> initializers = new ArrayList<>();
    private final SplittableRandom rnd;
    private ValueInfo input;
    private int counter;

    OnnxFixture(final long seed)
    {
        rnd = new SplittableRandom(seed);
    }

    /** The data input "x" with these dims; a null entry of {@code params} leaves that dimension fixed. */
    String input(final long[] dims, final String... params)
    {
        input = new ValueInfo("x", OnnxProto.FLOAT, dims, params.length == 0 ? new String[dims.length] : params);
        return "x";
    }

    String weights(final String name, final long... dims)
    {
        long n = 1;
        for (final long d : dims)
        {
            n *= d;
        }
        final double[] v = new double[(int)n];
        for (int i = 0; i < v.length; i++)
        {
            v[i] = rnd.nextDouble(-0.5, 0.5);
        }
        return constant(Tensor.floats(name, dims, v));
    }

    String constant(final Tensor t)
    {
        initializers.add(t);
        return t.name();
    }

    String ints(final String name, final long... values)
    {
        return constant(Tensor.int64s(name, new long[]{values.length}, values));
    }

    /** A Constant node holding {@code t}; returns its output. */
    String constantNode(final Tensor t)
    {
        return node("Constant", List.of(), Attribute.ofTensor("value", t));
    }

    /** Adds a node named after its op and a counter; returns its (first) output. */
    String node(final String op, final List<String> inputs, final Attribute... attributes)
    {
        return node(op, op.toLowerCase() + "_" + (++counter), inputs, attributes);
    }

    String node(final String op, final String name, final List<String> inputs, final Attribute... attributes)
    {
        final Map<String, Attribute> map = new LinkedHashMap<>();
        for (final Attribute a : attributes)
        {
            map.put(a.name(), a);
        }
        final String out = name + "_out";
        nodes.add(new Node(name, op, "", inputs, List.of(out), map));
        return out;
    }

    String batchNorm(final String x, final int channels)
    {
        final String id = "bn" + (++counter);
        final double[] var = new double[channels];
        for (int i = 0; i < channels; i++)
        {
            var[i] = rnd.nextDouble(0.2, 2);
        }
        return node("BatchNormalization", List.of(x, weights(id + ".scale", channels), weights(id + ".bias", channels),
            weights(id + ".mean", channels), constant(Tensor.floats(id + ".var", new long[]{channels}, var))),
            Attribute.ofFloat("epsilon", 1e-5));
    }

    /** The model with {@code output} as its one graph output, of {@code outputs} values per item. */
    OnnxProto.Model model(final String output, final int outputs)
    {
        final ValueInfo out = new ValueInfo(output, OnnxProto.FLOAT, new long[]{-1, outputs}, new String[]{"batch", null});
        return new OnnxProto.Model(8, "securenn test fixture", List.of(new OnnxProto.OpsetId("", 13)),
            new OnnxProto.Graph("fixture", List.copyOf(nodes), List.copyOf(initializers), List.of(input), List.of(out)), Map.of());
    }

    Path write(final Path file, final String output, final int outputs) throws IOException
    {
        Files.write(file, OnnxWriter.write(model(output, outputs)));
        return file;
    }
}
