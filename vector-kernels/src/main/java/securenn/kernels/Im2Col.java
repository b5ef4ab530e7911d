package securenn.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Convolution as GEMM: the im2col rearrangement and its adjoint col2im, over Z_{2^64} longs.
 *
 * <p>Layout. The image is NCHW: {@code img[((n·C + c)·H + y)·W + x]}. The column matrix has
 * {@code patchSize = C·kh·kw} rows and {@code columns = N·outH·outW} columns, row-major:
 * <pre>
 *   cols[(c·kh + ky)·kw + kx][(n·outH + oy)·outW + ox] = img[n][c][oy·s + ky − pad][ox·s + kx − pad]   (0 outside)
 * </pre>
 * so a convolution with weights W (Cout × C·kh·kw, row-major — the natural layout of Cout filters) is
 * {@code W · cols}, an output of Cout × (N·outH·outW): channel-major, the long dimension innermost, which is the
 * product's fast direction for the vector GEMM. Backprop uses {@code col2im}, which sums every column entry back
 * into the pixel it came from (the adjoint of im2col).
 */
public final class Im2Col
{
    private Im2Col()
    {
    }

    /** Writes the column matrix of {@code image} into {@code cols}; every entry of {@code cols} is written. */
    public static void im2col(final ConvShape s, final MemorySegment image, final MemorySegment cols)
    {
        check(s, image, cols);
        final int oh = s.outHeight();
        final int ow = s.outWidth();
        final long columns = s.columns();
        for (int c = 0; c < s.channels(); c++)
        {
            for (int ky = 0; ky < s.kernelH(); ky++)
            {
                for (int kx = 0; kx < s.kernelW(); kx++)
                {
                    final long row = ((long)(c * s.kernelH() + ky) * s.kernelW() + kx) * columns;
                    for (int n = 0; n < s.batch(); n++)
                    {
                        final long plane = ((long)n * s.channels() + c) * s.height() * s.width();
                        final long outBase = row + (long)n * oh * ow;
                        for (int oy = 0; oy < oh; oy++)
                        {
                            final int y = oy * s.stride() + ky - s.padding();
                            final long outRow = outBase + (long)oy * ow;
                            if (y < 0 || y >= s.height())
                            {
                                cols.asSlice(outRow * Long.BYTES, (long)ow * Long.BYTES).fill((byte)0);
                                continue;
                            }
                            final long inRow = plane + (long)y * s.width();
                            for (int ox = 0; ox < ow; ox++)
                            {
                                final int x = ox * s.stride() + kx - s.padding();
                                final long v = x < 0 || x >= s.width() ? 0 : image.getAtIndex(Ring.LONG, inRow + x);
                                cols.setAtIndex(Ring.LONG, outRow + ox, v);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Adds every column entry back into its source pixel: {@code image += col2im(cols)}. Callers that want the
     * adjoint alone zero {@code image} first. Entries that came from padding are dropped.
     */
    public static void col2imAdd(final ConvShape s, final MemorySegment cols, final MemorySegment image)
    {
        check(s, image, cols);
        final int oh = s.outHeight();
        final int ow = s.outWidth();
        final long columns = s.columns();
        for (int c = 0; c < s.channels(); c++)
        {
            for (int ky = 0; ky < s.kernelH(); ky++)
            {
                for (int kx = 0; kx < s.kernelW(); kx++)
                {
                    final long row = ((long)(c * s.kernelH() + ky) * s.kernelW() + kx) * columns;
                    for (int n = 0; n < s.batch(); n++)
                    {
                        final long plane = ((long)n * s.channels() + c) * s.height() * s.width();
                        final long inBase = row + (long)n * oh * ow;
                        for (int oy = 0; oy < oh; oy++)
                        {
                            final int y = oy * s.stride() + ky - s.padding();
                            if (y < 0 || y >= s.height())
                            {
                                continue;
                            }
                            final long outRow = plane + (long)y * s.width();
                            final long colRow = inBase + (long)oy * ow;
                            for (int ox = 0; ox < ow; ox++)
                            {
                                final int x = ox * s.stride() + kx - s.padding();
                                if (x >= 0 && x < s.width())
                                {
                                    final long idx = outRow + x;
                                    image.setAtIndex(Ring.LONG, idx,
                                        image.getAtIndex(Ring.LONG, idx) + cols.getAtIndex(Ring.LONG, colRow + ox));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static void check(final ConvShape s, final MemorySegment image, final MemorySegment cols)
    {
        KernelChecks.requireLongs("image", image, s.imageElements(), s.toString());
        KernelChecks.requireLongs("cols", cols, (long)s.patchSize() * s.columns(), s + " im2col matrix");
        KernelChecks.requireDisjoint("cols", cols.asSlice(0, (long)s.patchSize() * s.columns() * Long.BYTES),
            "image", image.asSlice(0, s.imageElements() * Long.BYTES));
    }
}
