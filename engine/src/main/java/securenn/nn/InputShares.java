package securenn.nn;

import securenn.mpc.Role;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One party's share of a batch of tensors (network inputs or outputs), as a file:
 * <pre>
 *   SECURENN-TENSOR-SHARES\n
 *   party P0|P1\n  network NAME\n  kind input|output\n  count N\n  width W\n
 *   N·W little-endian longs
 * </pre>
 * Reading checks every field and the exact length, naming the file and the problem.
 */
public record InputShares(Role party, String network, String kind, int count, int width, MemorySegment data)
{
    private static final String MAGIC = "SECURENN-TENSOR-SHARES";

    public static void write(final Path file, final InputShares s) throws IOException
    {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file))))
        {
            out.write((MAGIC + "\nparty " + s.party + "\nnetwork " + s.network + "\nkind " + s.kind + "\ncount " + s.count
                + "\nwidth " + s.width + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(s.data.asSlice(0, 8L * s.count * s.width).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    public static InputShares read(final Path file, final Arena arena) throws IOException
    {
        final String name = file.toString();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file))))
        {
            expect(line(in, name), MAGIC, name, "magic");
            final Role party = Role.parse(field(in, name, "party"));
            final String network = field(in, name, "network");
            final String kind = field(in, name, "kind");
            if (!kind.equals("input") && !kind.equals("output"))
            {
                throw new IOException(name + ": kind must be input or output but is '" + kind + "'");
            }
            final int count = number(field(in, name, "count"), name, "count");
            final int width = number(field(in, name, "width"), name, "width");
            final long bytes = 8L * count * width;
            final MemorySegment data = arena.allocate(Math.max(8, bytes), 64).asSlice(0, bytes);
            final byte[] buf = new byte[(int)Math.min(bytes, 1 << 20)];
            for (long done = 0; done < bytes; )
            {
                final int n = (int)Math.min(buf.length, bytes - done);
                try
                {
                    in.readFully(buf, 0, n);
                }
                catch (final EOFException ex)
                {
                    throw new IOException(name + ": truncated: " + count + "×" + width + " values declared, file ends after "
                        + (done / 8) + " (" + done + " bytes)", ex);
                }
                MemorySegment.copy(buf, 0, data, ValueLayout.JAVA_BYTE, done, n);
                done += n;
            }
            if (in.read() != -1)
            {
                throw new IOException(name + ": trailing bytes after " + count + "×" + width + " values");
            }
            return new InputShares(party, network, kind, count, width, data);
        }
    }

    private static String field(final DataInputStream in, final String name, final String key) throws IOException
    {
        final String l = line(in, name);
        if (!l.startsWith(key + " "))
        {
            throw new IOException(name + ": expected '" + key + " …' but found '" + l + "'");
        }
        return l.substring(key.length() + 1).trim();
    }

    private static int number(final String text, final String name, final String key) throws IOException
    {
        try
        {
            final int v = Integer.parseInt(text);
            if (v < 0 || v > 1 << 24)
            {
                throw new IOException(name + ": " + key + " " + v + " is out of range");
            }
            return v;
        }
        catch (final NumberFormatException ex)
        {
            throw new IOException(name + ": " + key + " '" + text + "' is not a number");
        }
    }

    private static void expect(final String actual, final String expected, final String name, final String what) throws IOException
    {
        if (!actual.equals(expected))
        {
            throw new IOException(name + ": not a securenn tensor share file (" + what + " '" + actual + "')");
        }
    }

    private static String line(final DataInputStream in, final String name) throws IOException
    {
        final StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read())
        {
            if (c == -1 || sb.length() > 200)
            {
                throw new IOException(name + ": truncated or malformed header");
            }
            sb.append((char)c);
        }
        return sb.toString();
    }
}
