package securenn.onnx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import securenn.onnx.OnnxProto.Node;
import securenn.onnx.OnnxProto.Tensor;
import securenn.onnx.OnnxProto.ValueInfo;

/**
 * An ONNX graph indexed for walking: who produces and who consumes each value, which values are constants
 * (initializers and the outputs of Constant nodes), the one data input and the one output. It also evaluates the small
 * integer computations exporters emit for a reshape's target shape ({@code Shape → Gather → Unsqueeze → Concat}, as
 * PyTorch does for {@code x.view(x.size(0), -1)}), given the shapes of the values the walk has reached.
 */
final class OnnxGraph
{
    /** Stands for the batch dimension in a shape: whatever the file says, the batch stays free. */
    static final long BATCH = Long.MIN_VALUE;

    final String file;
    final String input;
    final ValueInfo inputInfo;
    final String output;
    private final Map<String, Tensor> constants = new HashMap<>();
    private final Map<String, Node> producers = new HashMap<>();
    private final Map<String, List<Node>> consumers = new HashMap<>();
    private final Map<String, long[]> shapes = new HashMap<>();

    OnnxGraph(final OnnxProto.Graph g, final String file) throws IOException
    {
        this.file = file;
        for (final Tensor t : g.initializers())
        {
            constants.put(t.name(), t);
        }
        for (final Node n : g.nodes())
        {
            if (n.opType().equals("Constant"))
            {
                final OnnxProto.Attribute value = n.attribute("value");
                if (value == null || value.t() == null || n.outputs().size() != 1)
                {
                    throw new IOException(file + ": " + n.describe() + " has no tensor 'value' attribute "
                        + "(only Constant nodes holding a tensor are supported)");
                }
                constants.put(n.outputs().getFirst(), value.t());
            }
            for (final String o : n.outputs())
            {
                producers.put(o, n);
            }
            for (final String i : new HashSet<>(n.inputs()))
            {
                consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
            }
        }
        final List<ValueInfo> data = new ArrayList<>();
        for (final ValueInfo v : g.inputs())
        {
            if (!constants.containsKey(v.name()))
            {
                data.add(v);
            }
        }
        if (data.size() != 1)
        {
            throw new IOException(file + ": the graph has " + data.size() + " data inputs " + names(data)
                + "; an imported network takes exactly one (the image batch)");
        }
        if (g.outputs().size() != 1)
        {
            throw new IOException(file + ": the graph has " + g.outputs().size() + " outputs " + names(g.outputs())
                + "; an imported network has exactly one (the logits)");
        }
        inputInfo = data.getFirst();
        input = inputInfo.name();
        output = g.outputs().getFirst().name();
    }

    private static String names(final List<ValueInfo> values)
    {
        return values.stream().map(ValueInfo::name).toList().toString();
    }

    boolean isConstant(final String value)
    {
        return constants.containsKey(value);
    }

    /** The constant tensor at input {@code index} of node {@code n}, or a failure naming both. */
    Tensor constant(final Node n, final int index, final String role) throws IOException
    {
        if (index >= n.inputs().size() || n.inputs().get(index).isEmpty())
        {
            throw new IOException(file + ": " + n.describe() + " has no " + role + " (input " + index + ")");
        }
        final Tensor t = constants.get(n.inputs().get(index));
        if (t == null)
        {
            throw new IOException(file + ": " + n.describe() + ": its " + role + " '" + n.inputs().get(index)
                + "' is computed in the graph; only weights stored in the file (initializers, Constant nodes) are supported");
        }
        return t;
    }

    /** The nodes reading {@code value} that carry data on; Shape nodes (which read only its shape) are left out. */
    List<Node> dataConsumers(final String value)
    {
        return consumers.getOrDefault(value, List.of()).stream().filter(n -> !n.opType().equals("Shape")).toList();
    }

    boolean isUsed(final String value)
    {
        return consumers.containsKey(value) || value.equals(output);
    }

    void shape(final String value, final long... dims)
    {
        shapes.put(value, dims);
    }

    /**
     * Evaluates an integer value from constants and the shape computations that lead to it; the batch dimension stays
     * {@link #BATCH}. Fails naming the node that computes something else.
     */
    long[] ints(final String value, final Node user) throws IOException
    {
        return ints(value, user, new HashSet<>());
    }

    private long[] ints(final String value, final Node user, final Set<String> seen) throws IOException
    {
        final Tensor t = constants.get(value);
        if (t != null)
        {
            if (t.longs() == null)
            {
                throw new IOException(file + ": " + user.describe() + ": '" + value + "' holds floats where integers are expected");
            }
            return t.longs();
        }
        final Node n = producers.get(value);
        if (n == null || !seen.add(value))
        {
            throw new IOException(file + ": " + user.describe() + ": cannot evaluate '" + value + "' (no constant, no producer)");
        }
        return switch (n.opType())
        {
            case "Shape" -> shapeOf(n);
            case "Gather" -> gather(n, ints(n.inputs().get(0), n, seen), ints(n.inputs().get(1), n, seen));
            case "Unsqueeze", "Squeeze", "Cast", "Identity" -> ints(n.inputs().getFirst(), n, seen);
            case "Concat" ->
            {
                long[] all = new long[0];
                for (final String i : n.inputs())
                {
                    final long[] part = ints(i, n, seen);
                    final long[] joined = Arrays.copyOf(all, all.length + part.length);
                    System.arraycopy(part, 0, joined, all.length, part.length);
                    all = joined;
                }
                yield all;
            }
            default -> throw new IOException(file + ": " + user.describe() + ": '" + value + "' is computed by " + n.describe()
                + ", which is not part of a supported shape computation (Constant, Shape, Gather, Unsqueeze, Squeeze, Cast, Concat)");
        };
    }

    private long[] shapeOf(final Node n) throws IOException
    {
        final long[] dims = shapes.get(n.inputs().getFirst());
        if (dims == null)
        {
            throw new IOException(file + ": " + n.describe() + " reads the shape of '" + n.inputs().getFirst()
                + "', which is not on the network's path from its input");
        }
        final OnnxProto.Attribute start = n.attribute("start");
        final OnnxProto.Attribute end = n.attribute("end");
        final int from = clamp(start == null ? 0 : start.i(), dims.length);
        final int to = clamp(end == null ? dims.length : end.i(), dims.length);
        return Arrays.copyOfRange(dims, from, Math.max(from, to));
    }

    private static int clamp(final long axis, final int rank)
    {
        return (int)Math.max(0, Math.min(rank, axis < 0 ? axis + rank : axis));
    }

    private long[] gather(final Node n, final long[] data, final long[] indices) throws IOException
    {
        final OnnxProto.Attribute axis = n.attribute("axis");
        if (axis != null && axis.i() != 0)
        {
            throw new IOException(file + ": " + n.describe() + " gathers along axis " + axis.i() + " of a shape (only 0 is)");
        }
        final long[] out = new long[indices.length];
        for (int k = 0; k < out.length; k++)
        {
            final long i = indices[k] < 0 ? indices[k] + data.length : indices[k];
            if (i < 0 || i >= data.length)
            {
                throw new IOException(file + ": " + n.describe() + ": index " + indices[k] + " outside a shape of " + data.length);
            }
            out[k] = data[(int)i];
        }
        return out;
    }
}
