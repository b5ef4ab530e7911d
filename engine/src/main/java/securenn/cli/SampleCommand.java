package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.data.Idx;
import securenn.data.Mnist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Writes the first N test images of an MNIST directory as a small gzipped IDX sample (how the bundled one was made). */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description = "Writes the first N test images and labels of an MNIST directory as gzipped IDX files.")
final class SampleCommand implements Callable<Integer>
{
    @Option(names = "--data", required = true, description = "MNIST directory.")
    Path data;

    @Option(names = "--count", defaultValue = "100", description = "Images (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--out", required = true, description = "Directory for t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.")
    Path out;

    @Override
    public Integer call() throws Exception
    {
        final Mnist test = Mnist.load(data, Mnist.Split.TEST).head(count);
        Files.createDirectories(out);
        Idx.write(out.resolve("t10k-images-idx3-ubyte.gz"), new Idx.Array(new int[]{test.count(), test.rows(), test.cols()},
            test.pixels()));
        Idx.write(out.resolve("t10k-labels-idx1-ubyte.gz"), new Idx.Array(new int[]{test.count()}, test.labels()));
        System.out.println("wrote " + test.count() + " images to " + out);
        return 0;
    }
}
