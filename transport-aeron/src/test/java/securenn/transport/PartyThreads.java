package securenn.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one body per party on its own thread and rethrows the first failure, naming the party. */
final class PartyThreads
{
    @FunctionalInterface
    interface PartyBody
    {
        void run(PartyTransport party) throws Exception;
    }

    private PartyThreads()
    {
    }

    /** Runs the body for all three parties and returns each party's failure (null if it succeeded). */
    static List<Throwable> runAll(final LocalParties parties, final long timeoutSeconds, final PartyBody body)
        throws InterruptedException
    {
        return runAll(parties::party, timeoutSeconds, body);
    }

    /** As {@link #runAll(LocalParties, long, PartyBody)} for parties from anywhere (e.g. {@link SeparateDrivers}). */
    static List<Throwable> runAll(final java.util.function.IntFunction<PartyTransport> parties, final long timeoutSeconds,
        final PartyBody body) throws InterruptedException
    {
        final Throwable[] failures = new Throwable[Parties.COUNT];
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < Parties.COUNT; p++)
        {
            final int id = p;
            final Thread t = Thread.ofPlatform().name("party-" + p).start(() ->
            {
                try
                {
                    body.run(parties.apply(id));
                }
                catch (final Throwable ex)
                {
                    failures[id] = ex;
                }
            });
            threads.add(t);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (final Thread t : threads)
        {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive())
            {
                throw new AssertionError(t.getName() + " still running after " + timeoutSeconds + " s: a hang");
            }
        }
        return java.util.Arrays.asList(failures);
    }

    /** Runs the body for all three parties and fails if any party failed. */
    static void run(final LocalParties parties, final long timeoutSeconds, final PartyBody body) throws InterruptedException
    {
        final List<Throwable> failures = runAll(parties, timeoutSeconds, body);
        for (int p = 0; p < failures.size(); p++)
        {
            if (failures.get(p) != null)
            {
                throw new AssertionError(Parties.name(p) + " failed: " + failures.get(p), failures.get(p));
            }
        }
    }
}
