package securenn.mpc;

import securenn.kernels.ConvShape;
import securenn.kernels.Im2Col;

import java.lang.foreign.MemorySegment;

/**
 * A public linear map over Z_{2^64} applied to a product's result (e.g. col2im after a convolution's input gradient):
 * shares map to shares of the mapped value, so P2 can correct the triple in the mapped (smaller) space instead.
 */
public interface LinearMap
{
    /** Number of output values. */
    long outputSize();

    /** Writes every output value of the map of {@code in} into {@code out}. */
    void apply(MemorySegment in, MemorySegment out);

    /** col2im for {@code shape}: sums each column entry back into the image position it came from. */
    static LinearMap col2im(final ConvShape shape)
    {
        return new LinearMap()
        {
            @Override
            public long outputSize()
            {
                return (long)shape.batch() * shape.channels() * shape.height() * shape.width();
            }

            @Override
            public void apply(final MemorySegment cols, final MemorySegment image)
            {
                image.fill((byte)0);
                Im2Col.col2imAdd(shape, cols, image);
            }
        };
    }
}
