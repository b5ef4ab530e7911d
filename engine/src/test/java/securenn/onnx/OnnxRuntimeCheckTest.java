package securenn.onnx;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import securenn.data.Mnist;
import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.ModelFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ONNX Runtime runs the files our exporter writes and must agree with our float twin (logits within 1e-4 relative:
 * float32 against double), and the fixed-point twin must predict the same digits (13 fraction bits). A is the bundled
 * trained model and must agree on every image; B–D have random weights, whose top two logits can lie closer together
 * than the fixed-point error, so there the prediction must agree wherever the margin exceeds twice that error.
 */
class OnnxRuntimeCheckTest
{
    static final int IMAGES = 20;
    /** What 13 fraction bits cost these networks' logits, relative to each item's largest (measured: at most 2.4e-3 on A–D here, 1.5e-3 on LeNet-5). */
    static final double FIXED_POINT_RELATIVE = 1e-2;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"A", "B", "C", "D"})
    void onnxRuntimeShouldAgreeWithOurTwins(final String network) throws Exception
    {
        final Model model = network.equals("A") ? ModelFile.bundled() : OnnxExportImportTest.randomModel(network, 11);
        final Path file = dir.resolve(network + ".onnx");
        OnnxExporter.write(model, file);
        final Model imported = OnnxImporter.read(file, network, null).model();
        final Mnist sample = Mnist.sample().head(IMAGES);
        final double[] x = FloatNetwork.images(imported.spec(), sample, 0, IMAGES);
        final var in = imported.spec().input();
        final double[] ort = Ort.run(file, x, IMAGES, in.channels(), in.height(), in.width());
        final int k = imported.spec().output().size();
        final double[] twin = FloatNetwork.forward(imported, x, IMAGES);
        assertThat(Ort.maxRelative(twin, ort, k)).as("float twin vs ONNX Runtime, relative").isLessThan(1e-4);

        final double[] ring = Ort.ring(imported, x, IMAGES);
        final double error = Ort.maxRelative(ring, twin, k);
        System.out.printf("network %s: float twin vs ORT %.2e, fixed point vs float %.2e relative%n", network,
            Ort.maxRelative(twin, ort, k), error);
        assertThat(error).as("fixed-point twin vs float twin, relative").isLessThan(FIXED_POINT_RELATIVE);
        final int[] expected = FloatNetwork.argmax(ort, IMAGES, k);
        final int[] got = FloatNetwork.argmax(ring, IMAGES, k);
        int decided = 0;
        for (int s = 0; s < IMAGES; s++)
        {
            if (network.equals("A") || Ort.margin(ort, s, k) > 2 * FIXED_POINT_RELATIVE)
            {
                assertThat(got[s]).as("prediction for image " + s).isEqualTo(expected[s]);
                decided++;
            }
        }
        assertThat(decided).as("images with a clear prediction").isGreaterThan(IMAGES / 2);
    }
}
