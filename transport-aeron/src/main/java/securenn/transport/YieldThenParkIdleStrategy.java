package securenn.transport;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * Yields while a wait is young, then parks ({@code adaptive}): the back-off candidate for the party thread, measured
 * and not chosen as the default.
 *
 * <p>Why time, not counts: a wait that is answered within {@link #yieldNs} (a protocol round on a quiet host: tens of
 * microseconds) costs exactly what {@code Thread.yield()} costs, so the quiet-machine latency of a round is that of
 * the yielding strategy. A longer wait means the peer is computing; from then on the waiter parks, from
 * {@link #minParkNs} doubling to {@link #maxParkNs}, so it stops taking CPU from the parties that compute (three
 * parties on two cores, or other processes on the host). Agrona's {@code BackoffIdleStrategy} counts yields instead:
 * on a loaded host each yield can give the CPU away for a whole time slice, so a fixed count of yields can last
 * hundreds of milliseconds before it ever parks — exactly when parking matters. A parked thread also wakes with the
 * scheduler's sleeper credit, ahead of busy loops, where a yielding one queues behind them.
 *
 * <p>Measured (perf-reports/idle.md, `bin/bench idle`, 2-core host, three party processes, two runs): 1.6× and 1.3×
 * slower than {@code yield} over Table 8 on a quiet host, 4.5× and 1.7× slower with two busy loops beside the
 * parties. Many waits outlast the yield phase (a peer computing for milliseconds), and each then costs up to one park
 * plus the kernel's timer slack (about 50 µs). Kept as an option ({@code session.idle = "adaptive"}) for hosts where
 * waiting parties outnumber cores by more.
 *
 * <p>Not thread-safe: one instance per waiting thread, as Agrona's strategies with state.
 */
public final class YieldThenParkIdleStrategy implements IdleStrategy
{
    /** How long a wait only yields: longer than a loopback round trip (~10 µs), shorter than any local step. */
    public static final long DEFAULT_YIELD_NS = 50_000;
    /** The first park; Linux rounds it up to its timer slack anyway. */
    public static final long DEFAULT_MIN_PARK_NS = 1_000;
    /** The longest park: bounds the extra latency of a long wait to about this plus the timer slack. */
    public static final long DEFAULT_MAX_PARK_NS = 100_000;

    private final long yieldNs;
    private final long minParkNs;
    private final long maxParkNs;
    private long idleSinceNs;
    private long parkNs;

    public YieldThenParkIdleStrategy()
    {
        this(DEFAULT_YIELD_NS, DEFAULT_MIN_PARK_NS, DEFAULT_MAX_PARK_NS);
    }

    public YieldThenParkIdleStrategy(final long yieldNs, final long minParkNs, final long maxParkNs)
    {
        if (yieldNs < 0 || minParkNs <= 0 || maxParkNs < minParkNs)
        {
            throw new IllegalArgumentException("need yieldNs >= 0 and 0 < minParkNs <= maxParkNs, but got yieldNs="
                + yieldNs + ", minParkNs=" + minParkNs + ", maxParkNs=" + maxParkNs);
        }
        this.yieldNs = yieldNs;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        reset();
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        final long now = System.nanoTime();
        if (idleSinceNs == Long.MIN_VALUE)
        {
            idleSinceNs = now;
        }
        if (now - idleSinceNs < yieldNs)
        {
            Thread.yield();
            return;
        }
        LockSupport.parkNanos(parkNs);
        parkNs = Math.min(parkNs << 1, maxParkNs);
    }

    @Override
    public void reset()
    {
        idleSinceNs = Long.MIN_VALUE;
        parkNs = minParkNs;
    }

    /** True once the current wait has left its yield phase (for tests). */
    boolean parking()
    {
        return idleSinceNs != Long.MIN_VALUE && System.nanoTime() - idleSinceNs >= yieldNs;
    }

    @Override
    public String alias()
    {
        return "adaptive";
    }
}
