package securenn.cli;

import picocli.CommandLine.Option;

/** The SGD options {@code train} and {@code train-party} share: epochs, batch, rate schedule, loss, momentum, progress. */
final class SgdOptions
{
    @Option(names = "--epochs", defaultValue = "1", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--rate-shift", defaultValue = "7", description = "Learning rate 2^-s (the paper: 7 for A) (default: ${DEFAULT-VALUE}).")
    int rateShift;

    @Option(names = "--rate-halving", defaultValue = "0", paramLabel = "E",
        description = "Halve the learning rate every E epochs (0: constant rate) (default: ${DEFAULT-VALUE}).")
    int rateHalving;

    @Option(names = "--loss", defaultValue = "asm", description = "Output error: asm (the paper's δ = ASM(u) − Y, by "
        + "secure Division), squared (δ = u − Y, the gradient of squared error on the logits; local, no Division) or "
        + "hinge (multiclass hinge, margin 1: δ_j = [u_j − u_y + 1 ≥ 0] for j ≠ y, δ_y = −Σ of those; one ReLU over the "
        + "outputs; reaches 99%% on network C) (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--momentum", defaultValue = "0", paramLabel = "M", description = "SGD momentum μ = 1 − 2^−M, e.g. 3 "
        + "for 0.875 (one more truncation per parameter and step); 0: none, the paper's (default: ${DEFAULT-VALUE}). "
        + "train-party checkpoints each party's velocity shares with its model shares; the one-JVM train does not, so "
        + "its resumed runs restart them at zero.")
    int momentum;

    @Option(names = "--limit", defaultValue = "0", description = "Train on at most this many images per epoch (0: all).")
    int limit;

    @Option(names = "--progress", defaultValue = "10", paramLabel = "K", description = "Print progress every K iterations (default: ${DEFAULT-VALUE}).")
    int progress;
}
