package securenn.transport;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * AES-256-GCM for the chunks of one direction of a link. Each chunk is one GCM message: its {@link MessageHeader} is
 * the associated data, its payload is encrypted and a 16-byte tag follows it. The 96-bit nonce is the direction's
 * label (sender and receiver) and the chunk's position in the direction's stream of chunks, counted by both ends and
 * never sent; so a chunk that is forged, altered, replayed, reordered or dropped fails authentication at the
 * receiver — there is no way to make a receiver accept data its peer did not send in that place.
 *
 * <p>Re-keying: after every {@link #DEFAULT_REKEY_CHUNKS} chunks both ends replace the key by
 * HMAC-SHA256(key, "securenn chunk rekey" ‖ epoch), at the same chunk of the stream, never sent. So one key protects at
 * most 2^24 chunks of under 64 KiB (under 2^36 AES blocks in all), which keeps the advantage of GCM's security
 * bounds (McGrew–Viega; Iwata–Ohashi–Minematsu: about (σ + q + 1)²/2^129 for σ blocks in q messages) near 2^-57
 * however long a session runs; the nonce's 64-bit chunk counter keeps counting across keys, so no (key, nonce) pair
 * ever repeats either. The old keys are not erased from memory (the JDK's key objects hold copies), so re-keying
 * bounds what one key protects; it does not give forward secrecy against a memory dump. Likewise the heap scratch
 * arrays keep the last chunk's plaintext (and a garbage collector may leave stale copies): the party's own memory,
 * which holds the same bytes anyway.
 *
 * <p>One instance per direction and per session (keys are fresh per session, so counters start at 0 safely).
 * Not thread-safe: it belongs to its link.
 */
public final class ChunkCipher
{
    public static final int TAG_BYTES = 16;
    /** Chunks under one key before both ends derive the next (2^24: with 64 KiB chunks, 1 TiB per key). */
    public static final long DEFAULT_REKEY_CHUNKS = 1L << 24;
    private static final byte[] REKEY_LABEL = "securenn chunk rekey".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Cipher cipher;
    private final long rekeyChunks;
    private SecretKey key;
    private long epoch;
    private final boolean encrypting;
    private final byte[] nonce = new byte[12];
    private long counter;
    /** Heap copies of one chunk's input, output and header (this object serves one direction, one thread at a time). */
    private byte[] source = new byte[0];
    private byte[] target = new byte[TAG_BYTES];
    private byte[] aad = new byte[0];

    private ChunkCipher(final SecretKey key, final int sender, final int receiver, final boolean encrypting,
        final long rekeyChunks)
    {
        if (!"AES".equals(key.getAlgorithm()) || key.getEncoded() == null || key.getEncoded().length != 32)
        {
            throw new IllegalArgumentException("a link key must be a 256-bit AES key");
        }
        if (rekeyChunks < 1)
        {
            throw new IllegalArgumentException("rekeyChunks must be at least 1 but was " + rekeyChunks);
        }
        this.rekeyChunks = rekeyChunks;
        try
        {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("this JDK has no AES/GCM", ex);
        }
        this.key = key;
        this.encrypting = encrypting;
        nonce[0] = (byte)sender;
        nonce[1] = (byte)receiver;
    }

    /** The sending end of the direction {@code sender → receiver}. */
    public static ChunkCipher sealing(final SecretKey key, final int sender, final int receiver)
    {
        return sealing(key, sender, receiver, DEFAULT_REKEY_CHUNKS);
    }

    /** As {@link #sealing(SecretKey, int, int)}, re-keying every {@code rekeyChunks} chunks (tests use small values). */
    public static ChunkCipher sealing(final SecretKey key, final int sender, final int receiver, final long rekeyChunks)
    {
        return new ChunkCipher(key, sender, receiver, true, rekeyChunks);
    }

    /** The receiving end of the direction {@code sender → receiver}. */
    public static ChunkCipher opening(final SecretKey key, final int sender, final int receiver)
    {
        return opening(key, sender, receiver, DEFAULT_REKEY_CHUNKS);
    }

    /** As {@link #opening(SecretKey, int, int)}, re-keying every {@code rekeyChunks} chunks (tests use small values). */
    public static ChunkCipher opening(final SecretKey key, final int sender, final int receiver, final long rekeyChunks)
    {
        return new ChunkCipher(key, sender, receiver, false, rekeyChunks);
    }

    /**
     * Encrypts {@code plain} into {@code out} (its size must be the plaintext's + {@link #TAG_BYTES}), authenticating
     * {@code header} with it.
     */
    public void seal(final MemorySegment header, final MemorySegment plain, final MemorySegment out)
    {
        if (!encrypting || out.byteSize() != plain.byteSize() + TAG_BYTES)
        {
            throw new IllegalArgumentException("seal: wrong direction or output size");
        }
        run(header, plain, out);
    }

    /**
     * Decrypts {@code sealed} (ciphertext and tag) into {@code out} after checking its tag and {@code header}.
     *
     * @return false if the chunk is not authentic in this place of the stream (then {@code out} is unspecified and
     *         the link must be abandoned: its counter has moved on)
     */
    public boolean open(final MemorySegment header, final MemorySegment sealed, final MemorySegment out)
    {
        if (encrypting || sealed.byteSize() != out.byteSize() + TAG_BYTES)
        {
            throw new IllegalArgumentException("open: wrong direction or output size");
        }
        try
        {
            run(header, sealed, out);
            return true;
        }
        catch (final IllegalStateException ex)
        {
            if (ex.getCause() instanceof AEADBadTagException)
            {
                return false;
            }
            throw ex;
        }
    }

    /** Chunks processed so far in this direction. */
    public long chunks()
    {
        return counter;
    }

    /** Keys replaced so far in this direction. */
    public long rekeys()
    {
        return epoch;
    }

    private void run(final MemorySegment header, final MemorySegment in, final MemorySegment out)
    {
        if (counter == (epoch + 1) * rekeyChunks)
        {
            rekey();
        }
        final long n = counter++;
        for (int i = 0; i < 8; i++)
        {
            nonce[4 + i] = (byte)(n >>> (8 * i));
        }
        // through heap arrays: the JDK's AES-GCM runs 2.6-5x faster on byte[] than on direct buffers (GcmProbe on an
        // AMD EPYC Zen 5 with VAES: 2.3 against 6.0 GB/s for 64 KiB chunks; JFR had put 16-30% of a party's time in a
        // network C training step in the direct-buffer path), and two copies cost far less than that difference
        final int inLen = Math.toIntExact(in.byteSize());
        final int outLen = Math.toIntExact(out.byteSize());
        final int aadLen = Math.toIntExact(header.byteSize());
        if (source.length < inLen)
        {
            source = new byte[inLen];
            target = new byte[inLen + TAG_BYTES];
        }
        if (aad.length != aadLen)
        {
            aad = new byte[aadLen];
        }
        MemorySegment.copy(in, ValueLayout.JAVA_BYTE, 0, source, 0, inLen);
        MemorySegment.copy(header, ValueLayout.JAVA_BYTE, 0, aad, 0, aadLen);
        try
        {
            cipher.init(encrypting ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            final int written = cipher.doFinal(source, 0, inLen, target, 0);
            if (written != outLen)
            {
                throw new IllegalStateException("AES-GCM wrote " + written + " bytes for a chunk of " + outLen);
            }
            MemorySegment.copy(target, 0, out, ValueLayout.JAVA_BYTE, 0, outLen);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** key ← HMAC-SHA256(key, label ‖ epoch + 1), the same derivation at both ends. */
    private void rekey()
    {
        try
        {
            final javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            mac.update(REKEY_LABEL);
            epoch++;
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(epoch).flip());
            key = new javax.crypto.spec.SecretKeySpec(mac.doFinal(), "AES");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("this JDK has no HmacSHA256", ex);
        }
    }

}
