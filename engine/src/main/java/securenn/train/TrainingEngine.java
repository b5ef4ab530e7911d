package securenn.train;

import securenn.data.Mnist;
import securenn.mpc.SecretSplitter;
import securenn.nn.ModelFile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What {@link EpochLoop} (and so the {@code train} command) drives: one SGD step per batch, test accuracy, checkpoints. Secure training
 * ({@link SecureTraining}) and the fixed-point twin ({@link TwinTraining}) implement it with the same
 * {@link securenn.nn.RingTrainer} code, so a twin run with the secure run's seed is the secure run, bit for bit.
 */
public interface TrainingEngine extends AutoCloseable
{
    /**
     * One step on a batch encoded in fixed point (plaintext, as the data owner holds it).
     *
     * @param shift s: learning rate / batch size = 2^−s
     * @param owner the data owner's splitter for the batch's shares (engines in the clear draw nothing from it: the
     *              result does not depend on the shares, which is what lets the twin equal the secure run)
     * @return the batch's loss proxy at scale 2^(2f) — Σ δ² (ASM, squared error) or the hinge loss — (secure: the two
     *         shares opened by the data owner, one number per batch)
     */
    long step(MemorySegment images, MemorySegment labels, int n, int shift, SecretSplitter owner);

    /**
     * Fraction of {@code test} classified correctly (secure engine: by secure inference, the client splitting the
     * images with {@code client}, opened by the data owner).
     */
    double accuracy(Mnist test, SecretSplitter client);

    /**
     * The model as P0's and P1's share files would hold it, under a model id of their own drawn from {@code splitter}
     * (engines in the clear split the model afresh with it; the secure engine's shares are the parties' own).
     */
    ModelFile.SharedModel[] shares(Arena arena, SecretSplitter splitter);

    /** The current parameters in plaintext fixed point (secure: reconstructed, for the twin check). */
    MemorySegment[] plaintext(Arena arena);

    @Override
    void close();
}
