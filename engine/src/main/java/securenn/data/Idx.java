package securenn.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The IDX format of MNIST (LeCun): a magic number 0x0000TTDD (TT = 0x08 for unsigned bytes, DD = number of
 * dimensions), DD big-endian int32 dimension sizes, then the data row-major. Files may be gzipped (detected by their
 * first two bytes). Only unsigned-byte data is supported, which is what MNIST and Fashion-MNIST use.
 */
public final class Idx
{
    /** An IDX array of unsigned bytes with its dimensions. */
    public record Array(int[] dims, byte[] data)
    {
        public int count()
        {
            return dims[0];
        }

        /** Elements per item: the product of all dimensions but the first. */
        public int itemSize()
        {
            int size = 1;
            for (int i = 1; i < dims.length; i++)
            {
                size *= dims[i];
            }
            return size;
        }

        @Override
        public String toString()
        {
            return "IDX" + Arrays.toString(dims);
        }
    }

    private static final int UNSIGNED_BYTE = 0x08;

    private Idx()
    {
    }

    public static Array read(final Path file) throws IOException
    {
        if (!Files.isRegularFile(file))
        {
            throw new IOException(file + ": no such file");
        }
        try (InputStream in = open(file))
        {
            return read(in, file.toString());
        }
    }

    static Array read(final InputStream raw, final String name) throws IOException
    {
        final DataInputStream in = new DataInputStream(raw);
        final int magic;
        try
        {
            magic = in.readInt();
        }
        catch (final EOFException ex)
        {
            throw new IOException(name + ": empty or truncated IDX header");
        }
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != UNSIGNED_BYTE || (magic & 0xFF) < 1 || (magic & 0xFF) > 4)
        {
            throw new IOException(name + ": not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic)
                + ", expected 0x000008DD with 1 ≤ DD ≤ 4)");
        }
        final int[] dims = new int[magic & 0xFF];
        long total = 1;
        for (int i = 0; i < dims.length; i++)
        {
            try
            {
                dims[i] = in.readInt();
            }
            catch (final EOFException ex)
            {
                throw new IOException(name + ": truncated IDX header (dimension " + i + " of " + dims.length + ")");
            }
            if (dims[i] < 0)
            {
                throw new IOException(name + ": negative dimension " + dims[i]);
            }
            total *= dims[i];
            if (total > Integer.MAX_VALUE - 16) // checked per dimension: the product of several could overflow a long
            {
                throw new IOException(name + ": dimensions " + java.util.Arrays.toString(java.util.Arrays.copyOf(dims, i + 1))
                    + " make more elements than an IDX array here can hold");
            }
        }
        final byte[] data = new byte[(int)total];
        int read = 0;
        while (read < data.length)
        {
            final int n = in.read(data, read, data.length - read);
            if (n < 0)
            {
                throw new IOException(name + ": truncated: header " + Arrays.toString(dims) + " promises " + total
                    + " bytes but the file holds " + read);
            }
            read += n;
        }
        if (in.read() >= 0)
        {
            throw new IOException(name + ": trailing bytes after " + total + " data bytes " + Arrays.toString(dims));
        }
        return new Array(dims, data);
    }

    /** Writes an unsigned-byte IDX file, gzipped when the name ends in {@code .gz}. */
    public static void write(final Path file, final Array array) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt((UNSIGNED_BYTE << 8) | array.dims().length);
            for (final int d : array.dims())
            {
                out.writeInt(d);
            }
            out.write(array.data());
        }
        try (OutputStream out = file.toString().endsWith(".gz") ? new GZIPOutputStream(Files.newOutputStream(file))
            : Files.newOutputStream(file))
        {
            bytes.writeTo(out);
        }
    }

    private static InputStream open(final Path file) throws IOException
    {
        final BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        final int b0 = in.read();
        final int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }
}
