package securenn.onnx;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import securenn.data.Mnist;
import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.Preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real model nobody here wrote: LeNet-5 trained and exported by PyTorch (../shared/models/lenet5-pytorch.onnx, see
 * its README), imported with its training's Normalize(0.1307, 0.3081). Our float twin must match ONNX Runtime's
 * output and the fixed-point twin its predictions; prints the three accuracies on the first 500 MNIST test images
 * ({@code -Dsecurenn.lenet.images=10000} for all of them, about two minutes on the shared 2-core AMD EPYC Zen 3 host). The file ends in
 * a Softmax, which the import drops (the argmax is unchanged): ONNX Runtime's output is compared with the softmax of
 * our logits. Skips, saying why, without ../shared.
 */
class LenetImportTest
{
    static final Preprocessing NORMALIZE = new Preprocessing(1 / 255.0, new double[]{0.1307}, new double[]{0.3081});

    static Path shared;

    @BeforeAll
    static void findShared()
    {
        for (final Path p : new Path[]{Path.of("../shared"), Path.of("../../shared")})
        {
            if (Files.isRegularFile(p.resolve("models/lenet5-pytorch.onnx")) && Files.isDirectory(p.resolve("datasets/mnist")))
            {
                shared = p;
            }
        }
    }

    @Test
    void pytorchLenetShouldMatchOnnxRuntime() throws Exception
    {
        assumeTrue(shared != null, "../shared/models/lenet5-pytorch.onnx and ../shared/datasets/mnist are absent "
            + "(they are not part of the project)");
        final Path file = shared.resolve("models/lenet5-pytorch.onnx");
        final OnnxImporter.Imported im = OnnxImporter.read(file, "lenet5", NORMALIZE);
        final Model model = im.model();
        System.out.println("imported " + file + ":\n" + model.spec().describe() + "notes: " + im.notes());
        assertThat(model.spec().describe()).isEqualTo("input 1 28 28 scale 0.00392156862745098 mean 0.1307 std 0.3081\n"
            + "conv 6 5 stride 1 pad 2\nrelu\nmaxpool 2\nconv 16 5 stride 1 pad 0\nrelu\nmaxpool 2\nfc 120\nrelu\nfc 84\nrelu\nfc 10\n");

        final Mnist all = Mnist.load(shared.resolve("datasets/mnist"), Mnist.Split.TEST);
        final int count = Math.min(all.count(), Integer.getInteger("securenn.lenet.images", 500));
        final int batch = 10; // the file's fixed batch: ONNX Runtime refuses any other
        int ortCorrect = 0;
        int floatCorrect = 0;
        int ringCorrect = 0;
        int ringDisagree = 0;
        double worstFloat = 0;
        double worstRing = 0;
        final long t0 = System.nanoTime();
        try (Ort.Runner ortRunner = new Ort.Runner(file))
        {
            for (int from = 0; from < count; from += batch)
            {
                final double[] x = FloatNetwork.images(model.spec(), all, from, batch);
                final double[] ort = ortRunner.run(x, batch, 1, 28, 28);
                final double[] twin = FloatNetwork.forward(model, x, batch);
                final double[] ring = Ort.ring(model, x, batch);
                worstFloat = Math.max(worstFloat, Ort.maxRelative(Ort.softmax(twin, 10), ort, 10));
                worstRing = Math.max(worstRing, Ort.maxRelative(ring, twin, 10));
                final int[] po = FloatNetwork.argmax(ort, batch, 10);
                final int[] pf = FloatNetwork.argmax(twin, batch, 10);
                final int[] pr = FloatNetwork.argmax(ring, batch, 10);
                for (int s = 0; s < batch; s++)
                {
                    final int label = all.label(from + s);
                    ortCorrect += po[s] == label ? 1 : 0;
                    floatCorrect += pf[s] == label ? 1 : 0;
                    ringCorrect += pr[s] == label ? 1 : 0;
                    ringDisagree += pr[s] != po[s] ? 1 : 0;
                }
            }
        }
        System.out.printf("LeNet-5 (PyTorch) on %d MNIST test images in %.1f s: ONNX Runtime %.2f%%, float twin %.2f%%, "
            + "fixed-point twin %.2f%% (%d predictions differ from ONNX Runtime); largest relative logit error: float twin "
            + "(softmax) vs ORT %.2e, fixed point vs float %.2e%n", count, (System.nanoTime() - t0) / 1e9, 100.0 * ortCorrect / count,
            100.0 * floatCorrect / count, 100.0 * ringCorrect / count, ringDisagree, worstFloat, worstRing);
        assertThat(worstFloat).as("float twin vs ONNX Runtime, relative").isLessThan(1e-4);
        assertThat(floatCorrect).isEqualTo(ortCorrect);
        assertThat(worstRing).as("fixed point vs float, relative").isLessThan(OnnxRuntimeCheckTest.FIXED_POINT_RELATIVE);
        assertThat(ringDisagree).as("fixed-point predictions that differ from ONNX Runtime").isLessThanOrEqualTo(count / 1000);
    }
}
