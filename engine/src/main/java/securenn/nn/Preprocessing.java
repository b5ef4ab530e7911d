package securenn.nn;

import securenn.data.Mnist;

import java.util.Arrays;

/**
 * How a network's input is made from image pixels (bytes 0–255): {@code x = (pixel · scale − mean[c]) / std[c]} per
 * channel c. A model trained elsewhere brings its own (PyTorch's {@code ToTensor} then {@code Normalize(mean, std)}
 * is scale 1/255 with that mean and std); the networks trained here take {@link #PIXELS}, pixel / 255.
 *
 * <p>It belongs to the network: {@link NetworkSpec} records it on its input line ({@code input 1 28 28 scale … mean …
 * std …}, only when it is not {@link #PIXELS}, so older files read unchanged) and so does every model and share file
 * that holds the network. {@link #apply} is the one place where images become network inputs, for the float twin,
 * the fixed-point twin and the secure path (whose data owner encodes what it returns).
 */
public record Preprocessing(double scale, double[] mean, double[] std)
{
    /** pixel / 255, no normalisation: the input the networks trained by this project take. */
    public static final Preprocessing PIXELS = new Preprocessing(1 / 255.0, new double[]{0}, new double[]{1});

    public Preprocessing
    {
        if (!Double.isFinite(scale) || scale <= 0)
        {
            throw new IllegalArgumentException("input scale " + scale + " must be positive and finite");
        }
        if (mean.length != std.length || mean.length == 0)
        {
            throw new IllegalArgumentException("input mean has " + mean.length + " value(s) but std has " + std.length
                + " (one per channel, or one for all channels)");
        }
        for (int c = 0; c < std.length; c++)
        {
            if (!Double.isFinite(mean[c]) || !Double.isFinite(std[c]) || std[c] <= 0)
            {
                throw new IllegalArgumentException("input mean " + mean[c] + " / std " + std[c]
                    + " of channel " + c + ": both must be finite and std positive");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** True for pixel / 255 without normalisation (what {@link #PIXELS} does, however it is written). */
    public boolean isPixels()
    {
        for (int c = 0; c < mean.length; c++)
        {
            if (mean[c] != 0 || std[c] != 1)
            {
                return false;
            }
        }
        return scale == PIXELS.scale;
    }

    /** Checks that this fits an input of {@code channels} channels (one value for all, or one per channel). */
    public void requireChannels(final int channels, final String where)
    {
        if (mean.length != 1 && mean.length != channels)
        {
            throw new IllegalArgumentException(where + ": input mean/std give " + mean.length + " values for " + channels
                + " channels (give one, or one per channel)");
        }
    }

    /** The input value of a pixel byte (0–255) in channel c. */
    public double apply(final int pixel, final int channel)
    {
        if (isPixels())
        {
            return pixel / 255.0; // bit-identical to what the project's models were trained and tested on
        }
        final int c = mean.length == 1 ? 0 : channel;
        return (pixel * scale - mean[c]) / std[c];
    }

    /** Images [from, from + n) of a one-channel dataset as network input (n × rows·cols). */
    public double[] apply(final Mnist data, final int from, final int n)
    {
        final int size = data.imageSize();
        final double[] x = new double[n * size];
        for (int s = 0; s < n; s++)
        {
            for (int p = 0; p < size; p++)
            {
                x[s * size + p] = apply(data.pixelByte(from + s, p), 0);
            }
        }
        return x;
    }

    /** The input line's options ({@code scale S mean M… std D…}), empty for {@link #PIXELS}. */
    public String describe()
    {
        if (isPixels())
        {
            return "";
        }
        final StringBuilder sb = new StringBuilder(" scale ").append(scale).append(" mean");
        for (final double m : mean)
        {
            sb.append(' ').append(m);
        }
        sb.append(" std");
        for (final double d : std)
        {
            sb.append(' ').append(d);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Preprocessing p && p.scale == scale && Arrays.equals(p.mean, mean) && Arrays.equals(p.std, std);
    }

    @Override
    public int hashCode()
    {
        return Double.hashCode(scale) * 31 + Arrays.hashCode(mean) * 17 + Arrays.hashCode(std);
    }

    @Override
    public String toString()
    {
        return isPixels() ? "pixel/255" : "(pixel·" + scale + " − " + Arrays.toString(mean) + ") / " + Arrays.toString(std);
    }
}
