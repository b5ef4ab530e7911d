package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.onnx.OnnxExporter;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** A securenn model (A–D or any trained or imported one) as an ONNX file, for ONNX Runtime and other tools. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {"Writes a plaintext model file (--model, SECURENN-MODEL) as ONNX (--onnx): opset " + OnnxExporter.OPSET
        + ", input 'input' [batch, C, H, W] with a free batch, output 'logits'; Conv, Flatten, Gemm, Relu, MaxPool; "
        + "weights in float32.",
        "The input preprocessing is not part of the graph (the ONNX model takes normalised input, as PyTorch's do); it is "
        + "recorded in the file's metadata and `securenn import` restores it.",
        ""})
final class ExportCommand implements Callable<Integer>
{
    @Option(names = "--model", required = true, description = "Plaintext model file (from train, train-float, reconstruct or import).")
    Path model;

    @Option(names = "--onnx", required = true, description = "The ONNX file to write.")
    Path onnx;

    @Override
    public Integer call() throws Exception
    {
        final Model m = ModelFile.read(model);
        OnnxExporter.write(m, onnx);
        System.out.printf("wrote %s: network %s, input %s (%s), %d outputs%n", onnx, m.spec().name(), m.spec().input(),
            m.spec().preprocessing(), m.spec().output().size());
        return 0;
    }
}
