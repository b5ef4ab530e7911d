package securenn.kernels.random;

import securenn.kernels.KernelChecks;
import securenn.kernels.Ring;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * A pseudorandom stream: the AES-CTR keystream of a key and a stream id. Two parties holding the same key draw
 * identical streams — the paper's "common randomness" and the PRF trick for Beaver triples — and distinct stream
 * ids (one per purpose) give independent streams under one key.
 *
 * <p>The JDK's {@code AES/CTR/NoPadding} is AES-NI intrinsified; the keystream is produced into a reusable
 * 64 KiB buffer and copied into segments, so a fill allocates nothing. The initial counter block is
 * {@code streamId (8 bytes, big-endian) ‖ 0 (8 bytes)}: a stream may run 2^68 bytes before it would repeat.
 * Not thread-safe: one stream belongs to one thread.
 */
public final class AesCtrPrg
{
    private static final int CHUNK = 1 << 16;
    private static final byte[] ZEROS = new byte[CHUNK];

    private final Cipher cipher;
    private final byte[] buffer = new byte[CHUNK];
    private int position = CHUNK;

    /**
     * @param key      16, 24 or 32 bytes of AES key
     * @param streamId the purpose of this stream; each (key, streamId) pair must be used by one stream only
     */
    public AesCtrPrg(final byte[] key, final long streamId)
    {
        if (key == null || (key.length != 16 && key.length != 24 && key.length != 32))
        {
            throw new IllegalArgumentException("AES key must be 16, 24 or 32 bytes but was "
                + (key == null ? "null" : key.length + " bytes"));
        }
        try
        {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            final byte[] iv = ByteBuffer.allocate(16).putLong(streamId).putLong(0).array();
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("AES/CTR/NoPadding is not available in this JDK: " + ex, ex);
        }
    }

    /** Fills the whole segment with the next bytes of the stream. */
    public void fill(final MemorySegment out)
    {
        fill(out, 0, out.byteSize());
    }

    /** Fills {@code length} bytes of {@code out} from {@code offset} with the next bytes of the stream. */
    public void fill(final MemorySegment out, final long offset, final long length)
    {
        KernelChecks.requireNonNegative("offset", offset);
        KernelChecks.requireBytes("out", out, offset + length, "fill of " + length + " bytes at offset " + offset);
        long done = 0;
        while (done < length)
        {
            if (position == CHUNK)
            {
                refill();
            }
            final int take = (int)Math.min(CHUNK - position, length - done);
            MemorySegment.copy(buffer, position, out, Ring.BYTE, offset + done, take);
            position += take;
            done += take;
        }
    }

    /** Fills {@code dst[offset, offset + length)} with the next bytes of the stream. */
    public void fill(final byte[] dst, final int offset, final int length)
    {
        int done = 0;
        while (done < length)
        {
            if (position == CHUNK)
            {
                refill();
            }
            final int take = Math.min(CHUNK - position, length - done);
            System.arraycopy(buffer, position, dst, offset + done, take);
            position += take;
            done += take;
        }
    }

    /** The next byte of the stream as an int in [0, 256). */
    public int nextByte()
    {
        if (position == CHUNK)
        {
            refill();
        }
        return buffer[position++] & 0xFF;
    }

    /** The next 8 bytes of the stream as a little-endian long: uniform over Z_{2^64}. */
    public long nextLong()
    {
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++)
        {
            v |= (long)nextByte() << (8 * i);
        }
        return v;
    }

    /** A uniform int in [0, bound), by rejection (no modulo bias); 0 &lt; bound ≤ 2^31 − 1. */
    public int nextInt(final int bound)
    {
        KernelChecks.requirePositive("bound", bound);
        if (bound <= 256)
        {
            final int limit = 256 - 256 % bound;
            int b;
            do
            {
                b = nextByte();
            }
            while (b >= limit);
            return b % bound;
        }
        final long limit = (1L << 32) - (1L << 32) % bound;
        long v;
        do
        {
            v = (nextByte() | nextByte() << 8 | nextByte() << 16 | (long)nextByte() << 24) & 0xFFFF_FFFFL;
        }
        while (v >= limit);
        return (int)(v % bound);
    }

    private void refill()
    {
        try
        {
            cipher.update(ZEROS, 0, CHUNK, buffer, 0);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("AES-CTR keystream failed: " + ex, ex);
        }
        position = 0;
    }
}
