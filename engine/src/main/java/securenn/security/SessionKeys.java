package securenn.security;

import securenn.mpc.Randomness;
import securenn.mpc.Role;
import securenn.mpc.Step;
import securenn.transport.PartyTransport;

import javax.crypto.KDF;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;
import javax.crypto.spec.HKDFParameterSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * The authenticated key agreement that opens every session, run by each party with both peers over the still
 * plaintext links, JDK cryptography only:
 * <ol>
 *   <li>HELLO: each party sends each peer a fresh ephemeral X25519 public key, a 32-byte random nonce, its role and
 *       whether it encrypts its links;</li>
 *   <li>AUTH: for each pair, the transcript is both HELLOs (lower role first); each party signs
 *       {@code "securenn-auth-v1" ‖ its role ‖ SHA-256(transcript)} with its Ed25519 identity key and checks the
 *       peer's signature under the public key the cluster config names for that peer;</li>
 *   <li>keys: HKDF-SHA256 with salt SHA-256(transcript) over the X25519 secret expands to one AES-256 key per link
 *       direction ({@code "securenn link i->j"}) and the pair's 128-bit PRG key ({@code "securenn prg i,j"}); the links
 *       then switch to AES-GCM (see {@link securenn.transport.ChunkCipher}).</li>
 * </ol>
 * Fresh ephemeral keys make every session's keys independent (forward secrecy: a stolen identity key does not open
 * recorded sessions); the signatures over both parties' fresh values stop impostors and replayed handshakes. Each
 * party's private PRG key is drawn locally. Nothing here is printed: errors name roles and key files only.
 */
public final class SessionKeys
{
    private static final byte[] MAGIC = "SNNKA1\0\0".getBytes(StandardCharsets.US_ASCII);
    private static final int HELLO_BYTES = 96;
    private static final int EPHEMERAL_AT = 16;
    private static final int EPHEMERAL_BYTES = 44; // X.509 encoding of an X25519 public key
    private static final int NONCE_AT = EPHEMERAL_AT + EPHEMERAL_BYTES;
    private static final int SIGNATURE_BYTES = 64;
    private static final int PRG_KEY_BYTES = 16;

    /** Where the keys of a session come from: this party's identity and its peers' public keys (indexed by role). */
    public record Identities(PrivateKey own, PublicKey[] publicKeys, String[] publicKeySources)
    {
        /**
         * Loads {@code self}'s private key from {@code identity} (default: {@code P0.key} beside the configured
         * {@code P0.pub}) and every party's public key from the config, and checks that the private key belongs to
         * {@code self}'s configured public key.
         */
        public static Identities load(final securenn.config.ClusterConfig config, final Role self,
            final java.nio.file.Path identity) throws java.io.IOException
        {
            final java.nio.file.Path ownFile = identity != null ? identity
                : config.publicKey(self).resolveSibling(self + ".key");
            final PrivateKey own = IdentityKeys.readPrivate(ownFile);
            final PublicKey[] keys = new PublicKey[3];
            final String[] sources = new String[3];
            for (final Role r : Role.values())
            {
                keys[r.id()] = IdentityKeys.readPublic(config.publicKey(r));
                sources[r.id()] = config.publicKey(r) + " (" + IdentityKeys.fingerprint(keys[r.id()]) + ")";
            }
            if (!belongTogether(own, keys[self.id()]))
            {
                throw new IllegalArgumentException(ownFile + " is not the private key of " + sources[self.id()]
                    + ", which the config names as " + self + "'s public key");
            }
            return new Identities(own, keys, sources);
        }

        private static boolean belongTogether(final PrivateKey own, final PublicKey pub)
        {
            try
            {
                final byte[] probe = "securenn identity check".getBytes(StandardCharsets.US_ASCII);
                final Signature s = Signature.getInstance("Ed25519");
                s.initSign(own);
                s.update(probe);
                final byte[] sig = s.sign();
                final Signature v = Signature.getInstance("Ed25519");
                v.initVerify(pub);
                v.update(probe);
                return v.verify(sig);
            }
            catch (final GeneralSecurityException ex)
            {
                return false;
            }
        }
    }

    private SessionKeys()
    {
    }

    /**
     * Agrees this session's keys with both peers, switches the links to AES-GCM if {@code encrypt}, and returns the
     * pairwise and private PRG keys. All three parties must call it at the start of their sessions.
     *
     * @throws SecurityException if a peer's signature does not verify or its HELLO is malformed
     * @throws IllegalStateException if a peer encrypts and this party does not, or the other way round
     */
    public static Randomness agree(final Role self, final PartyTransport transport, final Identities ids,
        final boolean encrypt)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final SecureRandom random = new SecureRandom();
            final KeyPair ephemeral = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            final byte[] mine = hello(self, ephemeral.getPublic(), encrypt, random);
            final byte[][] theirs = new byte[3][];
            for (final Role other : others(self))
            {
                transport.link(other.id()).send(Step.SESSION_HELLO.tag(), segment(arena, mine));
            }
            for (final Role other : others(self))
            {
                final MemorySegment in = arena.allocate(HELLO_BYTES);
                transport.link(other.id()).receive(Step.SESSION_HELLO.tag(), in);
                theirs[other.id()] = in.toArray(ValueLayout.JAVA_BYTE);
                checkWellFormed(self, other, theirs[other.id()]);
            }
            final byte[][] digests = new byte[3][];
            for (final Role other : others(self))
            {
                digests[other.id()] = transcript(self, mine, other, theirs[other.id()]);
                final Signature signer = Signature.getInstance("Ed25519");
                signer.initSign(ids.own());
                signer.update(authenticated(self, digests[other.id()]));
                transport.link(other.id()).send(Step.SESSION_AUTH.tag(), segment(arena, signer.sign()));
            }
            final byte[][][] prgKeys = new byte[3][3][];
            for (final Role other : others(self))
            {
                final MemorySegment in = arena.allocate(SIGNATURE_BYTES);
                transport.link(other.id()).receive(Step.SESSION_AUTH.tag(), in);
                final Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(ids.publicKeys()[other.id()]);
                verifier.update(authenticated(other, digests[other.id()]));
                if (!verifier.verify(in.toArray(ValueLayout.JAVA_BYTE)))
                {
                    throw new SecurityException(self + " could not authenticate " + other + ": its key-agreement signature does "
                        + "not verify under " + ids.publicKeySources()[other.id()] + " (a wrong or outdated key file, or "
                        + "another process answering at " + other + "'s address)");
                }
                checkSameEncryption(self, other, theirs[other.id()], encrypt); // only now: the HELLO is authentic
                final byte[] secret = sharedSecret(ephemeral.getPrivate(), theirs[other.id()]);
                final KDF hkdf = KDF.getInstance("HKDF-SHA256");
                final int lo = Math.min(self.id(), other.id());
                final int hi = Math.max(self.id(), other.id());
                prgKeys[lo][hi] = hkdf.deriveData(expand(secret, digests[other.id()], "securenn prg " + lo + "," + hi, PRG_KEY_BYTES));
                if (encrypt)
                {
                    final SecretKey send = hkdf.deriveKey("AES", expand(secret, digests[other.id()], "securenn link " + self.id() + "->" + other.id(), 32));
                    final SecretKey receive = hkdf.deriveKey("AES", expand(secret, digests[other.id()], "securenn link " + other.id() + "->" + self.id(), 32));
                    transport.secure(other.id(), send, receive);
                }
                Arrays.fill(secret, (byte)0);
            }
            final byte[] own = new byte[PRG_KEY_BYTES];
            random.nextBytes(own);
            return new Randomness(self, prgKeys, own);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(self + ": the key agreement needs Ed25519, X25519 and HKDF-SHA256 from the JDK: " + ex, ex);
        }
    }

    private static Role[] others(final Role self)
    {
        return Arrays.stream(Role.values()).filter(r -> r != self).toArray(Role[]::new);
    }

    private static byte[] hello(final Role self, final PublicKey ephemeral, final boolean encrypt, final SecureRandom random)
    {
        final byte[] h = new byte[HELLO_BYTES];
        System.arraycopy(MAGIC, 0, h, 0, MAGIC.length);
        h[8] = (byte)self.id();
        h[9] = (byte)(encrypt ? 1 : 0);
        final byte[] e = ephemeral.getEncoded();
        if (e.length != EPHEMERAL_BYTES)
        {
            throw new IllegalStateException("unexpected X25519 public key encoding of " + e.length + " bytes");
        }
        System.arraycopy(e, 0, h, EPHEMERAL_AT, EPHEMERAL_BYTES);
        final byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, h, NONCE_AT, nonce.length);
        return h;
    }

    /** Before authentication: a malformed HELLO is refused as a SecurityException, which a service retries. */
    private static void checkWellFormed(final Role self, final Role other, final byte[] h)
    {
        if (!Arrays.equals(h, 0, MAGIC.length, MAGIC, 0, MAGIC.length) || h[8] != other.id() || (h[9] & ~1) != 0)
        {
            throw new SecurityException(self + " got a malformed key-agreement HELLO from " + other + "'s address "
                + "(another program, or another securenn version, answering there)");
        }
    }

    /**
     * After the peer's signature over both HELLOs verified: a genuine peer that protects its links differently is a
     * configuration error that no new session fixes. (Checked before authentication, a forged HELLO with the flag
     * flipped could make a service give up.)
     */
    private static void checkSameEncryption(final Role self, final Role other, final byte[] h, final boolean encrypt)
    {
        if ((h[9] == 1) != encrypt)
        {
            throw new IllegalStateException(other + (encrypt ? " runs with --no-encryption" : " encrypts its links")
                + " but " + self + (encrypt ? " encrypts" : " runs with --no-encryption") + "; start all three parties the same way");
        }
    }

    private static byte[] transcript(final Role self, final byte[] mine, final Role other, final byte[] theirs)
        throws GeneralSecurityException
    {
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("securenn-session-v1".getBytes(StandardCharsets.US_ASCII));
        sha.update(self.id() < other.id() ? mine : theirs);
        sha.update(self.id() < other.id() ? theirs : mine);
        return sha.digest();
    }

    private static byte[] authenticated(final Role signer, final byte[] transcript)
    {
        final byte[] label = ("securenn-auth-v1 " + signer).getBytes(StandardCharsets.US_ASCII);
        final byte[] m = Arrays.copyOf(label, label.length + transcript.length);
        System.arraycopy(transcript, 0, m, label.length, transcript.length);
        return m;
    }

    private static byte[] sharedSecret(final PrivateKey own, final byte[] hello) throws GeneralSecurityException
    {
        final PublicKey peer = KeyFactory.getInstance("X25519")
            .generatePublic(new X509EncodedKeySpec(Arrays.copyOfRange(hello, EPHEMERAL_AT, EPHEMERAL_AT + EPHEMERAL_BYTES)));
        final KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(own);
        agreement.doPhase(peer, true);
        return agreement.generateSecret(); // the JDK rejects the all-zero result of small-order points
    }

    private static HKDFParameterSpec expand(final byte[] secret, final byte[] salt, final String info, final int length)
    {
        return HKDFParameterSpec.ofExtract().addIKM(secret).addSalt(salt)
            .thenExpand(info.getBytes(StandardCharsets.US_ASCII), length);
    }

    private static MemorySegment segment(final Arena arena, final byte[] bytes)
    {
        final MemorySegment s = arena.allocate(bytes.length);
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return s;
    }
}
