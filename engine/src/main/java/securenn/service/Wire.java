package securenn.service;

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
 *   request:  int 'SNRQ' | long request id | int n | n × long (this server's share of the encoded input)
 *   response: int 'SNRS' | long request id | byte status | OK: int k | k × long (this server's share of the logits)
 *                                                        | otherwise: int length | UTF-8 message
 * </pre>
 * A client sends the same request id with one share to P0 and the other to P1; each server answers with its share
 * of the output, which only the client can add up.
 */
public final class Wire
{
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
