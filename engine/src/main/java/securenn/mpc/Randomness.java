package securenn.mpc;

import securenn.kernels.random.AesCtrPrg;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.nio.ByteBuffer;

/**
 * A party's pairwise pseudorandom streams: AES-CTR under the keys it shares with each other party (k01, k02, k12) —
 * the paper's common randomness and PRF-derived shares — plus a private stream of its own. Both holders of a key
 * draw the same bytes in the same order because every party runs the same straight-line program.
 */
public final class Randomness
{
    /** AES-128 keys, as {@link securenn.security.SessionKeys} derives them. */
    private static final int KEY_BYTES = 16;

    private final Role self;
    private final AesCtrPrg[] shared = new AesCtrPrg[3];
    private final AesCtrPrg[] truncation = new AesCtrPrg[3];
    private final AesCtrPrg own;

    /**
     * @param keys keys[i][j] is the key shared by Pi and Pj (i &lt; j); entries this party does not hold may be null
     */
    public Randomness(final Role self, final byte[][][] keys, final byte[] privateKey)
    {
        this.self = self;
        for (final Role other : Role.values())
        {
            if (other != self)
            {
                final int lo = Math.min(self.id(), other.id());
                final int hi = Math.max(self.id(), other.id());
                shared[other.id()] = new AesCtrPrg(keys[lo][hi], 0x5EC0_0000L + lo * 3L + hi);
                truncation[other.id()] = new AesCtrPrg(keys[lo][hi], 0x7C00_0000L + lo * 3L + hi);
            }
        }
        this.own = new AesCtrPrg(privateKey, 0x0A11_0000L + self.id());
    }

    /**
     * Deterministic keys derived from a seed (SHA-256 of seed and label): whoever knows the seed knows every party's
     * streams. For tests, benchmarks, and the one-JVM demo and training — whose three parties live in one process
     * anyway, and whose fixed-point twin replays P2's truncation masks from the seed ({@link TruncationReplay}).
     * Deployments agree keys at session start ({@link securenn.security.SessionKeys}); {@link #freshSession} gives
     * unpredictable keys in one JVM.
     */
    public static Randomness seededForTwinChecks(final Role self, final long seed)
    {
        final byte[][][] keys = new byte[3][3][];
        for (int i = 0; i < 3; i++)
        {
            for (int j = i + 1; j < 3; j++)
            {
                if (i == self.id() || j == self.id())
                {
                    keys[i][j] = derive(seed, "pair-" + i + j);
                }
            }
        }
        return new Randomness(self, keys, derive(seed, "own-" + self.id()));
    }

    /** All three parties' seeded keys ({@link #seededForTwinChecks(Role, long)}), indexed by role id. */
    public static Randomness[] seededForTwinChecks(final long seed)
    {
        final Randomness[] out = new Randomness[3];
        for (final Role role : Role.values())
        {
            out[role.id()] = seededForTwinChecks(role, seed);
        }
        return out;
    }

    /**
     * Fresh keys for a single-JVM session whose parties were all created here: every pairwise and private key is
     * {@value #KEY_BYTES} bytes straight from {@link SecureRandom}, not derived from a shorter seed.
     */
    public static Randomness[] freshSession()
    {
        final SecureRandom rnd = new SecureRandom();
        final byte[][][] keys = new byte[3][3][];
        for (int i = 0; i < 3; i++)
        {
            for (int j = i + 1; j < 3; j++)
            {
                keys[i][j] = new byte[KEY_BYTES];
                rnd.nextBytes(keys[i][j]);
            }
        }
        final Randomness[] out = new Randomness[3];
        for (final Role role : Role.values())
        {
            final byte[] own = new byte[KEY_BYTES];
            rnd.nextBytes(own);
            out[role.id()] = new Randomness(role, keys, own);
        }
        return out;
    }

    /** The stream this party shares with {@code other}. */
    public AesCtrPrg with(final Role other)
    {
        if (other == self)
        {
            throw new IllegalArgumentException(self + " shares no stream with itself");
        }
        return shared[other.id()];
    }

    /**
     * The stream this party shares with {@code other} for {@link Truncation#assisted} only: a separate stream, so
     * that the fixed-point twin can replay the truncation masks (see {@link TruncationReplay}) without replaying
     * every other protocol's draws.
     */
    public AesCtrPrg truncationWith(final Role other)
    {
        if (other == self)
        {
            throw new IllegalArgumentException(self + " shares no stream with itself");
        }
        return truncation[other.id()];
    }

    /** This party's private stream. */
    public AesCtrPrg own()
    {
        return own;
    }

    private static byte[] derive(final long seed, final String label)
    {
        try
        {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(8).putLong(seed).array());
            sha.update(label.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            final byte[] out = new byte[KEY_BYTES];
            System.arraycopy(sha.digest(), 0, out, 0, KEY_BYTES);
            return out;
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 unavailable", ex);
        }
    }
}
