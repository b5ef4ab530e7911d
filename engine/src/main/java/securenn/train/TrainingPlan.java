package securenn.train;

import securenn.nn.NetworkSpec;
import securenn.nn.Sgd;

/**
 * The public hyperparameters of one training run, which all three parties must agree on (checked at session start by
 * {@link TrainingHandshake}): epochs, batch size, learning rate 2^−rateShift (halved every {@code rateHalving} epochs;
 * 0: constant), the update rule, the seed of the batch order (public: the parties see which rows form a batch anyway)
 * and how often each party checkpoints.
 *
 * @param limit rows per epoch (0: all the shared rows)
 */
public record TrainingPlan(int epochs, int batch, int rateShift, int rateHalving, Sgd rule, long orderSeed,
    int checkpointEvery, int limit)
{
    public TrainingPlan
    {
        if (epochs < 1 || batch < 1 || rateShift < 0 || rateHalving < 0 || checkpointEvery < 0 || limit < 0)
        {
            throw new IllegalArgumentException("epochs and batch must be at least 1; rate shift, rate halving, checkpoint "
                + "interval and limit at least 0 (got epochs " + epochs + ", batch " + batch + ", rate shift " + rateShift
                + ", rate halving " + rateHalving + ", checkpoint every " + checkpointEvery + ", limit " + limit + ")");
        }
    }

    /** Iterations per epoch over {@code rows} shared rows (the last partial batch is dropped). */
    public int iterationsPerEpoch(final int rows)
    {
        final int used = limit > 0 ? Math.min(limit, rows) : rows;
        if (used < batch)
        {
            throw new IllegalArgumentException("batch " + batch + " is larger than the " + used + " rows to train on");
        }
        return used / batch;
    }

    /** s with rate / batch = 2^−s in epoch {@code epoch} (1-based): batch rounded down to a power of two. */
    public int shift(final int epoch)
    {
        return rateShift + 31 - Integer.numberOfLeadingZeros(batch) + (rateHalving == 0 ? 0 : (epoch - 1) / rateHalving);
    }

    /**
     * What identifies a run for its checkpoints: everything of {@link #describe} but the epochs (a run extended by
     * more epochs continues), plus this party's data splits and model id (null for P2), hashed.
     */
    public String runKey(final NetworkSpec spec, final int fractionBits, final int rows, final java.util.List<String> datasets,
        final String modelId)
    {
        final String text = describe(spec, fractionBits, rows).replace("/epochs " + epochs + "/", "/") + "/data "
            + (datasets == null ? "-" : String.join(",", datasets)) + "/model " + (modelId == null ? "-" : modelId);
        return java.util.HexFormat.of().formatHex(securenn.service.SessionHandshake.sha256(text));
    }

    /**
     * Fails unless every epoch's truncation by 2^−(f + s) stays within the ring's headroom (f + s ≤ 62), checked before
     * any session so that a long run cannot fail at its last epochs' rate halvings.
     */
    public void requireShiftsFit(final int fractionBits)
    {
        final int worst = shift(epochs) + fractionBits;
        if (worst > 62)
        {
            throw new IllegalArgumentException("with batch " + batch + ", rate 2^-" + rateShift + " halved every " + rateHalving
                + " epochs, epoch " + epochs + " would truncate by 2^-" + worst + " (fraction bits " + fractionBits
                + "): at most 62; use fewer halvings or a larger rate");
        }
    }

    /** Everything the parties must agree on, as text (hashed by the handshake). */
    public String describe(final NetworkSpec spec, final int fractionBits, final int rows)
    {
        return spec.describe() + "/fraction-bits " + fractionBits + "/rows " + rows + "/epochs " + epochs + "/batch " + batch
            + "/rate 2^-" + rateShift + "/halving " + rateHalving + "/" + rule.describe() + "/order " + orderSeed
            + "/checkpoint " + checkpointEvery + "/limit " + limit;
    }
}
