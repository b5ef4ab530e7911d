package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.mpc.FixedPoint;
import securenn.mpc.SecretSplitter;
import securenn.nn.Model;
import securenn.nn.ModelFile;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** The model owner's step: split a plaintext model into one share file for P0 and one for P1. */
@Command(
    name = "share",
    mixinStandardHelpOptions = true,
    description = {"Splits a plaintext model file into share files for P0 and P1.",
        "Fresh randomness each run (AES-CTR keyed from SecureRandom) and a fresh random model id; writes OUT/P0.shares",
        "and OUT/P1.shares; give each file only to its server."})
final class ShareCommand implements Callable<Integer>
{
    @Option(names = "--model", required = true, description = "Plaintext model file (SECURENN-MODEL format).")
    Path model;

    @Option(names = "--out", required = true, description = "Directory for P0.shares and P1.shares.")
    Path out;

    @Option(names = "--fraction-bits", defaultValue = "13", description = "Fixed-point fraction bits (default: ${DEFAULT-VALUE}).")
    int fractionBits;

    @Override
    public Integer call() throws Exception
    {
        final Model m = ModelFile.read(model);
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
