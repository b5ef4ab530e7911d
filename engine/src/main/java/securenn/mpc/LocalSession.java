package securenn.mpc;

import securenn.kernels.Kernels;
import securenn.transport.LocalParties;
import securenn.transport.TransportConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Three parties in one JVM (Aeron IPC by default), each on its own thread: for tests, the demo and benchmarks.
 * {@link #run} hands every party the same program and returns the three results; a party's failure is rethrown
 * naming the party, and the others are interrupted by their transport timeouts.
 */
public final class LocalSession implements AutoCloseable
{
    /** The program each party runs; P2 receives no shares. */
    @FunctionalInterface
    public interface Program<T>
    {
        T run(Party party) throws Exception;
    }

    private final LocalParties transports;
    private final Party[] parties = new Party[3];
    private final ExecutorService threads;

    /**
     * The three parties with the given keys, indexed by role id: {@link Randomness#freshSession()} for a session whose
     * streams nobody can predict, or {@link Randomness#seededForTwinChecks} where a test or the fixed-point twin must
     * replay them.
     */
    public LocalSession(final TransportConfig config, final Randomness[] keys)
    {
        transports = LocalParties.start(config);
        for (final Role role : Role.values())
        {
            parties[role.id()] = new Party(role, transports.party(role.id()), keys[role.id()], Kernels.best());
        }
        threads = Executors.newFixedThreadPool(3, r ->
        {
            final Thread t = new Thread(r, "securenn-party");
            t.setDaemon(true);
            return t;
        });
    }

    /** Keys from {@code seed} ({@link Randomness#seededForTwinChecks}): reproducible, not secret; for tests and twins. */
    public static LocalSession seededForTwinChecks(final TransportConfig config, final long seed)
    {
        return new LocalSession(config, Randomness.seededForTwinChecks(seed));
    }

    /** Over Aeron IPC with seeded keys ({@link #seededForTwinChecks(TransportConfig, long)}), parties yielding. */
    public static LocalSession seededForTwinChecks(final long seed)
    {
        return seededForTwinChecks(seed, "yield");
    }

    /** Over Aeron IPC with seeded keys and the waiting parties' idle strategy named ({@link #ipcConfig}). */
    public static LocalSession seededForTwinChecks(final long seed, final String partyIdle)
    {
        return seededForTwinChecks(ipcConfig(partyIdle), seed);
    }

    /** Over Aeron IPC with fresh keys from {@link java.security.SecureRandom}: what the CLI runs unless told otherwise. */
    public static LocalSession freshKeys(final String partyIdle)
    {
        return new LocalSession(ipcConfig(partyIdle), Randomness.freshSession());
    }

    /**
     * Aeron IPC with the waiting parties' idle strategy named ({@link securenn.transport.IdleStrategies}): "yield" for
     * the lowest latency; "backoff" parks after a short spin, for steps that compute for long between messages (with
     * three parties on two cores a yielding waiter takes CPU from the two that compute).
     */
    public static TransportConfig ipcConfig(final String partyIdle)
    {
        return TransportConfig.ipc().messageTimeout(20, TimeUnit.SECONDS).partyIdle(partyIdle);
    }

    public Party party(final Role role)
    {
        return parties[role.id()];
    }

    /** Runs the program on all three parties at once; returns results indexed by role id. */
    public <T> List<T> run(final Program<T> program)
    {
        final List<Future<T>> futures = new ArrayList<>();
        for (final Party p : parties)
        {
            futures.add(threads.submit(() -> program.run(p)));
        }
        final List<T> results = new ArrayList<>();
        RuntimeException failure = null;
        for (int i = 0; i < 3; i++)
        {
            try
            {
                results.add(futures.get(i).get(10, TimeUnit.MINUTES));
            }
            catch (final ExecutionException ex)
            {
                results.add(null);
                if (failure == null)
                {
                    failure = new IllegalStateException(Role.of(i) + " failed: " + ex.getCause(), ex.getCause());
                }
                else
                {
                    // often the root cause: a party that throws leaves its peers waiting for its next message
                    failure.addSuppressed(new IllegalStateException(Role.of(i) + " failed: " + ex.getCause(), ex.getCause()));
                }
            }
            catch (final InterruptedException | TimeoutException ex)
            {
                throw new IllegalStateException(Role.of(i) + " did not finish: " + ex, ex);
            }
        }
        if (failure != null)
        {
            throw failure;
        }
        return results;
    }

    @Override
    public void close()
    {
        threads.shutdownNow();
        transports.close();
    }
}
