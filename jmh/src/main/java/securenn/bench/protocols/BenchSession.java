package securenn.bench.protocols;

import securenn.config.ClusterConfig;
import securenn.kernels.Kernels;
import securenn.mpc.Party;
import securenn.mpc.Randomness;
import securenn.mpc.Role;
import securenn.security.IdentityKeys;
import securenn.security.SessionSecurity;
import securenn.service.PartySession;
import securenn.transport.EmbeddedDriver;
import securenn.transport.PartyTransport;
import securenn.transport.TransportConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How one process of a lock-step benchmark joins its session, in one of two ways.
 * <ul>
 *   <li><b>Seeded</b> (Table 8, Table 7, encryption): an embedded driver, stream keys {@link Randomness#seededForTwinChecks
 *   seeded} and, when encrypting, fixed link keys ({@link BenchLinkKeys}): what is priced is the protocols, not the
 *   session's formation.</li>
 *   <li><b>Agreed</b> (training): the session exactly as {@code train-party} and {@code serve} form it
 *   ({@link PartySession}): a cluster config, Ed25519 identities generated for the run, X25519 key agreement, HKDF'd
 *   stream keys, and AES-256-GCM links unless the run prices plaintext links. P0 writes the identities and the config
 *   ({@link #prepareAgreed}) before it starts the other two.</li>
 * </ul>
 */
final class BenchSession implements AutoCloseable
{
    private final Party party;
    private final AutoCloseable[] resources;

    private BenchSession(final Party party, final AutoCloseable... resources)
    {
        this.party = party;
        this.resources = resources;
    }

    Party party()
    {
        return party;
    }

    /** A seeded session on an embedded driver with {@code config}; links under fixed keys when {@code encrypt}. */
    static BenchSession seeded(final Role role, final TransportConfig config, final boolean encrypt, final int kernelThreads)
    {
        final EmbeddedDriver driver = EmbeddedDriver.start(config);
        try
        {
            final PartyTransport transport = PartyTransport.open(role.id(), driver);
            transport.awaitConnected();
            BenchLinkKeys.secureIf(encrypt, transport);
            final Party party = new Party(role, transport, Randomness.seededForTwinChecks(role, ProtocolBench.SEED), Kernels.best());
            party.kernelThreads(kernelThreads);
            return new BenchSession(party, transport, driver);
        }
        catch (final RuntimeException ex)
        {
            driver.close();
            throw ex;
        }
    }

    /**
     * Writes three identities and a loopback cluster config for an agreed session into a new temporary folder and
     * returns the config's path (to pass to every party).
     */
    static Path prepareAgreed(final int basePort, final String threading, final String idle, final int kernelThreads)
        throws IOException
    {
        final Path dir = Files.createTempDirectory("securenn-bench-session");
        for (final Role r : Role.values())
        {
            IdentityKeys.generate(dir.resolve("keys"), r, false);
        }
        final String session = """
            [session]
            connect-timeout-ms = 60000
            message-timeout-ms = 60000
            idle = "%s"
            threading = "%s"
            mtu = 65504
            kernel-threads = %d
            """.formatted(idle, threading.toLowerCase(Locale.ROOT), kernelThreads);
        final Path config = dir.resolve("cluster.toml");
        Files.writeString(config, ClusterConfig.loopbackToml(basePort, dir.resolve("keys"), session));
        return config;
    }

    /** Joins the agreed session of the cluster config at {@code config}; plaintext links (loudly) unless {@code encrypt}. */
    static BenchSession agreed(final Role role, final Path config, final boolean encrypt) throws IOException
    {
        final ClusterConfig cluster = ClusterConfig.load(config);
        final PrintStream quiet = new PrintStream(PrintStream.nullOutputStream()); // the warning is the report's to give
        final PartySession s = PartySession.open(cluster, role, SessionSecurity.load(cluster, role, null, encrypt, quiet));
        return new BenchSession(s.party(), s);
    }

    @Override
    public void close() throws Exception
    {
        for (final AutoCloseable r : resources)
        {
            r.close();
        }
    }
}
