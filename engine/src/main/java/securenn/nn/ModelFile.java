package securenn.nn;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.mpc.SecretSplitter;
import securenn.mpc.Shares;

/**
 * Model files. Both kinds start with a text header and continue in binary (all numbers little-endian):
 * <pre>
 *   plaintext model (the model owner's):          share file (one per server, P0 or P1):
 *   SECURENN-MODEL 1\n                           SECURENN-SHARES 2\n
 *   name A\n                                     name A\n
 *   &lt;network description lines&gt;                  party P0\n
 *   end\n                                        fraction-bits 13\n
 *   tensors 6\n                                  model-id &lt;random 128-bit id of the split, hex&gt;\n
 *   then per tensor: int64 count, count float64  &lt;network description lines&gt;
 *                                                end\n
 *                                                tensors 6\n
 *                                                then per tensor: int64 count, count int64 shares
 * </pre>
 * Tensor order and layouts are those of {@link NetworkSpec}. A reader checks every count against the network and
 * fails naming the file, the tensor and the mismatch; a model's values must be finite.
 *
 * <p>Share files of version 1 ({@code SECURENN-SHARES 1}) are refused: they were split with SplitMix64, whose masks
 * P1 can recover from its own file (and so every weight), and their model id was the SHA-256 of the plaintext model.
 * Only {@code securenn reconstruct --allow-version-1} still reads them, so that a model owner can recover a model
 * from old files and split it again.
 */
public final class ModelFile
{
    private static final String MODEL_MAGIC = "SECURENN-MODEL 1";
    private static final String SHARES_MAGIC = "SECURENN-SHARES 2";
    private static final String LEAKED_SHARES_MAGIC = "SECURENN-SHARES 1";
    private static final Pattern MODEL_ID = Pattern.compile("[0-9a-f]{32}");

    /** One server's shares of a model, ready for secure inference. */
    public record SharedModel(NetworkSpec spec, Role party, int fractionBits, String modelId, MemorySegment[] params)
    {
        /** The same shares in memory of {@code arena}'s own: training the copy leaves these untouched. */
        public SharedModel copy(final Arena arena)
        {
            final MemorySegment[] own = new MemorySegment[params.length];
            for (int t = 0; t < own.length; t++)
            {
                own[t] = arena.allocate(params[t].byteSize(), 64).copyFrom(params[t]);
            }
            return new SharedModel(spec, party, fractionBits, modelId, own);
        }
    }

    private ModelFile()
    {
    }

    /** Writes a plaintext model; refuses (before writing) a NaN or infinite value, naming the tensor and element. */
    public static void write(final Path file, final Model model) throws IOException
    {
        for (int t = 0; t < model.params().length; t++)
        {
            for (int i = 0; i < model.params()[t].length; i++)
            {
                requireFinite(model.params()[t][i], file.toString(), model.spec(), t, i);
            }
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file)))
        {
            write(out, model);
        }
    }

    private static void write(final OutputStream raw, final Model model) throws IOException
    {
        final DataOutputStream out = new DataOutputStream(raw);
        header(out, MODEL_MAGIC, model.spec(), "");
        out.write(("tensors " + model.params().length + "\n").getBytes(StandardCharsets.UTF_8));
        for (final double[] t : model.params())
        {
            final ByteBuffer buf = ByteBuffer.allocate(8 + 8 * t.length).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(t.length);
            for (final double v : t)
            {
                buf.putDouble(v);
            }
            out.write(buf.array());
        }
        out.flush();
    }

    public static Model read(final Path file) throws IOException
    {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file)))
        {
            return read(in, file.toString());
        }
    }

    /** The demo model bundled with the project (network A trained by {@link FloatNetwork#train}). */
    public static Model bundled() throws IOException
    {
        try (InputStream in = ModelFile.class.getResourceAsStream("/securenn/models/A.model"))
        {
            if (in == null)
            {
                throw new IOException("the bundled model securenn/models/A.model is missing from the classpath");
            }
            return read(new BufferedInputStream(in), "bundled model A");
        }
    }

    static Model read(final InputStream raw, final String name) throws IOException
    {
        final DataInputStream in = new DataInputStream(raw);
        expectLine(in, MODEL_MAGIC, name);
        final NetworkSpec spec = spec(in, name, null);
        final double[][] params = new double[tensors(in, spec, name)][];
        for (int t = 0; t < params.length; t++)
        {
            final byte[] bytes = payload(in, name, t, expectedSize(spec, t));
            final ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            params[t] = new double[bytes.length / 8];
            for (int i = 0; i < params[t].length; i++)
            {
                params[t][i] = requireFinite(buf.getDouble(), name, spec, t, i);
            }
        }
        trailing(in, name);
        return new Model(spec, params);
    }

    /**
     * Encodes the model in fixed point and splits every tensor into shares for P0 (the splitter's masks) and P1 (the
     * value minus the mask), under a model id drawn at random for this split. A value that is NaN, infinite or out of
     * the fixed-point range fails naming the tensor and the element.
     */
    public static SharedModel[] split(final Model model, final FixedPoint fp, final Arena arena, final SecretSplitter splitter)
    {
        final String id = splitter.newModelId();
        final MemorySegment[] s0 = new MemorySegment[model.params().length];
        final MemorySegment[] s1 = new MemorySegment[model.params().length];
        for (int t = 0; t < s0.length; t++)
        {
            final double[] v = model.params()[t];
            s0[t] = arena.allocate(Math.max(1, v.length) * 8L, 64).asSlice(0, v.length * 8L);
            s1[t] = arena.allocate(Math.max(1, v.length) * 8L, 64).asSlice(0, v.length * 8L);
            for (int i = 0; i < v.length; i++)
            {
                s1[t].setAtIndex(Ring.LONG, i, encode(fp, v[i], model.spec(), t, i));
            }
            Shares.split(s1[t], s0[t], s1[t], v.length, splitter);
        }
        return new SharedModel[]{new SharedModel(model.spec(), Role.P0, fp.fractionBits(), id, s0),
            new SharedModel(model.spec(), Role.P1, fp.fractionBits(), id, s1)};
    }

    private static long encode(final FixedPoint fp, final double v, final NetworkSpec spec, final int tensor, final int element)
    {
        try
        {
            return fp.encode(v);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("network " + spec.name() + ", " + spec.parameterName(tensor) + " element "
                + element + ": " + ex.getMessage(), ex);
        }
    }

    private static double requireFinite(final double v, final String name, final NetworkSpec spec, final int tensor,
        final int element) throws IOException
    {
        if (!Double.isFinite(v))
        {
            throw new IOException(name + ": " + spec.parameterName(tensor) + " element " + element + " is " + v
                + "; a model holds finite values only");
        }
        return v;
    }

    /** The model owner's inverse of {@link #split}: adds P0's and P1's shares and decodes the fixed-point values. */
    public static Model reconstruct(final SharedModel p0, final SharedModel p1)
    {
        if (p0.party() != Role.P0 || p1.party() != Role.P1)
        {
            throw new IllegalArgumentException("need P0's and P1's shares but got " + p0.party() + " and " + p1.party());
        }
        if (!p0.modelId().equals(p1.modelId()) || p0.fractionBits() != p1.fractionBits()
            || !p0.spec().describe().equals(p1.spec().describe()))
        {
            throw new IllegalArgumentException("P0's and P1's shares belong to different models (model ids "
                + p0.modelId().substring(0, 12) + " and " + p1.modelId().substring(0, 12) + ")");
        }
        final FixedPoint fp = new FixedPoint(p0.fractionBits());
        final double[][] params = new double[p0.params().length][];
        for (int t = 0; t < params.length; t++)
        {
            params[t] = new double[(int)(p0.params()[t].byteSize() / 8)];
            for (int i = 0; i < params[t].length; i++)
            {
                params[t][i] = fp.decode(p0.params()[t].getAtIndex(Ring.LONG, i) + p1.params()[t].getAtIndex(Ring.LONG, i));
            }
        }
        return new Model(p0.spec(), params);
    }

    /** P0's and P1's shares added up into the model's fixed-point tensors over Z_L (no decoding), in {@code arena}. */
    public static MemorySegment[] openFixedPoint(final SharedModel p0, final SharedModel p1, final Arena arena)
    {
        final MemorySegment[] out = new MemorySegment[p0.params().length];
        for (int t = 0; t < out.length; t++)
        {
            final long size = p0.params()[t].byteSize() / 8;
            out[t] = arena.allocate(Math.max(1, size) * 8, 64).asSlice(0, size * 8);
            Shares.reconstruct(p0.params()[t], p1.params()[t], out[t], size);
        }
        return out;
    }

    public static void writeShares(final Path file, final SharedModel shares) throws IOException
    {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file))))
        {
            header(out, SHARES_MAGIC, shares.spec(), "party " + shares.party() + "\nfraction-bits " + shares.fractionBits()
                + "\nmodel-id " + shares.modelId() + "\n");
            out.write(("tensors " + shares.params().length + "\n").getBytes(StandardCharsets.UTF_8));
            for (final MemorySegment t : shares.params())
            {
                final ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                out.write(buf.putLong(t.byteSize() / 8).array());
                out.write(t.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            }
        }
    }

    /** Reads one party's share file; refuses version 1 files (see the class doc) and malformed model ids. */
    public static SharedModel readShares(final Path file, final Arena arena) throws IOException
    {
        return readShares(file, arena, false);
    }

    /**
     * As {@link #readShares(Path, Arena)}, but also reads version 1 files when {@code allowVersion1}: for the model
     * owner's {@code reconstruct} only, whose result must be split again, never for a party.
     */
    public static SharedModel readShares(final Path file, final Arena arena, final boolean allowVersion1) throws IOException
    {
        final String name = file.toString();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file))))
        {
            final boolean version1 = sharesVersion(in, name, allowVersion1);
            final String[] meta = new String[3];
            final NetworkSpec spec = spec(in, name, meta);
            if (!version1 && !MODEL_ID.matcher(meta[2]).matches())
            {
                throw new IOException(name + ": model-id '" + (meta[2].length() > 40 ? meta[2].substring(0, 40) + "…" : meta[2])
                    + "' is not 32 lowercase hex digits (the random 128-bit id securenn share writes)");
            }
            final Role party = switch (meta[0])
            {
                case "P0" -> Role.P0;
                case "P1" -> Role.P1;
                default -> throw new IOException(name + ": party must be P0 or P1 but is '" + meta[0] + "'");
            };
            final int f;
            try
            {
                f = Integer.parseInt(meta[1]);
            }
            catch (final NumberFormatException ex)
            {
                throw new IOException(name + ": fraction-bits '" + meta[1] + "' is not a number");
            }
            final MemorySegment[] params = new MemorySegment[tensors(in, spec, name)];
            for (int t = 0; t < params.length; t++)
            {
                final byte[] bytes = payload(in, name, t, expectedSize(spec, t));
                params[t] = arena.allocate(Math.max(8, bytes.length), 64).asSlice(0, bytes.length);
                MemorySegment.copy(bytes, 0, params[t], java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
            }
            trailing(in, name);
            return new SharedModel(spec, party, f, meta[2], params);
        }
    }

    /** Checks the first line of a share file; true for an accepted version 1 file. */
    private static boolean sharesVersion(final DataInputStream in, final String name, final boolean allowVersion1)
        throws IOException
    {
        final String l = line(in, name);
        if (l.equals(SHARES_MAGIC))
        {
            return false;
        }
        if (l.equals(LEAKED_SHARES_MAGIC))
        {
            if (allowVersion1)
            {
                return true;
            }
            throw new IOException(name + ": share file version 1 ('" + LEAKED_SHARES_MAGIC + "' on its first line) is refused "
                + "and must be treated as leaked: it was split with a predictable generator (SplitMix64), from which P1 can "
                + "recover every weight using its own file, and its model-id field is the SHA-256 of the plaintext model. "
                + "Split the plaintext model again with 'securenn share' (for old checkpoints, first "
                + "'securenn reconstruct --allow-version-1') and replace both P0's and P1's files.");
        }
        throw notThisKind(name, SHARES_MAGIC, l);
    }

    private static void header(final OutputStream out, final String magic, final NetworkSpec spec, final String meta)
        throws IOException
    {
        out.write((magic + "\nname " + spec.name() + "\n" + meta + spec.describe() + "end\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Reads "name", optional party/fraction-bits/model-id lines (into meta), the description and "end". */
    private static NetworkSpec spec(final DataInputStream in, final String name, final String[] meta) throws IOException
    {
        final String nameLine = line(in, name);
        if (!nameLine.startsWith("name "))
        {
            throw new IOException(name + ": expected 'name …' but found '" + nameLine + "'");
        }
        if (meta != null)
        {
            meta[0] = field(line(in, name), "party", name);
            meta[1] = field(line(in, name), "fraction-bits", name);
            meta[2] = field(line(in, name), "model-id", name);
        }
        final StringBuilder desc = new StringBuilder();
        for (String l = line(in, name); !l.equals("end"); l = line(in, name))
        {
            desc.append(l).append('\n');
        }
        try
        {
            return NetworkSpec.parse(nameLine.substring(5), desc.toString());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(name + ": bad network description: " + ex.getMessage(), ex);
        }
    }

    private static String field(final String line, final String key, final String name) throws IOException
    {
        if (!line.startsWith(key + " "))
        {
            throw new IOException(name + ": expected '" + key + " …' but found '" + line + "'");
        }
        return line.substring(key.length() + 1).trim();
    }

    private static int tensors(final DataInputStream in, final NetworkSpec spec, final String name) throws IOException
    {
        final String l = line(in, name);
        final int count;
        try
        {
            count = Integer.parseInt(field(l, "tensors", name));
        }
        catch (final NumberFormatException ex)
        {
            throw new IOException(name + ": bad tensor count line '" + l + "'");
        }
        if (count != spec.parameterCount())
        {
            throw new IOException(name + ": " + count + " tensors but network " + spec.name() + " has "
                + spec.parameterCount());
        }
        return count;
    }

    private static long expectedSize(final NetworkSpec spec, final int tensor)
    {
        int t = 0;
        for (final NetworkSpec.Layer l : spec.layers())
        {
            for (final long size : l.parameterSizes())
            {
                if (t++ == tensor)
                {
                    return size;
                }
            }
        }
        throw new IllegalStateException("tensor " + tensor);
    }

    private static byte[] payload(final DataInputStream in, final String name, final int tensor, final long expected)
        throws IOException
    {
        final byte[] countBytes = new byte[8];
        try
        {
            in.readFully(countBytes);
            final long count = ByteBuffer.wrap(countBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (count != expected)
            {
                throw new IOException(name + ": tensor " + tensor + " holds " + count + " values but the network needs "
                    + expected);
            }
            final byte[] bytes = new byte[Math.toIntExact(8 * count)];
            in.readFully(bytes);
            return bytes;
        }
        catch (final EOFException ex)
        {
            throw new IOException(name + ": truncated in tensor " + tensor, ex);
        }
    }

    private static void trailing(final DataInputStream in, final String name) throws IOException
    {
        if (in.read() >= 0)
        {
            throw new IOException(name + ": unexpected bytes after the last tensor");
        }
    }

    private static void expectLine(final DataInputStream in, final String expected, final String name) throws IOException
    {
        final String l = line(in, name);
        if (!l.equals(expected))
        {
            throw notThisKind(name, expected, l);
        }
    }

    private static IOException notThisKind(final String name, final String expected, final String found)
    {
        return new IOException(name + ": not a securenn file of this kind (expected '" + expected + "', found '"
            + (found.length() > 40 ? found.substring(0, 40) + "…" : found) + "')");
    }

    private static String line(final DataInputStream in, final String name) throws IOException
    {
        final StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read())
        {
            if (c < 0)
            {
                throw new IOException(name + ": truncated header");
            }
            if (sb.length() > 4096)
            {
                throw new IOException(name + ": header line too long (not a securenn file?)");
            }
            sb.append((char)c);
        }
        return sb.toString();
    }
}
