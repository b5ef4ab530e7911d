package securenn.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An MNIST-format split: 28×28 grey images and their labels 0–9, read from a directory holding the usual file names
 * (gzipped or not): {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
 * {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]}. The project ships a 100-image test
 * sample as a resource; the full set is in {@code ../shared/datasets/mnist/}.
 */
public record Mnist(int count, int rows, int cols, byte[] pixels, byte[] labels)
{
    public enum Split
    {
        TRAIN("train"), TEST("t10k");

        final String prefix;

        Split(final String prefix)
        {
            this.prefix = prefix;
        }
    }

    /** Reads one split from {@code dir}, checking that images and labels agree. */
    public static Mnist load(final Path dir, final Split split) throws IOException
    {
        return of(Idx.read(find(dir, split.prefix + "-images-idx3-ubyte")), Idx.read(find(dir, split.prefix + "-labels-idx1-ubyte")),
            dir + " (" + split.prefix + ")");
    }

    /** The 100 test images shipped with the project. */
    public static Mnist sample() throws IOException
    {
        return of(resource("t10k-images-idx3-ubyte.gz"), resource("t10k-labels-idx1-ubyte.gz"), "the bundled sample");
    }

    static Mnist of(final Idx.Array images, final Idx.Array labels, final String where) throws IOException
    {
        if (images.dims().length != 3)
        {
            throw new IOException(where + ": images must have 3 dimensions (count, rows, cols) but have " + images);
        }
        if (labels.dims().length != 1)
        {
            throw new IOException(where + ": labels must have 1 dimension but have " + labels);
        }
        if (images.count() != labels.count())
        {
            throw new IOException(where + ": " + images.count() + " images but " + labels.count() + " labels");
        }
        for (final byte l : labels.data())
        {
            if (l < 0 || l > 9)
            {
                throw new IOException(where + ": label " + l + " is not a digit 0–9");
            }
        }
        return new Mnist(images.count(), images.dims()[1], images.dims()[2], images.data(), labels.data());
    }

    public int imageSize()
    {
        return rows * cols;
    }

    public int label(final int i)
    {
        return labels[i];
    }

    /** Pixel p of image i in [0, 1]. */
    public double pixel(final int i, final int p)
    {
        return (pixels[i * imageSize() + p] & 0xFF) / 255.0;
    }

    /** Pixel p of image i as its byte value 0–255. */
    public int pixelByte(final int i, final int p)
    {
        return pixels[i * imageSize() + p] & 0xFF;
    }

    /** The first n images (or all if fewer). */
    public Mnist head(final int n)
    {
        final int k = Math.min(n, count);
        return new Mnist(k, rows, cols, java.util.Arrays.copyOf(pixels, k * imageSize()), java.util.Arrays.copyOf(labels, k));
    }

    private static Path find(final Path dir, final String base) throws IOException
    {
        for (final String name : new String[]{base + ".gz", base})
        {
            final Path p = dir.resolve(name);
            if (Files.isRegularFile(p))
            {
                return p;
            }
        }
        throw new IOException(dir + ": neither " + base + ".gz nor " + base + " found (expected MNIST IDX files)");
    }

    private static Idx.Array resource(final String name) throws IOException
    {
        try (InputStream in = Mnist.class.getResourceAsStream("/securenn/sample/" + name))
        {
            if (in == null)
            {
                throw new IOException("bundled sample " + name + " is missing from the classpath");
            }
            return Idx.read(new java.util.zip.GZIPInputStream(in), name);
        }
    }
}
