package securenn.api;

import java.util.Arrays;

/**
 * Plaintext values in row-major order with their shape, the first dimension the batch: a batch of network inputs
 * ({@code n × input size}) or of logits ({@code n × classes}). Immutable: the constructor and {@link #values} copy.
 */
public final class Tensor
{
    private final int[] shape;
    private final double[] values;

    /** A tensor of {@code shape}; {@code values} must hold exactly the product of its dimensions. */
    public Tensor(final int[] shape, final double[] values)
    {
        checkedShape(shape);
        final long size = elements(shape);
        if (size != values.length)
        {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size + " values but "
                + values.length + " were given");
        }
        this.shape = shape.clone();
        this.values = values.clone();
    }

    /** A copy of {@code shape} after checking it has at least one dimension and every dimension is at least 1. */
    static int[] checkedShape(final int[] shape)
    {
        if (shape.length < 1 || Arrays.stream(shape).anyMatch(d -> d < 1))
        {
            throw new IllegalArgumentException("a tensor's dimensions must all be at least 1 but were " + Arrays.toString(shape));
        }
        return shape.clone();
    }

    /** The product of the dimensions: how many values a tensor of {@code shape} holds. */
    static long elements(final int[] shape)
    {
        return Arrays.stream(shape).asLongStream().reduce(1, Math::multiplyExact);
    }

    /** A batch of {@code rows} rows of {@code width} values each. */
    public static Tensor rows(final int rows, final int width, final double[] values)
    {
        return new Tensor(new int[]{rows, width}, values);
    }

    public int[] shape()
    {
        return shape.clone();
    }

    /** The first dimension: how many inputs (or outputs) the tensor holds. */
    public int batch()
    {
        return shape[0];
    }

    /** Values per batch row: the product of every dimension but the first. */
    public int width()
    {
        return values.length / shape[0];
    }

    public double[] values()
    {
        return values.clone();
    }

    /** Value {@code i} of row {@code row}. */
    public double get(final int row, final int i)
    {
        if (row < 0 || row >= batch() || i < 0 || i >= width())
        {
            throw new IndexOutOfBoundsException("value " + i + " of row " + row + " is outside a tensor of " + batch()
                + " rows of " + width() + " values");
        }
        return values[row * width() + i];
    }

    /** The index of the largest value in each row (the first on ties): the predicted classes of logits. */
    public int[] argmax()
    {
        final int w = width();
        final int[] best = new int[batch()];
        for (int r = 0; r < best.length; r++)
        {
            for (int i = 1; i < w; i++)
            {
                if (values[r * w + i] > values[r * w + best[r]])
                {
                    best[r] = i;
                }
            }
        }
        return best;
    }

    @Override
    public String toString()
    {
        return "Tensor" + Arrays.toString(shape);
    }
}
