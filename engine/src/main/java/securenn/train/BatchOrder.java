package securenn.train;

import java.util.SplittableRandom;

/**
 * The order in which {@code train} and {@code train-party} visit the training images: a Fisher–Yates shuffle per epoch from the run's
 * {@code --seed}. The order is public (the parties see which batch is which anyway), so a reproducible
 * non-cryptographic generator is right here — and kept in this one class so that the check that no secret is split
 * with SplittableRandom ({@code SecretRandomnessPolicyTest}) can allow exactly this use. Secure and twin runs with
 * one seed visit the same order.
 */
public final class BatchOrder
{
    private final SplittableRandom rnd;
    private final int[] order;

    public BatchOrder(final long seed, final int images)
    {
        this.rnd = new SplittableRandom(seed);
        this.order = new int[images];
    }

    /** A fresh permutation of the image indices for the next epoch (the array is reused). */
    public int[] nextEpoch()
    {
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--)
        {
            final int j = rnd.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
