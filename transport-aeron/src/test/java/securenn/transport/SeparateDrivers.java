package securenn.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * Three parties in one JVM as they run in three processes: each on a media driver of its own in INVOKER mode (the
 * driver runs only when its party's thread — or its keeper — runs the duty cycle), over UDP on loopback.
 */
final class SeparateDrivers implements AutoCloseable
{
    private final List<EmbeddedDriver> drivers = new ArrayList<>();
    private final PartyTransport[] parties = new PartyTransport[Parties.COUNT];

    SeparateDrivers(final TransportConfig config)
    {
        try
        {
            for (int p = 0; p < Parties.COUNT; p++)
            {
                final EmbeddedDriver driver = EmbeddedDriver.start(config);
                drivers.add(driver);
                parties[p] = PartyTransport.open(p, driver);
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    PartyTransport party(final int p)
    {
        return parties[p];
    }

    /** Runs one body per party on its own thread, each first awaiting its links; returns each party's failure. */
    List<Throwable> runAll(final long timeoutSeconds, final PartyThreads.PartyBody body) throws InterruptedException
    {
        return PartyThreads.runAll(this::party, timeoutSeconds, party ->
        {
            party.awaitConnected(); // INVOKER: each party's thread must run its own driver while the links come up
            body.run(party);
        });
    }

    @Override
    public void close()
    {
        for (final PartyTransport p : parties)
        {
            if (p != null)
            {
                p.close();
            }
        }
        for (final EmbeddedDriver d : drivers)
        {
            d.close();
        }
    }
}
