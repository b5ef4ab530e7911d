package securenn.transport;

/**
 * The three parties of a session inside one JVM, sharing one embedded driver (IPC, or UDP on loopback): for tests,
 * the demo and benchmarks. Each {@link PartyTransport} is then handed to its own thread.
 */
public final class LocalParties implements AutoCloseable
{
    private final EmbeddedDriver driver;
    private final PartyTransport[] parties = new PartyTransport[Parties.COUNT];

    private LocalParties(final EmbeddedDriver driver)
    {
        this.driver = driver;
    }

    public static LocalParties start(final TransportConfig config)
    {
        config.conclude();
        if (config.threadingMode() == io.aeron.driver.ThreadingMode.INVOKER)
        {
            throw new IllegalArgumentException("threadingMode INVOKER needs one party per process; three parties in one "
                + "JVM share a driver that must run its own thread (SHARED, SHARED_NETWORK or DEDICATED)");
        }
        final LocalParties local = new LocalParties(EmbeddedDriver.startShared(config));
        try
        {
            for (int p = 0; p < Parties.COUNT; p++)
            {
                local.parties[p] = PartyTransport.open(p, local.driver);
            }
            for (final PartyTransport party : local.parties)
            {
                party.awaitConnected();
            }
            return local;
        }
        catch (final RuntimeException ex)
        {
            local.close();
            throw ex;
        }
    }

    public PartyTransport party(final int party)
    {
        Parties.check(party);
        return parties[party];
    }

    @Override
    public void close()
    {
        for (final PartyTransport party : parties)
        {
            if (party != null)
            {
                party.close();
            }
        }
        driver.close();
    }
}
