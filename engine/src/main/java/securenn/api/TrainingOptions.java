package securenn.api;

import securenn.nn.OutputLoss;
import securenn.nn.Sgd;
import securenn.train.TrainingPlan;

/**
 * The public hyperparameters of a secure training run ({@link ThreeParties#train}): all of them are known to every
 * party (the three agree on them before the first step), none is secret.
 *
 * @param epochs         passes over the training set (at least 1)
 * @param batch          images per step (at least 1; the learning rate is divided by it rounded down to a power of two)
 * @param rateShift      learning rate 2^−rateShift (the paper: 7)
 * @param rateHalving    halve the rate every this many epochs (0: constant)
 * @param loss           the output error: the paper's ASM (by secure Division), squared error, or multiclass hinge
 * @param momentumShift  SGD momentum μ = 1 − 2^−m (0: none, the paper's; 3: 0.875)
 * @param batchOrderSeed seed of the batch order, a public permutation of the shared rows per epoch (the parties see
 *                       which rows form a batch anyway)
 */
public record TrainingOptions(int epochs, int batch, int rateShift, int rateHalving, OutputLoss loss, int momentumShift,
    long batchOrderSeed)
{
    public TrainingOptions
    {
        plan(epochs, batch, rateShift, rateHalving, loss, momentumShift, batchOrderSeed); // checks every field, names it
    }

    /** The whitepaper's rule: batch 128, rate 2^−7, ASM output error, no momentum. */
    public static TrainingOptions paper(final int epochs)
    {
        return new TrainingOptions(epochs, 128, 7, 0, OutputLoss.ASM, 0, 1);
    }

    /**
     * The rule that reaches 99% on network C in the fixed-point twin (what {@code bin/secure-train} runs): batch 128,
     * rate 2^−7 halved every 5 epochs, multiclass hinge loss, momentum 0.875.
     */
    public static TrainingOptions hingeWithMomentum(final int epochs)
    {
        return new TrainingOptions(epochs, 128, 7, 5, OutputLoss.HINGE, 3, 1);
    }

    TrainingPlan plan()
    {
        return plan(epochs, batch, rateShift, rateHalving, loss, momentumShift, batchOrderSeed);
    }

    private static TrainingPlan plan(final int epochs, final int batch, final int rateShift, final int rateHalving,
        final OutputLoss loss, final int momentumShift, final long batchOrderSeed)
    {
        if (loss == null)
        {
            throw new IllegalArgumentException("training options need a loss (ASM, SQUARED or HINGE), got null");
        }
        return new TrainingPlan(epochs, batch, rateShift, rateHalving, new Sgd(loss, momentumShift), batchOrderSeed, 0, 0);
    }
}
