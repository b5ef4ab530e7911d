package securenn.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import securenn.nn.Model;
import securenn.nn.NetworkSpec;
import securenn.onnx.OnnxProto.Attribute;
import securenn.onnx.OnnxProto.Node;
import securenn.onnx.OnnxProto.Tensor;
import securenn.onnx.OnnxProto.ValueInfo;

/**
 * Writes a {@link Model} as an ONNX model (IR version 7, opset 13): input {@code input} of shape [batch, C, H, W] with
 * a free batch, output {@code logits} [batch, outputs]; conv → Conv, fc → (Flatten) Gemm with B = W (in × out, transB
 * 0), relu → Relu, maxpool → MaxPool with stride k. Weights are float32 (what ONNX runtimes compute in), so a round
 * trip gives each weight rounded to float. The network's input preprocessing is not an ONNX op here — as in PyTorch,
 * the exported graph takes normalised input — and is recorded in the metadata ({@link OnnxImporter#PREPROCESSING_KEY})
 * so that importing the file back restores it.
 */
public final class OnnxExporter
{
    public static final long IR_VERSION = 7;
    public static final long OPSET = 13;

    private OnnxExporter()
    {
    }

    public static void write(final Model model, final Path file) throws IOException
    {
        Files.write(file, OnnxWriter.write(toOnnx(model)));
    }

    public static OnnxProto.Model toOnnx(final Model model)
    {
        final NetworkSpec spec = model.spec();
        final List<Node> nodes = new ArrayList<>();
        final List<Tensor> weights = new ArrayList<>();
        String cur = "input";
        boolean flat = false;
        int p = 0;
        for (int l = 0; l < spec.layers().size(); l++)
        {
            final NetworkSpec.Layer layer = spec.layers().get(l);
            final String id = kind(layer) + (l + 1);
            final String out = l == spec.layers().size() - 1 ? "logits" : id;
            switch (layer)
            {
                case NetworkSpec.Conv c ->
                {
                    weights.add(Tensor.floats(id + ".weight", new long[]{c.out().channels(), c.in().channels(), c.kernel(),
                        c.kernel()}, model.params()[p++]));
                    weights.add(Tensor.floats(id + ".bias", new long[]{c.out().channels()}, model.params()[p++]));
                    nodes.add(node(id, "Conv", List.of(cur, id + ".weight", id + ".bias"), out,
                        Attribute.ofInts("kernel_shape", c.kernel(), c.kernel()), Attribute.ofInts("strides", c.stride(), c.stride()),
                        Attribute.ofInts("pads", c.padding(), c.padding(), c.padding(), c.padding())));
                }
                case NetworkSpec.Fc fc ->
                {
                    if (!flat)
                    {
                        nodes.add(node(id + ".flatten", "Flatten", List.of(cur), id + ".flat", Attribute.ofInt("axis", 1)));
                        cur = id + ".flat";
                        flat = true;
                    }
                    weights.add(Tensor.floats(id + ".weight", new long[]{fc.inputs(), fc.outputs()}, model.params()[p++]));
                    weights.add(Tensor.floats(id + ".bias", new long[]{fc.outputs()}, model.params()[p++]));
                    nodes.add(node(id, "Gemm", List.of(cur, id + ".weight", id + ".bias"), out));
                }
                case NetworkSpec.Relu r -> nodes.add(node(id, "Relu", List.of(cur), out));
                case NetworkSpec.MaxPool m -> nodes.add(node(id, "MaxPool", List.of(cur), out,
                    Attribute.ofInts("kernel_shape", m.kernel(), m.kernel()), Attribute.ofInts("strides", m.kernel(), m.kernel())));
            }
            cur = out;
        }
        final NetworkSpec.Shape in = spec.input();
        final ValueInfo input = new ValueInfo("input", OnnxProto.FLOAT, new long[]{-1, in.channels(), in.height(), in.width()},
            new String[]{"batch", null, null, null});
        final ValueInfo output = new ValueInfo("logits", OnnxProto.FLOAT, new long[]{-1, spec.output().size()},
            new String[]{"batch", null});
        final Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("securenn.network", spec.name());
        if (!spec.preprocessing().isPixels())
        {
            metadata.put(OnnxImporter.PREPROCESSING_KEY, spec.preprocessing().describe());
        }
        return new OnnxProto.Model(IR_VERSION, "securenn", List.of(new OnnxProto.OpsetId("", OPSET)),
            new OnnxProto.Graph(spec.name(), nodes, weights, List.of(input), List.of(output)), metadata);
    }

    private static String kind(final NetworkSpec.Layer layer)
    {
        return switch (layer)
        {
            case NetworkSpec.Conv c -> "conv";
            case NetworkSpec.Fc f -> "fc";
            case NetworkSpec.Relu r -> "relu";
            case NetworkSpec.MaxPool m -> "maxpool";
        };
    }

    private static Node node(final String name, final String op, final List<String> inputs, final String output,
        final Attribute... attributes)
    {
        final Map<String, Attribute> map = new LinkedHashMap<>();
        for (final Attribute a : attributes)
        {
            map.put(a.name(), a);
        }
        return new Node(name, op, "", inputs, List.of(output), map);
    }
}
