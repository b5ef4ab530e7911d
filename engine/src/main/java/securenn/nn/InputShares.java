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
            expect(HeaderLines.line(in, name), MAGIC, name, "magic");
            final Role party = Role.parse(HeaderLines.field(in, name, "party"));
            final String network = HeaderLines.field(in, name, "network");
            final String kind = HeaderLines.field(in, name, "kind");
            if (!kind.equals("input") && !kind.equals("output"))
            {
                throw new IOException(name + ": kind must be input or output but is '" + kind + "'");
            }
            final int count = HeaderLines.number(HeaderLines.field(in, name, "count"), name, "count", 1 << 24);
            final int width = HeaderLines.number(HeaderLines.field(in, name, "width"), name, "width", 1 << 24);
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

    private static void expect(final String actual, final String expected, final String name, final String what) throws IOException
    {
        if (!actual.equals(expected))
        {
            throw new IOException(name + ": not a securenn tensor share file (" + what + " '" + actual + "')");
        }
    }
}
