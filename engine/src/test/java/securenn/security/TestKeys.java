package securenn.security;

import securenn.config.ClusterConfig;
import securenn.mpc.Role;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Identity keys for tests: three fresh key pairs in a temporary folder. */
public final class TestKeys
{
    private TestKeys()
    {
    }

    /** Creates P0–P2's keys in {@code dir} (which may not exist yet) and returns it. */
    public static Path in(final Path dir)
    {
        try
        {
            for (final Role r : Role.values())
            {
                IdentityKeys.generate(dir, r, false);
            }
            return dir;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Fresh keys in a new temporary folder. */
    public static Path fresh()
    {
        try
        {
            return in(Files.createTempDirectory("securenn-keys"));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** {@code role}'s security for a cluster whose config names these keys. */
    public static SessionSecurity security(final ClusterConfig config, final Role role, final boolean encrypt)
    {
        try
        {
            return SessionSecurity.load(config, role, null, encrypt, new PrintStream(OutputStream.nullOutputStream()));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
