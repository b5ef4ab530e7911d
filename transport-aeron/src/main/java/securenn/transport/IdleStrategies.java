package securenn.transport;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.List;

/**
 * Idle strategies by name, for configuration files and command lines.
 *
 * <ul>
 *   <li>{@code adaptive} — yield while a wait is younger than 50 µs, then park from 1 µs doubling to 100 µs
 *       ({@link YieldThenParkIdleStrategy}); measured 1.3–1.6× slower than yield quiet and 1.7–4.5× with busy
 *       loops beside the parties (perf-reports/idle.md).</li>
 *   <li>{@code yield} — {@code Thread.yield()} between polls, the parties' default: the lowest latency that does
 *       not starve other parties when they outnumber cores (measured ~8 µs UDP ping-pong on 2 cores); the fastest of
 *       these on a quiet host (perf-reports/idle.md; beside busy loops the runs disagree).</li>
 *   <li>{@code backoff} — spin, then yield, then park from 1 µs up to 100 µs: for driver threads that must stay
 *       cheap while the parties compute.</li>
 *   <li>{@code sleep} — park 100 µs: lowest CPU, highest latency.</li>
 *   <li>{@code busy-spin} — only for hosts with a core per spinning thread; catastrophic on 2 cores (milliseconds
 *       per round trip).</li>
 * </ul>
 */
public final class IdleStrategies
{
    public static final List<String> NAMES = List.of("yield", "backoff", "adaptive", "sleep", "busy-spin");

    private IdleStrategies()
    {
    }

    public static IdleStrategy create(final String name)
    {
        return switch (name)
        {
            case "adaptive" -> new YieldThenParkIdleStrategy();
            case "yield" -> YieldingIdleStrategy.INSTANCE;
            case "backoff" -> new BackoffIdleStrategy(10, 100, 1_000, 100_000);
            case "sleep" -> new SleepingIdleStrategy(100_000);
            case "busy-spin" -> BusySpinIdleStrategy.INSTANCE;
            default -> throw new IllegalArgumentException("idle strategy '" + name + "' is not one of " + NAMES);
        };
    }
}
