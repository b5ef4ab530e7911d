package securenn.mpc;

import securenn.kernels.random.AesCtrPrg;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The randomness a data or model owner splits a secret with: P0's share of x is the next mask r, P1's is x − r. The
 * masks are an AES-256-CTR keystream under a key only the splitter holds, so P1, who sees x − r for many x of known
 * size, learns nothing about r — unlike a non-cryptographic generator such as SplitMix64, whose output is an
 * invertible function of its 64-bit state: one guessed small weight gives P1 the state and then every mask
 * ({@code ShareFileAttackTest} mounts that attack). Every split of a secret — model weights, checkpoints, training
 * images and labels, client inputs — draws from one of these; {@code SecretRandomnessPolicyTest} keeps it so.
 * Not thread-safe.
 */
public final class SecretSplitter
{
    /** AES-256: the full key length the JDK's AES takes. */
    private static final int KEY_BYTES = 32;
    private static final long MASK_STREAM = 1;
    private static final long ID_STREAM = 2;

    private final AesCtrPrg masks;
    private final AesCtrPrg ids;

    private SecretSplitter(final byte[] key)
    {
        this.masks = new AesCtrPrg(key, MASK_STREAM);
        this.ids = new AesCtrPrg(key, ID_STREAM);
        Arrays.fill(key, (byte)0);
    }

    /** A splitter keyed with 32 bytes from {@link SecureRandom}: what every real split uses. */
    public static SecretSplitter fresh()
    {
        final byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return new SecretSplitter(key);
    }

    /**
     * A splitter keyed from a seed (SHA-256 of it), for tests that need the same shares twice. Anyone who knows the
     * seed knows every share it makes, so no command uses it for a real secret.
     */
    public static SecretSplitter seededForTwinChecks(final long seed)
    {
        try
        {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
            sha.update("securenn secret splitter, seeded".getBytes(StandardCharsets.UTF_8));
            return new SecretSplitter(sha.digest());
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 unavailable", ex);
        }
    }

    /** The next mask, uniform over Z_L: P0's share of a value whose P1 share is the value minus it. */
    public long nextMask()
    {
        return masks.nextLong();
    }

    /** Fills the first {@code n} longs of {@code share0} with masks (equal to {@code n} calls of {@link #nextMask}). */
    public void masks(final MemorySegment share0, final long n)
    {
        masks.fill(share0, 0, n * Long.BYTES);
    }

    /**
     * A fresh 128-bit identity for the model being split, hex: P0's and P1's files of one split carry it, and the
     * parties refuse to compute together unless theirs are equal. Random, so that it says nothing about the weights
     * (a hash of the plaintext would let anyone confirm a guessed model), and new at every split, so shares of two
     * splits of one model are not taken for a pair. From its own stream, independent of the masks.
     */
    public String newModelId()
    {
        final byte[] id = new byte[16];
        ids.fill(id, 0, id.length);
        return HexFormat.of().formatHex(id);
    }
}
