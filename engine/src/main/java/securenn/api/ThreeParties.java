package securenn.api;

import securenn.data.Mnist;
import securenn.mpc.LocalSession;
import securenn.mpc.Randomness;
import securenn.mpc.SecretSplitter;
import securenn.nn.ModelFile;
import securenn.train.EpochLoop;
import securenn.train.SecureTraining;
import securenn.train.TrainingEngine;
import securenn.train.TrainingPlan;
import securenn.mpc.Role;
import securenn.nn.NetworkSpec;
import securenn.nn.SecureInference;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * P0, P1 and P2 in this JVM, talking over Aeron IPC with fresh session keys from {@link java.security.SecureRandom}:
 * the same protocols, messages and results as three hosts. One process holds all three parties, so this protects
 * nothing against whoever runs it (see the package's threat model); use it to develop, test and embed, and
 * {@code securenn serve} / {@code party} on three hosts to deploy. Not thread-safe: one computation at a time.
 */
public final class ThreeParties implements AutoCloseable
{
    private final LocalSession session;

    private ThreeParties(final LocalSession session)
    {
        this.session = session;
    }

    /** Starts the three parties (an embedded Aeron media driver and three party threads). */
    public static ThreeParties inOneJvm()
    {
        return new ThreeParties(LocalSession.freshKeys("yield"));
    }

    /**
     * Secure inference: P0 and P1 run the network on their shares of the model and of the inputs, P2 helps; returns
     * P0's and P1's shares of the logits ({@code batch × classes}, in the inputs' encoding), which only the client
     * adds ({@link SharedTensor#reconstruct}).
     */
    public SharedTensor[] infer(final ModelShares model, final SharedTensor[] inputs)
    {
        final NetworkSpec spec = model.network();
        if (inputs.length != 2 || inputs[0].party() != Role.P0 || inputs[1].party() != Role.P1)
        {
            throw new IllegalArgumentException("infer takes P0's share then P1's share of one input tensor, but got "
                + inputs.length + " shares" + (inputs.length == 2 ? " of " + inputs[0].party() + " then " + inputs[1].party() : ""));
        }
        if (!Arrays.equals(inputs[0].shape(), inputs[1].shape()))
        {
            throw new IllegalArgumentException("P0's input share has shape " + Arrays.toString(inputs[0].shape())
                + " but P1's " + Arrays.toString(inputs[1].shape()));
        }
        for (final SharedTensor x : inputs)
        {
            if (!x.encoding().equals(model.encoding()))
            {
                throw new IllegalArgumentException(x.party() + "'s input share is encoded with " + x.encoding().fractionBits()
                    + " fraction bits but the model with " + model.encoding().fractionBits());
            }
        }
        if (inputs[0].width() != spec.input().size())
        {
            throw new IllegalArgumentException("network " + spec.name() + " takes inputs of " + spec.input() + " = "
                + spec.input().size() + " values, but the shared rows hold " + inputs[0].width());
        }
        final int n = inputs[0].batch();
        final int out = spec.output().size();
        final List<MemorySegment> outs = SecureInference.run(session, model.both(), inputs[0].share(), inputs[1].share(), n,
            Arena.ofAuto());
        final int[] shape = {n, out};
        return new SharedTensor[]{new SharedTensor(Role.P0, shape, model.encoding(), outs.get(0)),
            new SharedTensor(Role.P1, shape, model.encoding(), outs.get(1))};
    }

    /** What {@link #train} tells its caller after each epoch. */
    @FunctionalInterface
    public interface EpochReport
    {
        /**
         * @param epoch        1, 2, ...
         * @param testAccuracy fraction of the test set classified correctly by secure inference, opened to the caller
         *                     only; NaN when no test set was given
         */
        void epochEnd(int epoch, double testAccuracy);
    }

    /**
     * Secure training (the whitepaper's Appendix B.1, with the rule {@code options} names): P0 and P1 hold shares of
     * the model and of every batch, which the caller, as data owner, splits with fresh randomness; P2 helps. After each
     * epoch the model is measured by secure inference of {@code test} (null: not measured), and only the caller sees
     * the accuracy. The parties run in a session of their own with fresh keys (waiting parties park: steps are long).
     *
     * @return the trained model's shares (as P0 and P1 hold them, under a new model id); {@code initial} is unchanged
     */
    public ModelShares train(final ModelShares initial, final Mnist train, final Mnist test, final TrainingOptions options,
        final EpochReport report) throws java.io.IOException
    {
        final TrainingPlan plan = options.plan();
        plan.requireShiftsFit(initial.encoding().fractionBits());
        final Arena arena = Arena.ofAuto();
        final ModelFile.SharedModel[] both = initial.both();
        final ModelFile.SharedModel[] start = {both[0].copy(arena), both[1].copy(arena)};
        try (SecureTraining trainer = new SecureTraining(start, Randomness.freshSession(), plan.rule()))
        {
            EpochLoop.run(trainer, null, 0, initial.network(), train, test, initial.encoding(), plan, 1, Integer.MAX_VALUE,
                new EpochLoop.Listener()
                {
                    @Override
                    public void epochEnd(final int epoch, final double testAccuracy, final TrainingEngine t)
                    {
                        if (report != null)
                        {
                            report.epochEnd(epoch, testAccuracy);
                        }
                    }
                });
            return new ModelShares(trainer.shares(arena, SecretSplitter.fresh()));
        }
    }

    /**
     * The whole round as one call, for convenience: splits {@code inputs} (fresh randomness), runs {@link #infer} and
     * reconstructs the logits.
     */
    public Tensor classify(final ModelShares model, final Tensor inputs)
    {
        final SharedTensor[] y = infer(model, SharedTensor.split(inputs, model.encoding()));
        return SharedTensor.reconstruct(y[0], y[1]);
    }

    @Override
    public void close()
    {
        session.close();
    }
}
