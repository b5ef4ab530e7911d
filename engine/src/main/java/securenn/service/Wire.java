package securenn.service;

import securenn.nn.Preprocessing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The client ↔ server frames of the inference service (TCP, big-endian headers, little-endian share payload).
 * <pre>
 *   hello:    int 'SNHI' | int version (2) | byte role | int channels | int height | int width | int outputs
 *             | int fraction bits | short length | UTF-8 network name | short length | UTF-8 model id
 *             | double input scale | byte k | k × (double mean, double std)   (the input preprocessing, per channel)
 *   request:  int 'SNRQ' | long request id | int n | n × long (this server's share of the encoded input)
 *   response: int 'SNRS' | long request id | byte status | OK: int k | k × long (this server's share of the logits)
 *                                                        | otherwise: int length | UTF-8 message
 * </pre>
 * A server sends its hello when a client connects: its public parameters (which server it is, the network's
 * input geometry and outputs, the fixed-point precision of its shares, the model's random id), so that a client checks
 * that its two connections reach two different servers holding shares of the same model, and encodes its input as the
 * model expects. A client sends the same request id with one share to P0 and the other to P1; each server answers
 * with its share of the output, which only the client can add up.
 */
public final class Wire
{
    public static final int HELLO_MAGIC = 0x534E_4849;
    public static final int HELLO_VERSION = 2;
    public static final int REQUEST_MAGIC = 0x534E_5251;
    public static final int RESPONSE_MAGIC = 0x534E_5253;
    /** Largest input a request may carry (longs): far above any built-in network's, small enough to bound memory. */
    public static final int MAX_ELEMENTS = 1 << 20;

    /** Response status codes. */
    public enum Status
    {
        OK, REJECTED, TIMEOUT, BAD_REQUEST, SHUTTING_DOWN, FAILED, UNAVAILABLE;

        static Status of(final int code) throws IOException
        {
            if (code < 0 || code >= values().length)
            {
                throw new IOException("unknown response status " + code);
            }
            return values()[code];
        }
    }

    /** A server's public parameters, as its hello carries them. */
    public record Hello(int role, int channels, int height, int width, int outputs, int fractionBits, String network,
        String modelId, Preprocessing preprocessing)
    {
        /** A hello for a network that takes pixel / 255 (networks A–D). */
        public Hello(final int role, final int channels, final int height, final int width, final int outputs,
            final int fractionBits, final String network, final String modelId)
        {
            this(role, channels, height, width, outputs, fractionBits, network, modelId, Preprocessing.PIXELS);
        }

        public int inputSize()
        {
            return channels * height * width;
        }

        /** The fields every server of one deployment must agree on (all but the role). */
        public String describe()
        {
            return "network " + network + " (input " + channels + "×" + height + "×" + width + preprocessing.describe()
                + ", " + outputs + " outputs), " + fractionBits + " fraction bits, model " + modelId;
        }
    }

    /** A decoded request; {@code share} is null when the frame was well-formed but its length was refused. */
    public record Request(long id, long[] share, int declared)
    {
    }

    /** A decoded response: the output share on OK, else a message. */
    public record Response(long id, Status status, long[] share, String message)
    {
    }

    private Wire()
    {
    }

    public static void writeHello(final DataOutputStream out, final Hello h) throws IOException
    {
        out.writeInt(HELLO_MAGIC);
        out.writeInt(HELLO_VERSION);
        out.writeByte(h.role());
        out.writeInt(h.channels());
        out.writeInt(h.height());
        out.writeInt(h.width());
        out.writeInt(h.outputs());
        out.writeInt(h.fractionBits());
        out.writeUTF(h.network());
        out.writeUTF(h.modelId());
        final Preprocessing pre = h.preprocessing();
        out.writeDouble(pre.scale());
        out.writeByte(pre.mean().length);
        for (int c = 0; c < pre.mean().length; c++)
        {
            out.writeDouble(pre.mean()[c]);
            out.writeDouble(pre.std()[c]);
        }
    }

    /** Reads a server's hello; throws naming what is wrong if the stream does not start with one of this version. */
    public static Hello readHello(final DataInputStream in) throws IOException
    {
        final int magic = in.readInt();
        if (magic != HELLO_MAGIC)
        {
            throw new IOException(String.format("not a securenn inference server (first frame magic 0x%08x, expected "
                + "0x%08x: a server older than this client, or another service)", magic, HELLO_MAGIC));
        }
        final int version = in.readInt();
        if (version != HELLO_VERSION)
        {
            throw new IOException("the server speaks protocol version " + version + ", this client " + HELLO_VERSION);
        }
        final int role = in.readUnsignedByte();
        final int channels = in.readInt(), height = in.readInt(), width = in.readInt(), outputs = in.readInt();
        final int fractionBits = in.readInt();
        final String network = in.readUTF(), modelId = in.readUTF();
        final Hello h = new Hello(role, channels, height, width, outputs, fractionBits, network, modelId, preprocessing(in));
        if (h.channels() < 1 || h.height() < 1 || h.width() < 1 || (long)h.channels() * h.height() * h.width() > MAX_ELEMENTS
            || h.outputs() < 1 || h.outputs() > MAX_ELEMENTS || h.fractionBits() < 0 || h.fractionBits() > 30 || role > 1)
        {
            throw new IOException("the server's hello is out of range: role " + role + ", " + h.describe());
        }
        return h;
    }

    /** The input preprocessing the model takes: the client applies it before splitting (it is public, like the shape). */
    private static Preprocessing preprocessing(final DataInputStream in) throws IOException
    {
        final double scale = in.readDouble();
        final int channels = in.readUnsignedByte();
        final double[] mean = new double[channels];
        final double[] std = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            mean[c] = in.readDouble();
            std[c] = in.readDouble();
        }
        try
        {
            return new Preprocessing(scale, mean, std);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException("the server's hello has bad input preprocessing: " + ex.getMessage(), ex);
        }
    }

    public static void writeRequest(final DataOutputStream out, final long id, final long[] share) throws IOException
    {
        out.writeInt(REQUEST_MAGIC);
        out.writeLong(id);
        out.writeInt(share.length);
        out.write(toBytes(share));
    }

    /**
     * Reads one request. Returns null at a clean end of stream; throws on a broken frame (wrong magic, truncated).
     * A declared length above {@code maxElements} is skipped without allocating and returned with a null share.
     */
    public static Request readRequest(final DataInputStream in, final int maxElements) throws IOException
    {
        final int magic;
        try
        {
            magic = in.readInt();
        }
        catch (final EOFException ex)
        {
            return null;
        }
        if (magic != REQUEST_MAGIC)
        {
            throw new IOException(String.format("not a securenn request (magic 0x%08x, expected 0x%08x)", magic, REQUEST_MAGIC));
        }
        final long id = in.readLong();
        final int n = in.readInt();
        if (n < 0 || n > MAX_ELEMENTS)
        {
            throw new IOException("request " + id + " declares " + n + " elements (allowed: 0.." + MAX_ELEMENTS + ")");
        }
        if (n > maxElements)
        {
            in.skipNBytes(8L * n);
            return new Request(id, null, n);
        }
        final byte[] bytes = new byte[8 * n];
        in.readFully(bytes);
        return new Request(id, fromBytes(bytes, n), n);
    }

    public static void writeOk(final DataOutputStream out, final long id, final long[] share) throws IOException
    {
        out.writeInt(RESPONSE_MAGIC);
        out.writeLong(id);
        out.writeByte(Status.OK.ordinal());
        out.writeInt(share.length);
        out.write(toBytes(share));
    }

    public static void writeError(final DataOutputStream out, final long id, final Status status, final String message)
        throws IOException
    {
        final byte[] text = message.getBytes(StandardCharsets.UTF_8);
        out.writeInt(RESPONSE_MAGIC);
        out.writeLong(id);
        out.writeByte(status.ordinal());
        out.writeInt(text.length);
        out.write(text);
    }

    /** Reads one response; null at a clean end of stream. */
    public static Response readResponse(final DataInputStream in) throws IOException
    {
        final int magic;
        try
        {
            magic = in.readInt();
        }
        catch (final EOFException ex)
        {
            return null;
        }
        if (magic != RESPONSE_MAGIC)
        {
            throw new IOException(String.format("not a securenn response (magic 0x%08x)", magic));
        }
        final long id = in.readLong();
        final Status status = Status.of(in.readUnsignedByte());
        final int n = in.readInt();
        if (n < 0 || n > MAX_ELEMENTS)
        {
            throw new IOException("response " + id + " declares " + n + " elements");
        }
        if (status == Status.OK)
        {
            final byte[] bytes = new byte[8 * n];
            in.readFully(bytes);
            return new Response(id, status, fromBytes(bytes, n), null);
        }
        final byte[] text = new byte[n];
        in.readFully(text);
        return new Response(id, status, null, new String(text, StandardCharsets.UTF_8));
    }

    private static byte[] toBytes(final long[] v)
    {
        final ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(v);
        return b.array();
    }

    private static long[] fromBytes(final byte[] bytes, final int n)
    {
        final long[] v = new long[n];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
        return v;
    }
}
