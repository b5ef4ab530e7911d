package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.data.Mnist;
import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.ModelFile;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** The model owner's step after training: combine P0's and P1's shares into a plaintext model file. */
@Command(
    name = "reconstruct",
    mixinStandardHelpOptions = true,
    description = {"Combines P0.shares and P1.shares into a plaintext model file (the model owner's step).",
        "For example a training checkpoint; only the model owner, who receives both files, can do this."})
final class ReconstructCommand implements Callable<Integer>
{
    @Option(names = "--shares", required = true, description = "Directory holding P0.shares and P1.shares.")
    Path shares;

    @Option(names = "--out", required = true, description = "Plaintext model file to write.")
    Path out;

    @Option(names = "--data", description = "Optional MNIST directory: report the model's plaintext test accuracy.")
    Path data;

    @Option(names = "--allow-version-1", description = "Also read version 1 share files (SECURENN-SHARES 1). They must be "
        + "treated as leaked (P1 can recover the weights from its own file); use this only to recover a model from them "
        + "and split it again with 'share'.")
    boolean allowVersion1;

    @Override
    public Integer call() throws Exception
    {
        try (Arena arena = Arena.ofConfined())
        {
            final Model model = ModelFile.reconstruct(ModelFile.readShares(shares.resolve("P0.shares"), arena, allowVersion1),
                ModelFile.readShares(shares.resolve("P1.shares"), arena, allowVersion1));
            ModelFile.write(out, model);
            System.out.println("wrote " + out + " (network " + model.spec().name() + ")");
            if (data != null)
            {
                final Mnist test = Mnist.load(data, Mnist.Split.TEST);
                model.spec().requireImages(test.rows(), test.cols(), data.toString());
                System.out.printf("plaintext float test accuracy: %.2f%%%n", 100 * FloatNetwork.accuracy(model, test));
            }
        }
        return 0;
    }
}
