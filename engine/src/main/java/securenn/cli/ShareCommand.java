package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.mpc.FixedPoint;
import securenn.mpc.SecretSplitter;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The model owner's step: split a plaintext model — or freshly initialised weights for training with
 * {@code train-party} — into one share file for P0 and one for P1.
 */
@Command(
    name = "share",
    mixinStandardHelpOptions = true,
    description = {"Splits a plaintext model file (--model), or new He-initialised weights of a network (--init A–D,",
        "for train-party), into share files for P0 and P1.",
        "Fresh randomness each run (AES-CTR keyed from SecureRandom) and a fresh random model id; writes OUT/P0.shares",
        "and OUT/P1.shares; give each file only to its server."})
final class ShareCommand implements Callable<Integer>
{
    @Option(names = "--model", description = "Plaintext model file (SECURENN-MODEL format).")
    Path model;

    @Option(names = "--init", paramLabel = "NETWORK", description = "Instead of --model: new weights for network A–D "
        + "(He initialisation, zero biases), to train with train-party.")
    String init;

    @Option(names = "--seed", description = "With --init: seed of the initial weights (default: drawn from SecureRandom, "
        + "so nobody can recompute them).")
    Long seed;

    @Option(names = "--out", required = true, description = "Directory for P0.shares and P1.shares.")
    Path out;

    @Option(names = "--fraction-bits", defaultValue = "13", description = "Fixed-point fraction bits (default: ${DEFAULT-VALUE}).")
    int fractionBits;

    @Override
    public Integer call() throws Exception
    {
        if ((model == null) == (init == null))
        {
            throw new IllegalArgumentException("give exactly one of --model FILE and --init NETWORK");
        }
        if (seed != null && init == null)
        {
            throw new IllegalArgumentException("--seed goes with --init");
        }
        final Model m = model != null ? ModelFile.read(model)
            : Model.random(NetworkSpec.builtIn(init), seed != null ? seed : new java.security.SecureRandom().nextLong());
        Files.createDirectories(out);
        try (Arena arena = Arena.ofConfined())
        {
            final ModelFile.SharedModel[] shares = ModelFile.split(m, new FixedPoint(fractionBits), arena, SecretSplitter.fresh());
            ModelFile.writeShares(out.resolve("P0.shares"), shares[0]);
            ModelFile.writeShares(out.resolve("P1.shares"), shares[1]);
            System.out.printf("wrote %s and %s (network %s, %d tensors, model-id %s)%n", out.resolve("P0.shares"),
                out.resolve("P1.shares"), m.spec().name(), shares[0].params().length, shares[0].modelId().substring(0, 16));
        }
        return 0;
    }
}
