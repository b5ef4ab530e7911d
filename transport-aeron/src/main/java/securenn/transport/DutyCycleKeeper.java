package securenn.transport;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * A daemon thread that gives a party's duty cycles a turn every {@value #INTERVAL_MS} ms, so that the Aeron client
 * and (in INVOKER mode) the media driver keep running while the party thread computes: the driver keeps sending
 * heartbeats and status messages, keeps receiving into the image, and image events (a peer lost, a peer's new
 * session) are seen at once. The action decides whether the party thread ran them recently enough itself.
 *
 * <p>Why a keeper and not a driver thread: INVOKER (the driver's duty cycle on the party thread while it waits) was
 * measured the fastest mode for three parties on 2 cores (docs/ARCHITECTURE.md, Transport), and its one flaw was
 * that a computing party fell silent. The keeper removes the flaw and costs one short wake-up every
 * {@value #INTERVAL_MS} ms; the data path is unchanged.
 */
final class DutyCycleKeeper implements AutoCloseable
{
    /**
     * Period of the keeper's turns. Far below the driver's heartbeat (100 ms) and liveness (≥ 2 s) periods, and short
     * enough that bulk data keeps flowing into the receive window while the party computes.
     */
    static final long INTERVAL_MS = 10;
    private static final long INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);

    private final Thread thread;
    private volatile boolean running = true;

    DutyCycleKeeper(final String party, final LongConsumer turn)
    {
        this.thread = Thread.ofPlatform().daemon().name("securenn-keeper-" + party).unstarted(() ->
        {
            while (running)
            {
                LockSupport.parkNanos(INTERVAL_NS);
                if (running)
                {
                    turn.accept(INTERVAL_NS);
                }
            }
        });
    }

    /** Starts the turns; call once the Aeron client has created everything the party needs. */
    void start()
    {
        thread.start();
    }

    @Override
    public void close()
    {
        running = false;
        if (thread.isAlive())
        {
            LockSupport.unpark(thread);
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
