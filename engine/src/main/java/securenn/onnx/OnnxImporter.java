package securenn.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import securenn.nn.Model;
import securenn.nn.NetworkSpec;
import securenn.nn.Preprocessing;
import securenn.onnx.OnnxProto.Attribute;
import securenn.onnx.OnnxProto.Node;
import securenn.onnx.OnnxProto.Tensor;

/**
 * Maps an ONNX model onto a {@link NetworkSpec} and its {@link Model} parameters: walks the chain of nodes from the
 * graph's one input to its one output and turns each into our layers, converting weight layouts exactly.
 * <ul>
 *   <li>Conv (square kernel, equal strides and pads, dilation 1, group 1) → conv; its [out, in, k, k] weight is our
 *       layout already.</li>
 *   <li>Gemm (transA 0, any transB, alpha, beta) and MatMul (+ Add of a constant bias) → fc with W stored in × out.</li>
 *   <li>Relu → relu; MaxPool with a k×k window and stride k → maxpool.</li>
 *   <li>AveragePool (square window, any stride, no padding) and GlobalAveragePool (square input) → a conv with public
 *       weights 1/k² on the channel diagonal: a public division by the window size.</li>
 *   <li>Flatten (axis 1), and Reshape to [batch, rest] — with a constant target or one computed by Shape / Gather /
 *       Unsqueeze / Concat — are no layers: our fc flattens NCHW in the same order.</li>
 *   <li>BatchNormalization right after a conv or fc is folded into its weights and bias.</li>
 *   <li>Dropout and Identity are dropped (inference); a final Softmax or LogSoftmax is dropped: both are monotone per
 *       item, so the argmax is unchanged, and the network then outputs the logits before it (noted in the result).</li>
 * </ul>
 * Everything else is refused naming the op, the node and what is supported. The batch dimension of the file (PyTorch
 * writes its dummy input's batch) is ignored: the imported network takes any batch.
 */
public final class OnnxImporter
{
    /** The result: the model, and notes on what the import changed (dropped nodes, folded layers). */
    public record Imported(Model model, List<String> notes)
    {
    }

    /** Metadata key under which {@link OnnxExporter} records a network's input preprocessing (its input-line options). */
    public static final String PREPROCESSING_KEY = "securenn.preprocessing";

    static final Set<String> LAYER_OPS = Set.of("Conv", "Gemm", "MatMul", "Relu", "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization",
        "Flatten", "Reshape", "Dropout", "Identity", "Softmax", "LogSoftmax");
    static final Set<String> SHAPE_OPS = Set.of("Constant", "Shape", "Gather", "Unsqueeze", "Squeeze", "Cast", "Concat", "Add");
    private static final String SUPPORTED = "Conv, Gemm, MatMul (+ Add bias), Relu, MaxPool, AveragePool and GlobalAveragePool "
        + "(square windows, no padding), BatchNormalization (folded), "
        + "Flatten, Reshape (flatten only; Constant/Shape/Gather/Unsqueeze/Concat for its shape), Dropout, Identity, "
        + "final Softmax/LogSoftmax";

    private final OnnxGraph g;
    private final String file;
    private final List<String> lines = new ArrayList<>();
    private final List<double[]> params = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Current activation: channels, height, width, and whether it is flat (rank 2, after a flatten or fc). */
    private int c0;
    private int h0;
    private int w0;
    private int c;
    private int h;
    private int w;
    private boolean flat;
    private long fileBatch;
    /** True while the last layer is a conv or fc that a BatchNormalization may still fold into. */
    private boolean foldable;

    private OnnxImporter(final OnnxGraph g)
    {
        this.g = g;
        this.file = g.file;
    }

    /**
     * Imports {@code path} as network {@code name}. {@code preprocessing} null takes what the file records (a model
     * exported by us) or else pixel / 255.
     */
    public static Imported read(final Path path, final String name, final Preprocessing preprocessing) throws IOException
    {
        return map(OnnxReader.read(path), path.toString(), name, preprocessing);
    }

    public static Imported map(final OnnxProto.Model m, final String file, final String name, final Preprocessing preprocessing)
        throws IOException
    {
        checkOps(m.graph(), file);
        final OnnxImporter im = new OnnxImporter(new OnnxGraph(m.graph(), file));
        im.walk();
        final String pre = preprocessing != null ? preprocessing.describe() : m.metadata().getOrDefault(PREPROCESSING_KEY, "");
        final String text = "input " + im.inputLine() + pre + "\n" + String.join("\n", im.lines) + "\n";
        final NetworkSpec spec;
        try
        {
            spec = NetworkSpec.parse(name, text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(file + ": the imported network does not fit our layers: " + ex.getMessage(), ex);
        }
        return new Imported(new Model(spec, im.params.toArray(double[][]::new)), List.copyOf(im.notes));
    }

    private static void checkOps(final OnnxProto.Graph graph, final String file) throws IOException
    {
        for (final Node n : graph.nodes())
        {
            if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx"))
            {
                throw new IOException(file + ": " + n.describe() + " is from operator domain '" + n.domain()
                    + "'; only the standard ONNX operators are supported");
            }
            if (!LAYER_OPS.contains(n.opType()) && !SHAPE_OPS.contains(n.opType()))
            {
                throw new IOException(file + ": " + n.describe() + ": operator " + n.opType() + " is not supported; supported: "
                    + SUPPORTED);
            }
        }
    }

    private String inputLine()
    {
        return c0 + " " + h0 + " " + w0;
    }

    private void walk() throws IOException
    {
        input();
        String cur = g.input;
        while (!cur.equals(g.output))
        {
            final List<Node> users = g.dataConsumers(cur);
            if (users.size() != 1)
            {
                throw new IOException(file + ": value '" + cur + "' " + (users.isEmpty() ? "is used by no node and is not the "
                    + "graph output" : "feeds " + users.size() + " nodes " + users.stream().map(Node::describe).toList()
                    + "; only a chain of layers is supported (no branches)"));
            }
            final Node n = users.getFirst();
            final int data = n.inputs().indexOf(cur);
            if (data != 0)
            {
                throw new IOException(file + ": " + n.describe() + " takes the activation '" + cur + "' as input " + data
                    + "; supported are nodes whose first input is the activation");
            }
            cur = layer(n);
            g.shape(cur, flat ? new long[]{OnnxGraph.BATCH, (long)c * h * w} : new long[]{OnnxGraph.BATCH, c, h, w});
        }
        if (lines.isEmpty())
        {
            throw new IOException(file + ": the graph has no layer to import");
        }
    }

    /** Reads the data input's shape: [batch, C, H, W] or [batch, features]; every size but the batch must be fixed. */
    private void input() throws IOException
    {
        final OnnxProto.ValueInfo v = g.inputInfo;
        if (v.dims() == null || (v.dims().length != 4 && v.dims().length != 2))
        {
            throw new IOException(file + ": input '" + v.name() + "' has " + (v.dims() == null ? "no shape" : "rank "
                + v.dims().length) + "; supported are [batch, channels, height, width] and [batch, features]");
        }
        for (int d = 1; d < v.dims().length; d++)
        {
            if (v.dims()[d] <= 0)
            {
                throw new IOException(file + ": input '" + v.name() + "' dimension " + d + " is dynamic ("
                    + (v.params()[d] == null ? "no size" : "'" + v.params()[d] + "'") + "); only the batch dimension may "
                    + "vary; export with a fixed image size");
            }
        }
        fileBatch = v.dims()[0];
        flat = v.dims().length == 2;
        c = (int)v.dims()[1];
        h = flat ? 1 : (int)v.dims()[2];
        w = flat ? 1 : (int)v.dims()[3];
        c0 = c;
        h0 = h;
        w0 = w;
        g.shape(g.input, flat ? new long[]{OnnxGraph.BATCH, c} : new long[]{OnnxGraph.BATCH, c, h, w});
    }

    /** Maps node {@code n} (whose first input is the activation) and returns the value that carries the activation on. */
    private String layer(final Node n) throws IOException
    {
        final String out = n.outputs().getFirst();
        switch (n.opType())
        {
            case "Conv" -> conv(n);
            case "Gemm" -> gemm(n);
            case "MatMul" ->
            {
                return matMul(n);
            }
            case "Relu" ->
            {
                lines.add("relu");
                foldable = false;
            }
            case "MaxPool" -> maxPool(n);
            case "AveragePool" -> averagePool(n);
            case "GlobalAveragePool" -> globalAveragePool(n);
            case "BatchNormalization" -> batchNorm(n);
            case "Flatten" -> flatten(n);
            case "Reshape" -> reshape(n);
            case "Dropout", "Identity" ->
            {
                if (n.outputs().size() > 1 && g.isUsed(n.outputs().get(1)))
                {
                    throw new IOException(file + ": " + n.describe() + ": its mask output is used; only inference is supported");
                }
                notes.add("dropped " + n.describe() + " (no effect at inference)");
            }
            case "Softmax", "LogSoftmax" ->
            {
                if (!out.equals(g.output))
                {
                    throw new IOException(file + ": " + n.describe() + " is not the last node; " + n.opType()
                        + " is supported only as the network's final op (dropped: argmax is unchanged)");
                }
                notes.add("dropped the final " + n.describe() + ": the network outputs the logits before it; the argmax "
                    + "(the prediction) is unchanged since " + n.opType() + " is monotone per item");
            }
            default -> throw new IOException(file + ": " + n.describe() + ": operator " + n.opType() + " is not supported "
                + "on the network's data path; supported: " + SUPPORTED);
        }
        return out;
    }

    private void conv(final Node n) throws IOException
    {
        requireSpatial(n);
        final Tensor wt = g.constant(n, 1, "weight");
        if (wt.dims().length != 4 || wt.dims()[1] != c || wt.dims()[2] != wt.dims()[3])
        {
            throw new IOException(file + ": " + n.describe() + ": weight '" + wt.name() + "' has shape "
                + Arrays.toString(wt.dims()) + "; supported is [out, " + c + ", k, k] (square kernels, group 1)");
        }
        final int out = (int)wt.dims()[0];
        final int k = (int)wt.dims()[2];
        requireInts(n, "group", 1);
        requireInts(n, "dilations", 1);
        requireInts(n, "kernel_shape", k);
        final int stride = uniform(n, "strides", 1);
        final int pad = uniform(n, "pads", 0);
        requireExplicitPads(n, pad);
        if (h + 2 * pad < k || w + 2 * pad < k)
        {
            throw new IOException(file + ": " + n.describe() + ": a " + k + "×" + k + " kernel with pad " + pad + " does not fit "
                + c + "×" + h + "×" + w);
        }
        params.add(finite(wt, n));
        params.add(bias(n, 2, out));
        lines.add("conv " + out + " " + k + " stride " + stride + " pad " + pad);
        c = out;
        h = (h + 2 * pad - k) / stride + 1;
        w = (w + 2 * pad - k) / stride + 1;
        foldable = true;
    }

    private void gemm(final Node n) throws IOException
    {
        requireFlat(n);
        requireInts(n, "transA", 0);
        final boolean transB = intAttr(n, "transB", 0) == 1;
        final double alpha = floatAttr(n, "alpha", 1);
        final double beta = floatAttr(n, "beta", 1);
        final Tensor b = g.constant(n, 1, "weight B");
        final int in = c;
        if (b.dims().length != 2 || b.dims()[transB ? 1 : 0] != in)
        {
            throw new IOException(file + ": " + n.describe() + ": weight '" + b.name() + "' has shape " + Arrays.toString(b.dims())
                + " but the input has " + in + " features (transB " + (transB ? 1 : 0) + ")");
        }
        final int out = (int)b.dims()[transB ? 0 : 1];
        final double[] bw = finite(b, n);
        final double[] wt = new double[in * out];
        for (int i = 0; i < in; i++)
        {
            for (int o = 0; o < out; o++)
            {
                wt[i * out + o] = alpha * (transB ? bw[o * in + i] : bw[i * out + o]);
            }
        }
        final double[] bias = bias(n, 2, out);
        for (int o = 0; o < out; o++)
        {
            bias[o] *= beta;
        }
        fc(wt, bias, out);
    }

    /** MatMul by a constant [in, out], with the Add of a constant bias right after it folded in. */
    private String matMul(final Node n) throws IOException
    {
        requireFlat(n);
        final Tensor b = g.constant(n, 1, "weight B");
        if (b.dims().length != 2 || b.dims()[0] != c)
        {
            throw new IOException(file + ": " + n.describe() + ": weight '" + b.name() + "' has shape " + Arrays.toString(b.dims())
                + " but the input has " + c + " features (expected [" + c + ", outputs])");
        }
        final int out = (int)b.dims()[1];
        String result = n.outputs().getFirst();
        double[] bias = new double[out];
        final List<Node> next = g.dataConsumers(result);
        if (next.size() == 1 && next.getFirst().opType().equals("Add"))
        {
            final Node add = next.getFirst();
            final int other = add.inputs().indexOf(result) == 0 ? 1 : 0;
            final Tensor t = g.constant(add, other, "bias");
            if (t.count() != out && t.count() != 1)
            {
                throw new IOException(file + ": " + add.describe() + ": bias '" + t.name() + "' has " + t.count() + " values for "
                    + out + " outputs");
            }
            final double[] v = finite(t, add);
            bias = t.count() == 1 ? filled(out, v[0]) : v;
            result = add.outputs().getFirst();
        }
        fc(finite(b, n), bias, out);
        return result;
    }

    private void fc(final double[] wt, final double[] bias, final int out)
    {
        params.add(wt);
        params.add(bias);
        lines.add("fc " + out);
        c = out;
        h = 1;
        w = 1;
        flat = true;
        foldable = true;
    }

    private void maxPool(final Node n) throws IOException
    {
        requireSpatial(n);
        final int k = squareWindow(n);
        if (uniform(n, "strides", 1) != k || uniform(n, "pads", 0) != 0)
        {
            throw new IOException(file + ": " + n.describe() + ": supported is max pooling with stride equal to the window ("
                + k + ") and no padding");
        }
        requireInts(n, "dilations", 1);
        requireInts(n, "storage_order", 0);
        if (h % k != 0 || w % k != 0)
        {
            throw new IOException(file + ": " + n.describe() + ": " + k + "×" + k + " pooling does not divide " + c + "×" + h + "×" + w
                + " (our maxpool drops no border)");
        }
        if (n.outputs().size() > 1 && g.isUsed(n.outputs().get(1)))
        {
            throw new IOException(file + ": " + n.describe() + ": its Indices output is used (not supported)");
        }
        lines.add("maxpool " + k);
        h /= k;
        w /= k;
        foldable = false;
    }

    private void averagePool(final Node n) throws IOException
    {
        requireSpatial(n);
        final int k = squareWindow(n);
        final int stride = uniform(n, "strides", 1);
        if (uniform(n, "pads", 0) != 0)
        {
            throw new IOException(file + ": " + n.describe() + ": average pooling with padding is not supported (its border "
                + "windows divide by fewer elements); export without pads");
        }
        requireInts(n, "ceil_mode", 0);
        requireInts(n, "dilations", 1);
        requireExplicitPads(n, 0);
        if (h < k || w < k)
        {
            throw new IOException(file + ": " + n.describe() + ": a " + k + "×" + k + " window does not fit " + c + "×" + h + "×" + w);
        }
        averageAsConv(n, k, stride);
    }

    /** The k of a square k×k {@code kernel_shape}, or a failure naming the node. */
    private int squareWindow(final Node n) throws IOException
    {
        final Attribute ks = n.attribute("kernel_shape");
        if (ks == null || ks.ints().length != 2 || ks.ints()[0] != ks.ints()[1])
        {
            throw new IOException(file + ": " + n.describe() + ": kernel_shape " + (ks == null ? "missing" : Arrays.toString(ks.ints()))
                + "; supported are square k×k windows");
        }
        return (int)ks.ints()[0];
    }

    /** Refuses an auto_pad other than NOTSET, or VALID where the explicit pads are 0. */
    private void requireExplicitPads(final Node n, final int pad) throws IOException
    {
        final Attribute autoPad = n.attribute("auto_pad");
        if (autoPad != null && autoPad.s() != null && !autoPad.s().equals("NOTSET") && !(autoPad.s().equals("VALID") && pad == 0))
        {
            throw new IOException(file + ": " + n.describe() + ": auto_pad " + autoPad.s() + " is not supported "
                + "(export with explicit pads)");
        }
    }

    private void globalAveragePool(final Node n) throws IOException
    {
        requireSpatial(n);
        if (h != w)
        {
            throw new IOException(file + ": " + n.describe() + ": GlobalAveragePool of a non-square " + c + "×" + h + "×" + w
                + " input is not supported (square windows only)");
        }
        averageAsConv(n, h, 1);
    }

    /**
     * Average pooling as what it is, a linear map with public weights: a k×k conv whose weight is 1/k² from channel i
     * to channel i and 0 elsewhere, bias 0. In the ring that is a public division by the window size, the reciprocal
     * rounded to the model's fraction bits (exact for k a power of two).
     */
    private void averageAsConv(final Node n, final int k, final int stride)
    {
        final double[] weight = new double[c * c * k * k];
        for (int ch = 0; ch < c; ch++)
        {
            Arrays.fill(weight, (ch * c + ch) * k * k, (ch * c + ch + 1) * k * k, 1.0 / (k * k));
        }
        params.add(weight);
        params.add(new double[c]);
        lines.add("conv " + c + " " + k + " stride " + stride + " pad 0");
        notes.add(n.describe() + ": " + n.opType() + " " + k + "×" + k + " (stride " + stride + ") imported as a conv with "
            + "weights 1/" + (k * k) + " on the channel diagonal (a public division by the window size, in fixed point)");
        h = (h - k) / stride + 1;
        w = (w - k) / stride + 1;
        foldable = true;
    }

    /** Folds y = γ (x − μ) / √(σ² + ε) + β into the conv or fc just before it. */
    private void batchNorm(final Node n) throws IOException
    {
        if (!foldable)
        {
            throw new IOException(file + ": " + n.describe() + ": BatchNormalization is supported only right after a Conv, Gemm "
                + "or MatMul, where it is folded into their weights");
        }
        if (intAttr(n, "training_mode", 0) != 0 || n.outputs().stream().skip(1).anyMatch(g::isUsed))
        {
            throw new IOException(file + ": " + n.describe() + ": training mode is not supported");
        }
        final double eps = floatAttr(n, "epsilon", 1e-5);
        final double[][] t = new double[4][];
        final String[] roles = {"scale", "B", "mean", "var"};
        for (int k = 0; k < 4; k++)
        {
            final Tensor x = g.constant(n, k + 1, roles[k]);
            if (x.count() != c)
            {
                throw new IOException(file + ": " + n.describe() + ": " + roles[k] + " '" + x.name() + "' has " + x.count()
                    + " values for " + c + " channels");
            }
            t[k] = finite(x, n);
        }
        final double[] wt = params.get(params.size() - 2);
        final double[] bias = params.getLast();
        final boolean conv = lines.getLast().startsWith("conv");
        final int per = wt.length / c;
        for (int o = 0; o < c; o++)
        {
            final double s = t[0][o] / Math.sqrt(t[3][o] + eps);
            for (int i = 0; i < per; i++)
            {
                wt[conv ? o * per + i : i * c + o] *= s;
            }
            bias[o] = (bias[o] - t[2][o]) * s + t[1][o];
        }
        notes.add("folded " + n.describe() + " into the " + lines.getLast().split(" ")[0] + " before it");
    }

    private void flatten(final Node n) throws IOException
    {
        if (intAttr(n, "axis", 1) != 1)
        {
            throw new IOException(file + ": " + n.describe() + ": Flatten with axis " + intAttr(n, "axis", 1)
                + " is not supported (only axis 1: batch × features)");
        }
        toFlat();
    }

    private void reshape(final Node n) throws IOException
    {
        final long[] target = g.ints(n.inputs().get(1), n);
        final long size = (long)c * h * w;
        final boolean batchFirst = target.length == 2 && (target[0] == OnnxGraph.BATCH || target[0] == 0
            || (target[0] == fileBatch && fileBatch > 0) || (target[0] == -1 && target[1] == size));
        if (!batchFirst || (target[1] != -1 && target[1] != size))
        {
            throw new IOException(file + ": " + n.describe() + ": reshape to " + describe(target) + " of " + c + "×" + h + "×" + w
                + " is not a flatten to [batch, " + size + "] (only flattening reshapes are supported)");
        }
        if (target[0] == fileBatch && fileBatch > 0 && target[0] != OnnxGraph.BATCH)
        {
            notes.add(n.describe() + " names the file's batch size " + fileBatch + "; imported as a flatten of any batch");
        }
        toFlat();
    }

    private void toFlat()
    {
        c = c * h * w;
        h = 1;
        w = 1;
        flat = true;
        foldable = false;
    }

    private static String describe(final long[] dims)
    {
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(dims[i] == OnnxGraph.BATCH ? "batch" : String.valueOf(dims[i]));
        }
        return sb.append(']').toString();
    }

    // --- checks and attribute helpers

    private void requireSpatial(final Node n) throws IOException
    {
        if (flat)
        {
            throw new IOException(file + ": " + n.describe() + " on a flat value (batch × " + c + "); it needs batch × C × H × W");
        }
    }

    private void requireFlat(final Node n) throws IOException
    {
        if (!flat)
        {
            throw new IOException(file + ": " + n.describe() + " on a " + c + "×" + h + "×" + w + " value; it needs a Flatten "
                + "(batch × features) first");
        }
    }

    private double[] bias(final Node n, final int index, final int out) throws IOException
    {
        if (index >= n.inputs().size() || n.inputs().get(index).isEmpty())
        {
            return new double[out];
        }
        final Tensor t = g.constant(n, index, "bias");
        if (t.count() != out && t.count() != 1)
        {
            throw new IOException(file + ": " + n.describe() + ": bias '" + t.name() + "' has " + t.count() + " values for "
                + out + " outputs");
        }
        final double[] v = finite(t, n);
        return t.count() == 1 ? filled(out, v[0]) : v;
    }

    private static double[] filled(final int n, final double v)
    {
        final double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    /** The tensor's values (a copy); fails naming tensor, element and node for a NaN, an infinity or integer data. */
    private double[] finite(final Tensor t, final Node n) throws IOException
    {
        if (t.values() == null)
        {
            throw new IOException(file + ": " + n.describe() + ": tensor '" + t.name() + "' holds integers, not weights");
        }
        for (int i = 0; i < t.values().length; i++)
        {
            if (!Double.isFinite(t.values()[i]))
            {
                throw new IOException(file + ": tensor '" + t.name() + "' (used by " + n.describe() + ") element " + i + " is "
                    + t.values()[i] + "; a model holds finite values only");
            }
        }
        return t.values().clone();
    }

    private long intAttr(final Node n, final String key, final long otherwise)
    {
        final Attribute a = n.attribute(key);
        return a == null ? otherwise : a.i();
    }

    private double floatAttr(final Node n, final String key, final double otherwise)
    {
        final Attribute a = n.attribute(key);
        return a == null ? otherwise : a.f();
    }

    /** Fails unless the int or ints attribute {@code key} is absent or every value is {@code expected}. */
    private void requireInts(final Node n, final String key, final long expected) throws IOException
    {
        final Attribute a = n.attribute(key);
        if (a == null)
        {
            return;
        }
        final long[] v = a.type() == OnnxProto.ATTR_INTS ? a.ints() : new long[]{a.i()};
        for (final long x : v)
        {
            if (x != expected)
            {
                throw new IOException(file + ": " + n.describe() + ": " + key + " " + Arrays.toString(v) + " is not supported ("
                    + "only " + expected + ")");
            }
        }
    }

    /** The one value all entries of ints attribute {@code key} share (default when absent), or a failure. */
    private int uniform(final Node n, final String key, final int otherwise) throws IOException
    {
        final Attribute a = n.attribute(key);
        if (a == null || a.ints().length == 0)
        {
            return otherwise;
        }
        for (final long x : a.ints())
        {
            if (x != a.ints()[0])
            {
                throw new IOException(file + ": " + n.describe() + ": " + key + " " + Arrays.toString(a.ints())
                    + " differ; supported are equal values in every direction");
            }
        }
        return (int)a.ints()[0];
    }
}
