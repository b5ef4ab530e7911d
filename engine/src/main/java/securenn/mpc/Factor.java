package securenn.mpc;

import securenn.kernels.ConvShape;
import securenn.kernels.Im2Col;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A shared matrix opened once against a Beaver mask, so that it can be a factor of any number of products
 * ({@link MatMul#multiply(Party, Factor, securenn.kernels.Transpose, Factor, securenn.kernels.Transpose,
 * MemorySegment, int, int, int)}) without being opened again: the forward pass's inputs and weights are reused by
 * backprop's weight and input gradients, and δ by both.
 *
 * <p>P0 and P1 hold {@code mask} = their share A_j of the mask (drawn from the stream each shares with P2) and
 * {@code opened} = E = X − A; P2 holds the whole mask A and no opened value. The fixed-point twin holds the value
 * itself as {@code opened} (a zero mask, {@code mask} null). Reusing E with fresh masks on the other factor is
 * secure: E is one uniform pad of X, published once; every product's correction A·B − C0 reaches P1 masked by P0's
 * fresh C0.
 *
 * <p>A factor is linear in X, so any public linear map of X is a factor of the mapped matrix: {@link #im2col} turns
 * the opened input of a convolution into its column matrix without opening the (k²-fold larger) columns.
 */
public record Factor(MemorySegment mask, MemorySegment opened)
{
    /** A value in the clear (the twin): its own opening under a zero mask. */
    public static Factor plain(final MemorySegment value)
    {
        return new Factor(null, value);
    }

    /** The factor of im2col(X), for the given convolution shape. */
    public Factor im2col(final Arena arena, final ConvShape shape)
    {
        return new Factor(columns(arena, shape, mask), columns(arena, shape, opened));
    }

    private static MemorySegment columns(final Arena arena, final ConvShape shape, final MemorySegment image)
    {
        if (image == null)
        {
            return null;
        }
        final MemorySegment cols = Party.longsForOverwrite(arena, (long)shape.patchSize() * shape.columns());
        Im2Col.im2col(shape, image, cols); // writes every entry
        return cols;
    }
}
