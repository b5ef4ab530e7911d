package securenn.service;

import securenn.config.ClusterConfig;
import securenn.kernels.Kernels;
import securenn.mpc.Party;
import securenn.mpc.Randomness;
import securenn.mpc.Role;
import securenn.mpc.Step;
import securenn.transport.EmbeddedDriver;
import securenn.transport.PartyTransport;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;

/**
 * One party's end of a three-process session: its embedded Aeron media driver, its UDP links to the two peers named
 * in the cluster config, and fresh pairwise keys. For each pair the lower-numbered party draws a 128-bit key from
 * {@link SecureRandom} and sends it over their link; each party draws its private key locally. Keys live only in
 * memory for the session. The paper assumes secure point-to-point channels; the links here are not yet encrypted or
 * authenticated (that is the next step), so run sessions only on networks you trust.
 */
public final class PartySession implements AutoCloseable
{
    private static final int KEY_BYTES = 16;

    private final EmbeddedDriver driver;
    private final PartyTransport transport;
    private final Party party;

    private PartySession(final EmbeddedDriver driver, final PartyTransport transport, final Party party)
    {
        this.driver = driver;
        this.transport = transport;
        this.party = party;
    }

    /** Starts the driver, waits for both peers (up to the connect timeout) and agrees the session keys. */
    public static PartySession open(final ClusterConfig config, final Role role)
    {
        final EmbeddedDriver driver = EmbeddedDriver.start(config.transport());
        try
        {
            final PartyTransport transport = PartyTransport.open(role.id(), driver);
            try
            {
                transport.awaitConnected();
                final Randomness randomness = agreeKeys(role, transport);
                return new PartySession(driver, transport, new Party(role, transport, randomness, Kernels.best()));
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

    private static Randomness agreeKeys(final Role self, final PartyTransport transport)
    {
        final SecureRandom random = new SecureRandom();
        final byte[][][] keys = new byte[3][3][];
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment buffer = arena.allocate(KEY_BYTES);
            for (final Role other : Role.values())
            {
                if (other == self)
                {
                    continue;
                }
                final int lo = Math.min(self.id(), other.id());
                final int hi = Math.max(self.id(), other.id());
                if (self.id() == lo)
                {
                    final byte[] key = new byte[KEY_BYTES];
                    random.nextBytes(key);
                    MemorySegment.copy(key, 0, buffer, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, KEY_BYTES);
                    transport.link(other.id()).send(Step.SESSION_KEY.tag(), buffer);
                    keys[lo][hi] = key;
                }
                else
                {
                    transport.link(other.id()).receive(Step.SESSION_KEY.tag(), buffer);
                    keys[lo][hi] = buffer.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                }
            }
            buffer.fill((byte)0);
        }
        final byte[] own = new byte[KEY_BYTES];
        random.nextBytes(own);
        return new Randomness(self, keys, own);
    }

    public Party party()
    {
        return party;
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
