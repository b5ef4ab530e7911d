package securenn.kernels;

/**
 * Geometry of a 2-D convolution over a batch of images in NCHW layout (batch, channels, height, width), with a
 * square stride and symmetric zero padding. Validated on construction.
 */
public record ConvShape(int batch, int channels, int height, int width, int kernelH, int kernelW, int stride, int padding)
{
    public ConvShape
    {
        KernelChecks.requirePositive("batch", batch);
        KernelChecks.requirePositive("channels", channels);
        KernelChecks.requirePositive("height", height);
        KernelChecks.requirePositive("width", width);
        KernelChecks.requirePositive("kernelH", kernelH);
        KernelChecks.requirePositive("kernelW", kernelW);
        KernelChecks.requirePositive("stride", stride);
        KernelChecks.requireNonNegative("padding", padding);
        if (height + 2L * padding < kernelH || width + 2L * padding < kernelW)
        {
            throw new IllegalArgumentException("kernel " + kernelH + "×" + kernelW + " is larger than the padded image "
                + (height + 2 * padding) + "×" + (width + 2 * padding));
        }
        final long cols = (long)batch * ((height + 2L * padding - kernelH) / stride + 1) * ((width + 2L * padding - kernelW) / stride + 1);
        KernelChecks.requireIntCount("im2col columns (batch·outH·outW)", cols);
        KernelChecks.requireIntCount("im2col rows (channels·kernelH·kernelW)", (long)channels * kernelH * kernelW);
    }

    public int outHeight()
    {
        return (height + 2 * padding - kernelH) / stride + 1;
    }

    public int outWidth()
    {
        return (width + 2 * padding - kernelW) / stride + 1;
    }

    /** Rows of the im2col matrix: one per (channel, ky, kx). */
    public int patchSize()
    {
        return channels * kernelH * kernelW;
    }

    /** Columns of the im2col matrix: one per (image, oy, ox). */
    public int columns()
    {
        return batch * outHeight() * outWidth();
    }

    /** Number of input elements, batch·channels·height·width. */
    public long imageElements()
    {
        return (long)batch * channels * height * width;
    }

    @Override
    public String toString()
    {
        return "conv[N=" + batch + " C=" + channels + " " + height + "×" + width + " kernel " + kernelH + "×" + kernelW
            + " stride " + stride + " pad " + padding + "]";
    }
}
