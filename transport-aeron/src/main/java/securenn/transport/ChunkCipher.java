package securenn.transport;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * AES-256-GCM for the chunks of one direction of a link. Each chunk is one GCM message: its {@link MessageHeader} is
 * the associated data, its payload is encrypted and a 16-byte tag follows it. The 96-bit nonce is the direction's
 * label (sender and receiver) and the chunk's position in the direction's stream of chunks, counted by both ends and
 * never sent; so a chunk that is forged, altered, replayed, reordered or dropped fails authentication at the
 * receiver — there is no way to make a receiver accept data its peer did not send in that place.
 *
 * <p>One instance per direction and per session (keys are fresh per session, so counters start at 0 safely).
 * Not thread-safe: it belongs to its link.
 */
public final class ChunkCipher
{
    public static final int TAG_BYTES = 16;

    private final Cipher cipher;
    private final SecretKey key;
    private final boolean encrypting;
    private final byte[] nonce = new byte[12];
    private long counter;

    private ChunkCipher(final SecretKey key, final int sender, final int receiver, final boolean encrypting)
    {
        if (!"AES".equals(key.getAlgorithm()) || key.getEncoded() == null || key.getEncoded().length != 32)
        {
            throw new IllegalArgumentException("a link key must be a 256-bit AES key");
        }
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
        return new ChunkCipher(key, sender, receiver, true);
    }

    /** The receiving end of the direction {@code sender → receiver}. */
    public static ChunkCipher opening(final SecretKey key, final int sender, final int receiver)
    {
        return new ChunkCipher(key, sender, receiver, false);
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

    private void run(final MemorySegment header, final MemorySegment in, final MemorySegment out)
    {
        final long n = counter++;
        for (int i = 0; i < 8; i++)
        {
            nonce[4 + i] = (byte)(n >>> (8 * i));
        }
        try
        {
            cipher.init(encrypting ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(buffer(header));
            final ByteBuffer dst = buffer(out);
            cipher.doFinal(buffer(in), dst);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static ByteBuffer buffer(final MemorySegment segment)
    {
        return segment.asByteBuffer();
    }
}
