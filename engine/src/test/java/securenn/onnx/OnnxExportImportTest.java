package securenn.onnx;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.SplittableRandom;

import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.nn.Preprocessing;

import static org.assertj.core.api.Assertions.assertThat;

/** Our networks A–D exported as ONNX and imported back: the same network, every weight rounded to float32. */
class OnnxExportImportTest
{
    @TempDir
    Path dir;

    /** Random weights and (unlike {@link Model#random}) random biases, so that bias layouts are checked too. */
    static Model randomModel(final String network, final long seed)
    {
        final Model m = Model.random(NetworkSpec.builtIn(network), seed);
        final SplittableRandom rnd = new SplittableRandom(seed + 1);
        for (int t = 1; t < m.params().length; t += 2)
        {
            for (int i = 0; i < m.params()[t].length; i++)
            {
                m.params()[t][i] = rnd.nextDouble(-0.5, 0.5);
            }
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"A", "B", "C", "D"})
    void shouldImportWhatItExportsWithTheSameSpecAndWeights(final String network) throws Exception
    {
        final Model model = randomModel(network, 7);
        final Path file = dir.resolve(network + ".onnx");
        OnnxExporter.write(model, file);
        final OnnxImporter.Imported back = OnnxImporter.read(file, network, null);
        assertThat(back.model().spec().describe()).isEqualTo(model.spec().describe());
        assertThat(back.model().spec()).isEqualTo(model.spec());
        assertThat(back.notes()).isEmpty();
        for (int t = 0; t < model.params().length; t++)
        {
            final double[] expected = model.params()[t].clone();
            for (int i = 0; i < expected.length; i++)
            {
                expected[i] = (float)expected[i];
            }
            assertThat(back.model().params()[t]).as(model.spec().parameterName(t)).isEqualTo(expected);
        }
    }

    @Test
    void shouldCarryInputPreprocessingThroughOnnxAndTheModelFile() throws Exception
    {
        final Model plain = randomModel("A", 3);
        final Preprocessing pre = new Preprocessing(1 / 255.0, new double[]{0.1307}, new double[]{0.3081});
        final NetworkSpec spec = NetworkSpec.parse("A", "input 1 28 28" + pre.describe() + "\n"
            + plain.spec().describe().lines().skip(1).reduce("", (a, b) -> a + b + "\n"));
        final Model model = new Model(spec, plain.params());
        final Path onnx = dir.resolve("A.onnx");
        OnnxExporter.write(model, onnx);
        final Model back = OnnxImporter.read(onnx, "A", null).model();
        assertThat(back.spec().preprocessing()).isEqualTo(pre);

        final Path file = dir.resolve("A.model");
        ModelFile.write(file, back);
        assertThat(ModelFile.read(file).spec().preprocessing()).isEqualTo(pre);
        assertThat(ModelFile.read(file).spec().describe()).startsWith("input 1 28 28 scale 0.00392156862745098 mean 0.1307 std 0.3081\n");
    }

    @Test
    void shouldLetTheImportOverrideThePreprocessing() throws Exception
    {
        final Path onnx = dir.resolve("A.onnx");
        OnnxExporter.write(randomModel("A", 3), onnx);
        final Preprocessing pre = new Preprocessing(1.0, new double[]{127.5}, new double[]{127.5});
        assertThat(OnnxImporter.read(onnx, "A", pre).model().spec().preprocessing()).isEqualTo(pre);
        assertThat(OnnxImporter.read(onnx, "A", null).model().spec().preprocessing().isPixels()).isTrue();
    }
}
