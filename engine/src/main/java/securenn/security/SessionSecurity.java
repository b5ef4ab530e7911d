package securenn.security;

import securenn.config.ClusterConfig;
import securenn.mpc.Role;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * How a party protects its sessions: its identity and its peers' public keys (always: sessions are always
 * authenticated), and whether links to peers and clients are encrypted. Encryption can be switched off only
 * explicitly ({@code --no-encryption}), for benchmarking; that is logged loudly at start.
 */
public record SessionSecurity(SessionKeys.Identities identities, boolean encrypt)
{
    /** Loads {@code self}'s identity ({@code identity} or the default beside its public key) and the peers' keys. */
    public static SessionSecurity load(final ClusterConfig config, final Role self, final Path identity,
        final boolean encrypt, final PrintStream log) throws IOException
    {
        final SessionSecurity s = new SessionSecurity(SessionKeys.Identities.load(config, self, identity), encrypt);
        if (!encrypt)
        {
            warnUnencrypted(self.toString(), log);
        }
        return s;
    }

    /** TLS for {@code self}'s clients, presenting its identity key; null when encryption is off (plain TCP). */
    public javax.net.ssl.SSLContext clientTls(final Role self)
    {
        return encrypt ? ClientTls.server(self, identities.own(), identities.publicKeys()[self.id()]) : null;
    }

    /** The loud warning every process switched to plaintext prints. */
    public static void warnUnencrypted(final String who, final PrintStream log)
    {
        log.println("""
            ############################################################################
            # WARNING: %s runs with --no-encryption: links carry shares in PLAINTEXT.
            # Anyone on the network path can read them. Use this only for benchmarks.
            ############################################################################""".formatted(who));
    }
}
