package securenn.service;

import securenn.config.ClusterConfig;
import securenn.kernels.Kernels;
import securenn.mpc.Party;
import securenn.mpc.Randomness;
import securenn.mpc.Role;
import securenn.security.SessionKeys;
import securenn.security.SessionSecurity;
import securenn.transport.EmbeddedDriver;
import securenn.transport.PartyTransport;


/**
 * One party's end of a three-process session: its embedded Aeron media driver, its UDP links to the two peers named
 * in the cluster config, and the session's keys, agreed afresh by {@link SessionKeys} (authenticated with the
 * parties' identity keys): the pairwise PRG keys and, unless encryption is switched off, AES-GCM keys for every
 * link. Keys live only in memory for the session.
 */
public final class PartySession implements AutoCloseable
{
    private final EmbeddedDriver driver;
    private final PartyTransport transport;
    private final Party party;

    private PartySession(final EmbeddedDriver driver, final PartyTransport transport, final Party party)
    {
        this.driver = driver;
        this.transport = transport;
        this.party = party;
    }

    /**
     * Starts the driver, waits for both peers (up to the connect timeout) and agrees the session keys with them
     * (authenticated by the identities in {@code security}); the links are encrypted from then on unless
     * {@code security} says not to.
     */
    public static PartySession open(final ClusterConfig config, final Role role, final SessionSecurity security)
    {
        return open(config, role, security, null);
    }

    /**
     * As {@link #open(ClusterConfig, Role, SessionSecurity)}, but patient: each time the connect timeout passes with a
     * peer still missing, {@code stillWaiting} gets the transport's description of who is missing and the wait goes on
     * (it may throw to give up). A service uses this so that a peer restarted at any time finds it waiting.
     */
    public static PartySession open(final ClusterConfig config, final Role role, final SessionSecurity security,
        final java.util.function.Consumer<String> stillWaiting)
    {
        final SessionKeys.Identities ids = security.identities();
        final boolean encrypt = security.encrypt();
        final EmbeddedDriver driver = EmbeddedDriver.start(config.transport());
        try
        {
            final PartyTransport transport = PartyTransport.open(role.id(), driver);
            try
            {
                awaitConnected(transport, stillWaiting);
                final Randomness randomness = SessionKeys.agree(role, transport, ids, encrypt);
                final Party party = new Party(role, transport, randomness, Kernels.best());
                party.kernelThreads(config.kernelThreads());
                return new PartySession(driver, transport, party);
            }
            catch (final RuntimeException ex)
            {
                transport.close();
                throw ex;
            }
        }
        catch (final RuntimeException ex)
        {
            driver.close();
            throw ex;
        }
    }

    private static void awaitConnected(final PartyTransport transport, final java.util.function.Consumer<String> stillWaiting)
    {
        while (true)
        {
            try
            {
                transport.awaitConnected();
                return;
            }
            catch (final securenn.transport.TransportException ex)
            {
                if (stillWaiting == null)
                {
                    throw ex;
                }
                stillWaiting.accept(ex.getMessage());
            }
        }
    }

    /** "encrypted to P1, P2" or "plaintext": how this party's links are protected (logs, tests). */
    public String encryptedLinks()
    {
        final java.util.List<String> peers = new java.util.ArrayList<>();
        for (final Role r : Role.values())
        {
            if (r != role() && transport.link(r.id()).isEncrypted())
            {
                peers.add(r.toString());
            }
        }
        return peers.isEmpty() ? "plaintext" : "encrypted to " + String.join(", ", peers);
    }

    public Party party()
    {
        return party;
    }

    /**
     * This party on the same links with other stream keys: {@link Randomness#seededForTwinChecks} where a test or the
     * fixed-point twin must replay the session (the links stay encrypted under the agreed keys).
     */
    public Party partyWith(final Randomness randomness)
    {
        final Party p = new Party(party.role(), transport, randomness, Kernels.best());
        p.kernelThreads(party.kernelThreads());
        return p;
    }

    public Role role()
    {
        return party.role();
    }

    /** Runs the transport's duty cycles while waiting for clients (see {@link PartyTransport#pump}). */
    public int pump()
    {
        return transport.pump();
    }

    /** Bytes this party has sent to its peers so far. */
    public long bytesSent()
    {
        return transport.counters().stream().mapToLong(securenn.transport.LinkCounters::bytesSent).sum();
    }

    @Override
    public void close()
    {
        try
        {
            transport.close();
        }
        finally
        {
            driver.close();
        }
    }
}
