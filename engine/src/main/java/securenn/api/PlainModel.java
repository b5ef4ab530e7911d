package securenn.api;

import securenn.data.Mnist;
import securenn.mpc.FixedPoint;
import securenn.mpc.SecretSplitter;
import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.nn.Preprocessing;
import securenn.onnx.OnnxExporter;
import securenn.onnx.OnnxImporter;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;

/**
 * The model owner's plaintext model: a network ({@link NetworkSpec}: layers, input shape, preprocessing) with its
 * weights. It is read from an ONNX file or a securenn model file, evaluated in floating point (the plaintext
 * reference), and split into {@link ModelShares} for P0 and P1. The servers never see this object.
 */
public final class PlainModel
{
    private final Model model;
    private final List<String> notes;

    private PlainModel(final Model model, final List<String> notes)
    {
        this.model = model;
        this.notes = List.copyOf(notes);
    }

    /**
     * Imports an ONNX model as {@code securenn import} does: supported ops map onto the network, others are refused
     * naming the op and node. {@code preprocessing} null takes what the file records (a model exported by securenn)
     * or else pixel / 255; a PyTorch model trained on {@code Normalize(mean, std)} needs
     * {@code new Preprocessing(1 / 255.0, new double[]{mean}, new double[]{std})}.
     */
    public static PlainModel importOnnx(final Path onnx, final Preprocessing preprocessing) throws IOException
    {
        final String file = onnx.getFileName().toString();
        final String name = file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
        final OnnxImporter.Imported imported = OnnxImporter.read(onnx, name, preprocessing);
        return new PlainModel(imported.model(), imported.notes());
    }

    /** Reads a securenn model file ({@code SECURENN-MODEL 1}, as {@code securenn import} or training writes). */
    public static PlainModel read(final Path modelFile) throws IOException
    {
        return new PlainModel(ModelFile.read(modelFile), List.of());
    }

    /** The bundled network A model, trained by this project on MNIST. */
    public static PlainModel bundled() throws IOException
    {
        return new PlainModel(ModelFile.bundled(), List.of());
    }

    /** Wraps a model built in Java (e.g. by {@code Model.random} or a trainer). */
    public static PlainModel of(final Model model)
    {
        return new PlainModel(model, List.of());
    }

    public NetworkSpec network()
    {
        return model.spec();
    }

    /** What the import did to the graph (ops dropped or folded), one line each; empty for other models. */
    public List<String> importNotes()
    {
        return notes;
    }

    /** Images [from, from + n) of an MNIST-like dataset as this network's inputs (its preprocessing applied). */
    public Tensor inputs(final Mnist images, final int from, final int n)
    {
        model.spec().requireImages(images.rows(), images.cols(), "the images given");
        if (from < 0 || n < 1 || from > images.count() - n)
        {
            throw new IllegalArgumentException("images [" + from + ", " + ((long)from + n) + ") are not within the "
                + images.count() + " images given (from must be at least 0, n at least 1)");
        }
        return Tensor.rows(n, model.spec().input().size(), FloatNetwork.images(model.spec(), images, from, n));
    }

    /** The plaintext float logits of {@code inputs}: the reference the secure result is compared with. */
    public Tensor logits(final Tensor inputs)
    {
        requireInputs(inputs);
        return Tensor.rows(inputs.batch(), model.spec().output().size(), FloatNetwork.forward(model, inputs.values(),
            inputs.batch()));
    }

    /**
     * Splits the weights in {@code encoding} into shares for P0 and P1 with fresh randomness, under a new random model
     * id. Fails naming the tensor and element of a value that cannot be encoded.
     */
    public ModelShares split(final FixedPoint encoding)
    {
        return new ModelShares(ModelFile.split(model, encoding, Arena.ofAuto(), SecretSplitter.fresh()));
    }

    /** Writes the model as a securenn model file. */
    public void write(final Path modelFile) throws IOException
    {
        ModelFile.write(modelFile, model);
    }

    /** Writes the model as ONNX (what {@code securenn export} does). */
    public void exportOnnx(final Path onnx) throws IOException
    {
        OnnxExporter.write(model, onnx);
    }

    void requireInputs(final Tensor inputs)
    {
        if (inputs.width() != model.spec().input().size())
        {
            throw new IllegalArgumentException("network " + model.spec().name() + " takes inputs of " + model.spec().input()
                + " = " + model.spec().input().size() + " values, but the tensor's rows hold " + inputs.width());
        }
    }
}
