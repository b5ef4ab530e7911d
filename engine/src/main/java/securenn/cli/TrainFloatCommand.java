package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.data.Mnist;
import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** The model owner's plaintext training (float, SGD), e.g. how the bundled demo model was made. */
@Command(
    name = "train-float",
    mixinStandardHelpOptions = true,
    description = {"Trains a fully connected network in plaintext float and writes a model file.",
        "SGD with softmax cross-entropy: the model owner's own training, not secure training."})
final class TrainFloatCommand implements Callable<Integer>
{
    @Option(names = "--network", defaultValue = "A", description = "Built-in network A–D (fc/relu only) (default: ${DEFAULT-VALUE}).")
    String network;

    @Option(names = "--data", required = true, description = "MNIST directory, e.g. ../shared/datasets/mnist")
    Path data;

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--rate", defaultValue = "0.05", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisation and order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "Model file to write.")
    Path out;

    @Override
    public Integer call() throws Exception
    {
        final Mnist train = Mnist.load(data, Mnist.Split.TRAIN);
        final Mnist test = Mnist.load(data, Mnist.Split.TEST);
        final Model model = Model.random(NetworkSpec.builtIn(network), seed);
        model.spec().requireImages(train.rows(), train.cols(), data.toString());
        final long t0 = System.nanoTime();
        FloatNetwork.train(model, train, epochs, batch, rate, seed, (loss, epoch) -> System.out.printf(
            "epoch %d/%d: loss %.4f, test accuracy %.2f%%, %.0f s%n", epoch, epochs, loss,
            100 * FloatNetwork.accuracy(model, test), (System.nanoTime() - t0) / 1e9));
        ModelFile.write(out, model);
        System.out.println("wrote " + out);
        return 0;
    }
}
