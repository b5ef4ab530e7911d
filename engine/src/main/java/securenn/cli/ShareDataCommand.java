package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.data.Mnist;
import securenn.mpc.FixedPoint;
import securenn.mpc.SecretSplitter;
import securenn.train.DataOwner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The data owner's step for training: splits an IDX image set and its labels into one share file for P0 and one for
 * P1, row by row (images in fixed point, labels one-hot in fixed point), with fresh AES-CTR randomness.
 */
@Command(
    name = "share-data",
    mixinStandardHelpOptions = true,
    description = {"Splits a training set (MNIST-style IDX images and labels) into data share files for P0 and P1.",
        "Each pixel p becomes p/255 in fixed point, each label a one-hot row; every value is split into two fresh",
        "additive shares (AES-CTR keyed from SecureRandom) and streamed to OUT/P0.data and OUT/P1.data under a random",
        "dataset id. Several owners' files can be given to train-party together (--data F1 --data F2 ...)."})
final class ShareDataCommand implements Callable<Integer>
{
    @Option(names = "--data", description = "Directory with the IDX files (train-images-idx3-ubyte[.gz], "
        + "train-labels-idx1-ubyte[.gz], or t10k-* with --split test); default: the bundled 100-image sample.")
    Path data;

    @Option(names = "--split", defaultValue = "train", description = "train or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--limit", defaultValue = "0", description = "Share only the first N images (0: all).")
    int limit;

    @Option(names = "--classes", defaultValue = "10", description = "Label classes, the width of a one-hot row (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--fraction-bits", defaultValue = "13", description = "Fixed-point fraction bits; must match the model's (default: ${DEFAULT-VALUE}).")
    int fractionBits;

    @Option(names = "--out", required = true, description = "Directory for P0.data and P1.data.")
    Path out;

    @Override
    public Integer call() throws Exception
    {
        final Mnist.Split which = switch (split)
        {
            case "train" -> Mnist.Split.TRAIN;
            case "test" -> Mnist.Split.TEST;
            default -> throw new IllegalArgumentException("--split must be train or test but was '" + split + "'");
        };
        final Mnist set = data == null ? Mnist.sample() : Mnist.load(data, which);
        final String source = data == null ? "the bundled sample" : data.toString();
        final int rows = limit > 0 ? Math.min(limit, set.count()) : set.count();
        Files.createDirectories(out);
        final String dataset = DataOwner.split(set, source, rows, classes, new FixedPoint(fractionBits),
            SecretSplitter.fresh(), out.resolve("P0.data"), out.resolve("P1.data"));
        System.out.printf("wrote %s and %s: %d images of %d×%d with one-hot labels of %d classes, %d fraction bits, dataset %s%n",
            out.resolve("P0.data"), out.resolve("P1.data"), rows, set.rows(), set.cols(), classes, fractionBits,
            dataset.substring(0, 16));
        return 0;
    }
}
