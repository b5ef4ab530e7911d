package securenn.security;

import securenn.mpc.Role;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * A party's long-term Ed25519 identity: the private key in {@code P0.key} (PKCS#8, PEM, readable by its owner only)
 * and the public key in {@code P0.pub} (X.509 SubjectPublicKeyInfo, PEM), which the cluster config names for every
 * party. The private key signs the party's side of each session's key agreement and its TLS certificate for clients.
 * Key bytes never appear in messages or logs; a key is named by its file and its fingerprint.
 */
public final class IdentityKeys
{
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private IdentityKeys()
    {
    }

    /** {@code dir/P0.key} for role P0. */
    public static Path privateFile(final Path dir, final Role role)
    {
        return dir.resolve(role + ".key");
    }

    /** {@code dir/P0.pub} for role P0. */
    public static Path publicFile(final Path dir, final Role role)
    {
        return dir.resolve(role + ".pub");
    }

    /**
     * Draws a fresh Ed25519 key pair for {@code role} and writes it to {@code dir}; refuses to replace an existing key
     * unless {@code overwrite}.
     */
    public static PublicKey generate(final Path dir, final Role role, final boolean overwrite) throws IOException
    {
        final KeyPair pair;
        try
        {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("this JDK has no Ed25519", ex);
        }
        Files.createDirectories(dir);
        final Path key = privateFile(dir, role);
        final Path pub = publicFile(dir, role);
        if (!overwrite && (Files.exists(key) || Files.exists(pub)))
        {
            throw new FileAlreadyExistsException(key.toString(), null, role + " already has an identity here; keep it, "
                + "or pass --force to replace it (its peers must then get the new " + pub.getFileName() + ")");
        }
        Files.deleteIfExists(key);
        final byte[] encoded = pair.getPrivate().getEncoded();
        try
        {
            writeOwnerOnly(key, pem(PRIVATE, encoded));
        }
        finally
        {
            Arrays.fill(encoded, (byte)0);
        }
        Files.writeString(pub, pem(PUBLIC, pair.getPublic().getEncoded()));
        return pair.getPublic();
    }

    /** Reads an Ed25519 private key; fails naming the file (never its content) if it is not one. */
    public static PrivateKey readPrivate(final Path file) throws IOException
    {
        final byte[] der = readPem(file, PRIVATE);
        try
        {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException(file + ": not an Ed25519 private key (expected PEM '" + PRIVATE + "' from securenn keygen)");
        }
        finally
        {
            Arrays.fill(der, (byte)0);
        }
    }

    /** Reads an Ed25519 public key; fails naming the file if it is not one. */
    public static PublicKey readPublic(final Path file) throws IOException
    {
        final byte[] der = readPem(file, PUBLIC);
        try
        {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException(file + ": not an Ed25519 public key (expected PEM '" + PUBLIC + "' from securenn keygen)");
        }
    }

    /** A short, printable name of a public key: the first 16 hex digits of the SHA-256 of its encoding. */
    public static String fingerprint(final PublicKey key)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static String pem(final String type, final byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END " + type + "-----\n";
    }

    private static byte[] readPem(final Path file, final String type) throws IOException
    {
        final String text;
        try
        {
            if (Files.size(file) > 64 * 1024)
            {
                throw new IOException(file + ": too large for a key file");
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (final NoSuchFileException ex)
        {
            throw new NoSuchFileException(file.toString(), null, "no such key file; create keys with `securenn keygen`");
        }
        catch (final java.nio.charset.MalformedInputException ex)
        {
            throw new IOException(file + ": not a PEM key file (not ASCII)");
        }
        final String begin = "-----BEGIN " + type + "-----";
        final String end = "-----END " + type + "-----";
        final int from = text.indexOf(begin);
        final int to = text.indexOf(end);
        if (from < 0 || to < from)
        {
            throw new IOException(file + ": not a PEM '" + type + "' file (from securenn keygen)");
        }
        try
        {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(file + ": corrupted PEM '" + type + "' (bad base64)");
        }
    }

    private static void writeOwnerOnly(final Path file, final String content) throws IOException
    {
        final Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        try
        {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
        }
        catch (final UnsupportedOperationException ex)
        {
            Files.createFile(file); // not a POSIX file system: rely on the folder's protection
        }
        Files.writeString(file, content, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
