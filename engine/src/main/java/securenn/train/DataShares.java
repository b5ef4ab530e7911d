package securenn.train;

import securenn.mpc.Role;
import securenn.nn.HeaderLines;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One party's shares of a training set — images and one-hot labels in fixed point — read from one or more data
 * owners' files and concatenated in the order given.
 * <pre>
 *   SECURENN-DATA-SHARES 1\n
 *   party P0|P1\n  dataset ID\n  fraction-bits F\n  rows N\n  image-size I\n  label-size K\n
 *   N rows of I + K little-endian longs: the row's image share, then its label share
 * </pre>
 * The dataset id is random (drawn when the owner split the set), so it names a split without fingerprinting the data.
 * Reading checks every field, the exact length, and that all files agree on party, precision and sizes.
 */
public record DataShares(Role party, int fractionBits, int rows, int imageSize, int labelSize, List<String> datasets,
    MemorySegment images, MemorySegment labels)
{
    static final String MAGIC = "SECURENN-DATA-SHARES 1";
    /** Rows a file may declare: 16M (MNIST has 60,000). */
    static final int MAX_ROWS = 1 << 24;

    /** Streams one party's file row by row, so a data owner never holds a whole split set. */
    public static final class Writer implements AutoCloseable
    {
        private final Path file;
        private final DataOutputStream out;
        private final int rows;
        private final int imageSize;
        private final int labelSize;
        private final ByteBuffer row;
        private int written;

        public Writer(final Path file, final Role party, final String dataset, final int fractionBits, final int rows,
            final int imageSize, final int labelSize) throws IOException
        {
            if (!party.holdsShares())
            {
                throw new IllegalArgumentException("only P0 and P1 hold data shares, not " + party);
            }
            this.file = file;
            this.rows = rows;
            this.imageSize = imageSize;
            this.labelSize = labelSize;
            this.row = ByteBuffer.allocate(8 * (imageSize + labelSize)).order(ByteOrder.LITTLE_ENDIAN);
            this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20));
            out.write((MAGIC + "\nparty " + party + "\ndataset " + dataset + "\nfraction-bits " + fractionBits + "\nrows "
                + rows + "\nimage-size " + imageSize + "\nlabel-size " + labelSize + "\n").getBytes(StandardCharsets.UTF_8));
        }

        public void row(final long[] image, final long[] label) throws IOException
        {
            if (image.length != imageSize || label.length != labelSize || written == rows)
            {
                throw new IllegalArgumentException(file + ": row " + written + " of " + rows + " has " + image.length + " + "
                    + label.length + " values, the file " + imageSize + " + " + labelSize);
            }
            row.clear();
            row.asLongBuffer().put(image).put(label);
            out.write(row.array());
            written++;
        }

        @Override
        public void close() throws IOException
        {
            out.close();
            if (written != rows)
            {
                throw new IOException(file + ": declared " + rows + " rows but " + written + " were written");
            }
        }
    }

    /**
     * Reads {@code party}'s files and concatenates them.
     *
     * @throws IOException naming the file and field that is wrong, or the two files that disagree
     */
    public static DataShares read(final List<Path> files, final Role party, final Arena arena) throws IOException
    {
        if (files.isEmpty())
        {
            throw new IllegalArgumentException("no data share files given");
        }
        final List<Header> headers = new ArrayList<>();
        long rows = 0;
        for (final Path f : files)
        {
            final Header h = header(f);
            if (h.party != party)
            {
                throw new IOException(f + ": party is " + h.party + " but this is " + party + "'s training");
            }
            final Header first = headers.isEmpty() ? h : headers.get(0);
            if (h.fractionBits != first.fractionBits || h.imageSize != first.imageSize || h.labelSize != first.labelSize)
            {
                throw new IOException(f + " (fraction-bits " + h.fractionBits + ", image-size " + h.imageSize + ", label-size "
                    + h.labelSize + ") does not match " + files.get(0) + " (" + first.fractionBits + ", " + first.imageSize
                    + ", " + first.labelSize + ")");
            }
            headers.add(h);
            rows += h.rows;
        }
        if (rows > MAX_ROWS)
        {
            throw new IOException("the data share files hold " + rows + " rows together; at most " + MAX_ROWS);
        }
        final Header first = headers.get(0);
        final MemorySegment images = arena.allocate(Math.max(8, 8 * rows * first.imageSize), 64);
        final MemorySegment labels = arena.allocate(Math.max(8, 8 * rows * first.labelSize), 64);
        long at = 0;
        final List<String> datasets = new ArrayList<>();
        for (int i = 0; i < files.size(); i++)
        {
            readRows(files.get(i), headers.get(i), images, labels, at);
            at += headers.get(i).rows;
            datasets.add(headers.get(i).dataset);
        }
        return new DataShares(party, first.fractionBits, (int)rows, first.imageSize, first.labelSize, List.copyOf(datasets),
            images, labels);
    }

    private record Header(Role party, String dataset, int fractionBits, int rows, int imageSize, int labelSize, long dataOffset)
    {
    }

    private static Header header(final Path file) throws IOException
    {
        final String name = file.toString();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file))))
        {
            final String magic = HeaderLines.line(in, name);
            if (!magic.equals(MAGIC))
            {
                throw new IOException(name + ": not a securenn data share file of version 1 (first line '" + magic + "')");
            }
            long bytes = magic.length() + 1;
            final String[] values = new String[KEYS.length];
            for (int k = 0; k < KEYS.length; k++)
            {
                final String line = HeaderLines.line(in, name); // one byte per char: the header is ASCII
                bytes += line.length() + 1;
                if (!line.startsWith(KEYS[k] + " "))
                {
                    throw new IOException(name + ": expected '" + KEYS[k] + " …' but found '" + line + "'");
                }
                values[k] = line.substring(KEYS[k].length() + 1);
            }
            final Role party = switch (values[0])
            {
                case "P0" -> Role.P0;
                case "P1" -> Role.P1;
                default -> throw new IOException(name + ": field party is '" + values[0] + "', not P0 or P1");
            };
            if (!values[1].matches("[0-9a-f]{32}"))
            {
                throw new IOException(name + ": field dataset is '" + values[1] + "', not 32 hex digits");
            }
            final int f = positive(values[2], name, KEYS[2], 30, 0);
            final int rows = positive(values[3], name, KEYS[3], MAX_ROWS, 1);
            final int image = positive(values[4], name, KEYS[4], 1 << 20, 1);
            final int label = positive(values[5], name, KEYS[5], 1 << 16, 1);
            final long expected = bytes + 8L * rows * (image + label);
            if (Files.size(file) != expected)
            {
                throw new IOException(name + ": " + rows + " rows of " + image + " + " + label + " values need " + expected
                    + " bytes with this header but the file has " + Files.size(file) + " (truncated, or not what its header says)");
            }
            return new Header(party, values[1], f, rows, image, label, bytes);
        }
    }

    private static final String[] KEYS = {"party", "dataset", "fraction-bits", "rows", "image-size", "label-size"};

    /** A decimal field in [min, max], written exactly as {@link Writer} writes it. */
    private static int positive(final String text, final String file, final String key, final int max, final int min)
        throws IOException
    {
        if (!text.matches("0|[1-9][0-9]{0,8}"))
        {
            throw new IOException(file + ": field " + key + " is '" + text + "', not a decimal number");
        }
        final int v = Integer.parseInt(text);
        if (v < min || v > max)
        {
            throw new IOException(file + ": field " + key + " is " + v + ", outside " + min + ".." + max);
        }
        return v;
    }

    private static void readRows(final Path file, final Header h, final MemorySegment images, final MemorySegment labels,
        final long firstRow) throws IOException
    {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20)))
        {
            in.skipNBytes(h.dataOffset);
            final byte[] row = new byte[8 * (h.imageSize + h.labelSize)];
            for (long r = 0; r < h.rows; r++)
            {
                try
                {
                    in.readFully(row);
                }
                catch (final EOFException ex)
                {
                    throw new IOException(file + ": truncated at row " + r + " of " + h.rows, ex);
                }
                MemorySegment.copy(row, 0, images, ValueLayout.JAVA_BYTE, 8 * (firstRow + r) * h.imageSize, 8 * h.imageSize);
                MemorySegment.copy(row, 8 * h.imageSize, labels, ValueLayout.JAVA_BYTE, 8 * (firstRow + r) * h.labelSize,
                    8 * h.labelSize);
            }
        }
    }
}
