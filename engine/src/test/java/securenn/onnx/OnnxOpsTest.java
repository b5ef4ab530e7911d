package securenn.onnx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.NetworkSpec;
import securenn.onnx.OnnxProto.Attribute;
import securenn.onnx.OnnxProto.Tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each supported ONNX pattern, built as a small fixture and checked against ONNX Runtime, and each refusal with the
 * file, node or tensor it names.
 */
class OnnxOpsTest
{
    static final int BATCH = 10;

    @TempDir
    Path dir;

    /**
     * What PyTorch writes for conv → BatchNorm2d → relu → maxpool → x.view(x.size(0), -1) → Linear (as MatMul + Add) →
     * Dropout → relu → Linear (Gemm, transB 1, alpha and beta) [→ Softmax], with a fixed batch of 10.
     */
    private String pytorchLike(final OnnxFixture f, final boolean softmax)
    {
        String x = f.input(new long[]{BATCH, 2, 8, 8});
        x = f.node("Conv", List.of(x, f.weights("conv.weight", 4, 2, 3, 3), f.weights("conv.bias", 4)),
            Attribute.ofInts("kernel_shape", 3, 3), Attribute.ofInts("pads", 1, 1, 1, 1), Attribute.ofInts("strides", 1, 1),
            Attribute.ofInts("dilations", 1, 1), Attribute.ofInt("group", 1));
        x = f.batchNorm(x, 4);
        x = f.node("Relu", List.of(x));
        x = f.node("MaxPool", List.of(x), Attribute.ofInts("kernel_shape", 2, 2), Attribute.ofInts("strides", 2, 2));
        final String shape = f.node("Shape", List.of(x));
        final String n = f.node("Gather", List.of(shape, f.constantNode(Tensor.int64s("zero", new long[0], new long[]{0}))),
            Attribute.ofInt("axis", 0));
        final String n1 = f.node("Unsqueeze", List.of(n, f.ints("axes", 0)));
        final String target = f.node("Concat", List.of(n1, f.ints("minus_one", -1)), Attribute.ofInt("axis", 0));
        x = f.node("Reshape", List.of(x, target));
        x = f.node("MatMul", List.of(x, f.weights("fc1.weight_t", 64, 6)));
        x = f.node("Add", List.of(x, f.weights("fc1.bias", 6)));
        x = f.node("Dropout", List.of(x));
        x = f.node("Relu", List.of(x));
        x = f.node("Gemm", List.of(x, f.weights("fc2.weight", 3, 6), f.weights("fc2.bias", 3)), Attribute.ofInt("transB", 1),
            Attribute.ofFloat("alpha", 0.5), Attribute.ofFloat("beta", 2));
        return softmax ? f.node("Softmax", List.of(x), Attribute.ofInt("axis", 1)) : x;
    }

    private static double[] inputs(final int n, final int size)
    {
        final SplittableRandom rnd = new SplittableRandom(5);
        final double[] x = new double[n * size];
        for (int i = 0; i < x.length; i++)
        {
            x[i] = rnd.nextDouble(-1, 2);
        }
        return x;
    }

    @Test
    void shouldImportThePyTorchPatternsAndAgreeWithOnnxRuntime() throws Exception
    {
        final OnnxFixture f = new OnnxFixture(1);
        final Path file = f.write(dir.resolve("pytorch-like.onnx"), pytorchLike(f, false), 3);
        final OnnxImporter.Imported im = OnnxImporter.read(file, "T", null);
        assertThat(im.model().spec().describe()).isEqualTo("input 2 8 8\nconv 4 3 stride 1 pad 1\nrelu\nmaxpool 2\nfc 6\nrelu\nfc 3\n");
        assertThat(String.join("\n", im.notes())).contains("folded node 'batchnormalization_", "dropped node 'dropout_");
        final double[] x = inputs(BATCH, 2 * 8 * 8);
        final double[] ort = Ort.run(file, x, BATCH, 2, 8, 8);
        final double[] twin = FloatNetwork.forward(im.model(), x, BATCH);
        assertThat(Ort.maxRelative(twin, ort, 3)).isLessThan(1e-4);

        // the file's batch of 10 does not bind ours
        final double[] three = FloatNetwork.forward(im.model(), Arrays.copyOf(x, 3 * 128), 3);
        assertThat(three).containsExactly(Arrays.copyOf(twin, 9));
    }

    @Test
    void shouldDropAFinalSoftmaxKeepingTheArgmax() throws Exception
    {
        final OnnxFixture f = new OnnxFixture(1);
        final Path file = f.write(dir.resolve("softmax.onnx"), pytorchLike(f, true), 3);
        final OnnxImporter.Imported im = OnnxImporter.read(file, "T", null);
        assertThat(String.join("\n", im.notes())).contains("dropped the final node 'softmax_", "argmax");
        final double[] x = inputs(BATCH, 128);
        final double[] probabilities = Ort.run(file, x, BATCH, 2, 8, 8);
        assertThat(FloatNetwork.argmax(FloatNetwork.forward(im.model(), x, BATCH), BATCH, 3))
            .containsExactly(FloatNetwork.argmax(probabilities, BATCH, 3));
    }

    @Test
    void shouldImportFlattenGemmWithBatchNormAndAConstantReshape() throws Exception
    {
        final OnnxFixture f = new OnnxFixture(2);
        String x = f.input(new long[]{-1, 1, 6, 6}, "N", null, null, null);
        x = f.node("Conv", List.of(x, f.weights("c.w", 3, 1, 3, 3)), Attribute.ofInts("strides", 1, 1));
        x = f.node("Relu", List.of(x));
        x = f.node("Reshape", List.of(x, f.constantNode(Tensor.int64s("shape", new long[]{2}, new long[]{-1, 48}))));
        x = f.node("Gemm", List.of(x, f.weights("g.w", 48, 5), f.weights("g.b", 5)));
        x = f.batchNorm(x, 5);
        x = f.node("Identity", List.of(x));
        x = f.node("Flatten", List.of(x), Attribute.ofInt("axis", 1));
        x = f.node("Gemm", List.of(x, f.weights("h.w", 5, 2)));
        final Path file = f.write(dir.resolve("gemm.onnx"), x, 2);
        final Model m = OnnxImporter.read(file, "G", null).model();
        assertThat(m.spec().describe()).isEqualTo("input 1 6 6\nconv 3 3 stride 1 pad 0\nrelu\nfc 5\nfc 2\n");
        final double[] in = inputs(4, 36);
        assertThat(Ort.maxRelative(FloatNetwork.forward(m, in, 4), Ort.run(file, in, 4, 1, 6, 6), 2)).isLessThan(1e-4);
    }

    private Path convThen(final String op, final String nodeName, final Attribute... attributes) throws IOException
    {
        final OnnxFixture f = new OnnxFixture(3);
        String x = f.input(new long[]{1, 1, 8, 8});
        x = f.node("Conv", List.of(x, f.weights("c.w", 2, 1, 3, 3)));
        x = f.node(op, nodeName, List.of(x), attributes);
        x = f.node("Flatten", List.of(x));
        return f.write(dir.resolve(op + ".onnx"), x, 2);
    }

    @Test
    void shouldRefuseAnUnsupportedOpNamingItsNodeAndWhatIsSupported() throws Exception
    {
        final Path file = convThen("Sigmoid", "act1");
        assertThatThrownBy(() -> OnnxImporter.read(file, "T", null)).isInstanceOf(IOException.class)
            .hasMessageContaining(file.toString()).hasMessageContaining("node 'act1' (Sigmoid)")
            .hasMessageContaining("operator Sigmoid is not supported").hasMessageContaining("supported: Conv, Gemm");
    }

    /** conv 3×3 (2 → 3 channels, 8×8 → 6×6) → relu → the pooling node → Flatten [→ Gemm to 4], batch free. */
    private Path convReluPool(final String op, final boolean fc, final int width, final Attribute... attributes) throws IOException
    {
        final OnnxFixture f = new OnnxFixture(6);
        String x = f.input(new long[]{-1, 2, 8, 8}, "N", null, null, null);
        x = f.node("Conv", List.of(x, f.weights("c.w", 3, 2, 3, 3), f.weights("c.b", 3)));
        x = f.node("Relu", List.of(x));
        x = f.node(op, "pool", List.of(x), attributes);
        x = f.node("Flatten", List.of(x));
        if (fc)
        {
            x = f.node("Gemm", List.of(x, f.weights("g.w", 4, 3), f.weights("g.b", 4)), Attribute.ofInt("transB", 1));
        }
        return f.write(dir.resolve(op + ".onnx"), x, fc ? 4 : width);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void shouldImportAveragePoolingAsAPublicDivisionAndAgreeWithOnnxRuntime(final int k) throws Exception
    {
        final int stride = k == 2 ? 2 : 1;
        final int out = 3 * ((6 - k) / stride + 1) * ((6 - k) / stride + 1);
        final Path file = convReluPool("AveragePool", false, out, Attribute.ofInts("kernel_shape", k, k),
            Attribute.ofInts("strides", stride, stride));
        final OnnxImporter.Imported im = OnnxImporter.read(file, "T", null);
        assertThat(im.model().spec().describe()).isEqualTo("input 2 8 8\nconv 3 3 stride 1 pad 0\nrelu\nconv 3 " + k
            + " stride " + stride + " pad 0\n");
        assertThat(String.join("\n", im.notes())).contains("node 'pool' (AveragePool)", "weights 1/" + (k * k));
        final double[] x = inputs(4, 128);
        assertThat(Ort.maxRelative(FloatNetwork.forward(im.model(), x, 4), Ort.run(file, x, 4, 2, 8, 8), out)).isLessThan(1e-4);
    }

    @Test
    void shouldImportGlobalAveragePoolingBeforeAnFcAndAgreeWithOnnxRuntime() throws Exception
    {
        final Path file = convReluPool("GlobalAveragePool", true, 4);
        final Model m = OnnxImporter.read(file, "T", null).model();
        assertThat(m.spec().describe()).isEqualTo("input 2 8 8\nconv 3 3 stride 1 pad 0\nrelu\nconv 3 6 stride 1 pad 0\nfc 4\n");
        final double[] x = inputs(4, 128);
        assertThat(Ort.maxRelative(FloatNetwork.forward(m, x, 4), Ort.run(file, x, 4, 2, 8, 8), 4)).isLessThan(1e-4);
    }

    @Test
    void shouldRefusePaddedOrCeilModeAveragePoolingNamingTheNode() throws Exception
    {
        final Path padded = convReluPool("AveragePool", false, 27, Attribute.ofInts("kernel_shape", 2, 2),
            Attribute.ofInts("pads", 1, 1, 1, 1));
        assertThatThrownBy(() -> OnnxImporter.read(padded, "T", null)).isInstanceOf(IOException.class)
            .hasMessageContaining(padded.toString()).hasMessageContaining("node 'pool' (AveragePool)").hasMessageContaining("padding");
        final Path ceil = convReluPool("AveragePool", false, 27, Attribute.ofInts("kernel_shape", 2, 2), Attribute.ofInt("ceil_mode", 1));
        assertThatThrownBy(() -> OnnxImporter.read(ceil, "T", null)).hasMessageContaining("node 'pool' (AveragePool)")
            .hasMessageContaining("ceil_mode");
    }

    @Test
    void shouldRefuseATruncatedFileAndAFileThatIsNotOnnx() throws Exception
    {
        final Path good = dir.resolve("B.onnx");
        OnnxExporter.write(OnnxExportImportTest.randomModel("B", 1), good);
        final byte[] bytes = Files.readAllBytes(good);
        final Path cut = Files.write(dir.resolve("cut.onnx"), Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> OnnxImporter.read(cut, "B", null)).isInstanceOf(IOException.class)
            .hasMessageContaining(cut.toString()).hasMessageContaining("truncated");
        final Path text = Files.writeString(dir.resolve("notes.onnx"), "input 1 28 28\nfc 10\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OnnxImporter.read(text, "B", null)).isInstanceOf(IOException.class)
            .hasMessageContaining(text.toString()).hasMessageContaining("ONNX");
        final Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        assertThatThrownBy(() -> OnnxImporter.read(empty, "B", null)).hasMessageContaining("not an ONNX model (no graph");
    }

    @Test
    void shouldRefuseNanWeightsNamingTheTensor() throws Exception
    {
        final OnnxFixture f = new OnnxFixture(4);
        String x = f.input(new long[]{1, 4});
        final double[] w = new double[8];
        w[5] = Double.NaN;
        x = f.node("Gemm", "fc", List.of(x, f.constant(Tensor.floats("fc.weight", new long[]{4, 2}, w))));
        final Path file = f.write(dir.resolve("nan.onnx"), x, 2);
        assertThatThrownBy(() -> OnnxImporter.read(file, "T", null))
            .hasMessageContaining("tensor 'fc.weight' (used by node 'fc' (Gemm)) element 5 is NaN");
    }

    @Test
    void shouldRefuseDynamicImageSizes() throws Exception
    {
        final OnnxFixture f = new OnnxFixture(5);
        String x = f.input(new long[]{-1, 1, -1, 8}, "N", null, "height", null);
        x = f.node("Flatten", List.of(x));
        final Path file = f.write(dir.resolve("dynamic.onnx"), x, 8);
        assertThatThrownBy(() -> OnnxImporter.read(file, "T", null))
            .hasMessageContaining("input 'x' dimension 2 is dynamic ('height'); only the batch dimension may vary");
    }

    @Test
    void shouldRefuseAReshapeThatIsNotAFlatten() throws Exception
    {
        final OnnxFixture f = new OnnxFixture(6);
        String x = f.input(new long[]{1, 2, 4, 4});
        x = f.node("Reshape", "r", List.of(x, f.ints("s", 0, 2, -1)));
        final Path file = f.write(dir.resolve("reshape.onnx"), x, 2);
        assertThatThrownBy(() -> OnnxImporter.read(file, "T", null))
            .hasMessageContaining("node 'r' (Reshape): reshape to [0, 2, -1] of 2×4×4 is not a flatten");
    }

    @Test
    void shouldRefuseImagesOfAnotherSizeThanTheModelsInput() throws Exception
    {
        final OnnxFixture f = new OnnxFixture(7);
        String x = f.input(new long[]{1, 1, 32, 32});
        x = f.node("Flatten", List.of(x));
        x = f.node("Gemm", List.of(x, f.weights("w", 1024, 10)));
        final Path file = f.write(dir.resolve("lenet32.onnx"), x, 10);
        final NetworkSpec spec = OnnxImporter.read(file, "L32", null).model().spec();
        assertThatThrownBy(() -> spec.requireImages(28, 28, "the bundled sample"))
            .hasMessageContaining("the images in the bundled sample are 28×28").hasMessageContaining("network L32 takes input 1×32×32");
    }
}
