package securenn.train;

import securenn.data.Mnist;
import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.mpc.SecretSplitter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The data owner's step: encodes a labelled image set in fixed point (pixel p as p/255, labels one-hot, value 1 at
 * the label) and streams fresh additive shares of every value to P0's and P1's data share files, one row at a time.
 */
public final class DataOwner
{
    private DataOwner()
    {
    }

    /**
     * Splits the first {@code rows} images of {@code set} into {@code p0} and {@code p1}; returns the new random
     * dataset id both files carry.
     *
     * @param source names the set in errors (e.g. its directory)
     */
    public static String split(final Mnist set, final String source, final int rows, final int classes, final FixedPoint fp,
        final SecretSplitter owner, final Path p0, final Path p1) throws IOException
    {
        if (rows < 1 || rows > set.count())
        {
            throw new IllegalArgumentException(source + " holds " + set.count() + " images; cannot share " + rows);
        }
        final String dataset = owner.newModelId();
        final int size = set.imageSize();
        final long[] x = new long[size];
        final long[] oneHot = new long[classes];
        final long[][] image = {new long[size], new long[size]};
        final long[][] label = {new long[classes], new long[classes]};
        try (DataShares.Writer w0 = new DataShares.Writer(p0, Role.P0, dataset, fp.fractionBits(), rows, size, classes);
            DataShares.Writer w1 = new DataShares.Writer(p1, Role.P1, dataset, fp.fractionBits(), rows, size, classes))
        {
            for (int i = 0; i < rows; i++)
            {
                final int y = set.label(i);
                if (y < 0 || y >= classes)
                {
                    throw new IllegalArgumentException(source + ": label of image " + i + " is " + y + ", not in 0.."
                        + (classes - 1) + " (--classes " + classes + ")");
                }
                for (int p = 0; p < size; p++)
                {
                    x[p] = fp.encode(set.pixel(i, p));
                }
                Arrays.fill(oneHot, 0);
                oneHot[y] = fp.one();
                split(x, image, owner);
                split(oneHot, label, owner);
                w0.row(image[0], label[0]);
                w1.row(image[1], label[1]);
            }
        }
        return dataset;
    }

    /** shares[0] = mask, shares[1] = value − mask. */
    private static void split(final long[] values, final long[][] shares, final SecretSplitter owner)
    {
        for (int i = 0; i < values.length; i++)
        {
            final long r = owner.nextMask();
            shares[0][i] = r;
            shares[1][i] = values[i] - r;
        }
    }
}
