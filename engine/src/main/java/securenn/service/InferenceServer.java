package securenn.service;

import securenn.config.ClusterConfig;
import securenn.kernels.Ring;
import securenn.mpc.Role;
import securenn.mpc.Step;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.nn.SecureInference;
import securenn.security.SessionSecurity;
import securenn.transport.TransportException;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One party of the secure inference service. P0 and P1 hold the model's shares and accept clients' input shares over
 * TCP; P2 holds nothing and assists. P0 leads: it batches its queue dynamically (at most {@code max-batch} requests,
 * or what arrived within {@code max-wait-ms} of the oldest), tells P1 which request ids form the batch and P2 how many,
 * and the three run one secure forward pass; P0 and P1 then answer each client with their share of its logits. When
 * idle P0 sends empty batches as heartbeats, so the peers' message timeout only fires on a real failure.
 *
 * <p>Admission: P0's queue is bounded ({@code queue-capacity}); a request that finds it full is rejected at once.
 * A request P1 has not received when its batch runs (the client's second share is late) is answered TIMEOUT by P1.
 * Requests older than {@code request-timeout-ms} are answered TIMEOUT instead of being computed.
 * At start the parties exchange digests of the network and (P0, P1) of the model id and refuse to serve mismatched
 * shares. {@link #stop} drains: no new clients, the queue is served, then P0 tells the peers to stop.
 */
public final class InferenceServer implements AutoCloseable
{
    private static final int STOP = -1;
    private static final long WAIT_NS = 50_000;
    private static final long REPORT_NS = 10_000_000_000L;

    private final ClusterConfig config;
    private final Role role;
    private final NetworkSpec spec;
    private final ModelFile.SharedModel model;
    private final int fractionBits;
    private final SessionSecurity security;
    private final PrintStream log;
    private final ServiceMetrics metrics = new ServiceMetrics();
    private final BlockingQueue<ClientGateway.Incoming> queue;
    private final PendingShares pending;
    /** Ids P1 refused recently: when P0 schedules one, P1 need not wait for a share it will never hold. */
    private final java.util.Set<Long> refused = java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>()
    {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<Long, Boolean> eldest)
        {
            return size() > 65_536;
        }
    });
    private final CountDownLatch finished = new CountDownLatch(1);
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean stopping;
    /** A session is up: requests are admitted; otherwise they are answered UNAVAILABLE at once. */
    private volatile boolean serving;
    /** The batch being computed (answered FAILED if the session breaks meanwhile). */
    private volatile List<ClientGateway.Incoming> computing = List.of();
    private long lastReport = System.nanoTime();
    private ClientGateway gateway;
    private PartySession session;
    /** Bytes sent to peers by the sessions before the current one (each session's transport counts from zero). */
    private long bytesOfEndedSessions;

    /**
     * @param model        this party's shares; null for P2
     * @param fractionBits P2's fixed-point precision (P0 and P1 take theirs from the shares; the handshake checks all agree)
     */
    public InferenceServer(final ClusterConfig config, final Role role, final NetworkSpec spec, final ModelFile.SharedModel model,
        final int fractionBits, final SessionSecurity security, final PrintStream log)
    {
        if (role.holdsShares() != (model != null))
        {
            throw new IllegalArgumentException(role.holdsShares() ? role + " needs its model shares (--shares)"
                : "P2 holds no model shares; give it only --network");
        }
        if (model != null && model.party() != role)
        {
            throw new IllegalArgumentException("the share file belongs to " + model.party() + ", not to " + role);
        }
        if (model != null && !model.spec().describe().equals(spec.describe()))
        {
            throw new IllegalArgumentException("the share file is of network " + model.spec().name() + ", not " + spec.name());
        }
        this.config = config;
        this.role = role;
        this.spec = spec;
        this.model = model;
        this.fractionBits = model != null ? model.fractionBits() : fractionBits;
        this.security = security;
        this.log = log;
        this.queue = new ArrayBlockingQueue<>(config.service().queueCapacity());
        // P1 holds shares of everything in P0's queue plus the batch in flight; one client address, of its part of that
        this.pending = new PendingShares(2 * config.service().queueCapacity() + config.service().maxBatch(),
            config.service().queueCapacity() + config.service().maxBatch());
    }

    /** What this server tells every client first: its role and the public parameters of the model it serves. */
    private Wire.Hello hello()
    {
        final NetworkSpec.Shape in = spec.input();
        return new Wire.Hello(role.id(), in.channels(), in.height(), in.width(), spec.output().size(), fractionBits,
            spec.name(), model.modelId(), spec.preprocessing());
    }

    /**
     * Forms a session with the peers, serves, and when the session fails (a peer died, a link broke) answers what was
     * pending with FAILED, waits one message timeout so that every peer has noticed, and forms a new session — a
     * restarted party rejoins that way. Returns when stopped (a drained stop ends all three parties); throws on what
     * no new session can fix: a peer with another network or other model shares, or encryption switched off on one
     * side only.
     */
    public void run() throws IOException
    {
        try
        {
            // Everything slow that is not a protocol step happens before any session: the TLS gateway (a cold JSSE and
            // a certificate take seconds on a slow machine). Clients that connect before a session is up are answered
            // UNAVAILABLE.
            if (role.holdsShares())
            {
                gateway = new ClientGateway(config.clientPort(role), hello(), this::admit, security.clientTls(role));
                log.printf("%s: accepting clients for network %s on TCP port %d over %s (max batch %d, max wait %d ms, queue %d)%n",
                    role, spec.name(), gateway.port(), security.encrypt() ? "TLS 1.3" : "PLAINTEXT TCP", config.service().maxBatch(),
                    config.service().maxWaitMs(), config.service().queueCapacity());
            }
            int sessions = 0;
            while (!stopping)
            {
                if (!formSession())
                {
                    pause(config.messageTimeoutMs());
                    continue;
                }
                sessions++;
                log.printf("%s: session %d formed, links %s; %s%n", role, sessions, session.encryptedLinks(),
                    role.holdsShares() ? "serving" : "assisting the session for network " + spec.name());
                serving = true;
                ready.countDown();
                try
                {
                    switch (role)
                    {
                        case P0 -> lead();
                        case P1 -> follow();
                        case P2 -> assist();
                    }
                    log.printf("%s: stopped; %s%n", role, metrics.summary());
                    return;
                }
                catch (final RuntimeException ex)
                {
                    serving = false;
                    final String why = "session " + sessions + " failed: " + ex.getMessage();
                    failAll(why + "; retry shortly");
                    log.printf("%s: %s; forming a new session in %d ms%n", role, why, config.messageTimeoutMs());
                    closeSession();
                    pause(config.messageTimeoutMs()); // every peer notices within a message timeout: none is still in the old session
                }
            }
        }
        finally
        {
            serving = false;
            ready.countDown();
            close();
            finished.countDown();
        }
    }

    /**
     * Opens a session and checks the peers' network and model; false (logged) if a peer is unreachable or vanished
     * meanwhile. Waits for absent peers as long as it takes, reporting every connect timeout.
     */
    private boolean formSession()
    {
        log.printf("%s: waiting for the peers at %s, %s, %s%n", role, config.endpoint(Role.P0), config.endpoint(Role.P1),
            config.endpoint(Role.P2));
        try
        {
            session = PartySession.open(config, role, security, missing ->
            {
                if (stopping)
                {
                    throw new TransportException(role + " stopped while waiting for its peers");
                }
                log.printf("%s: still waiting: %s%n", role, missing);
            });
            SessionHandshake.check(session, spec, fractionBits, model == null ? null : model.modelId());
            return true;
        }
        catch (final TransportException | SecurityException ex)
        {
            // a peer vanished mid-handshake, or (SecurityException) a stale handshake message from an earlier attempt
            // or an impostor: both are refused, logged and retried
            log.printf("%s: no session: %s%n", role, ex.getMessage());
            closeSession();
            return false;
        }
    }

    private void pause(final long ms)
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (!stopping && System.nanoTime() - end < 0)
        {
            LockSupport.parkNanos(10_000_000);
        }
    }

    /** Blocks until the server serves clients (or failed to start). */
    public boolean awaitReady(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return ready.await(timeout, unit);
    }

    /** Graceful stop: refuse new clients, serve what is queued, stop the peers (P0), wait for the loop to end. */
    public void stop(final long timeoutMs) throws InterruptedException
    {
        stopping = true;
        if (gateway != null)
        {
            gateway.close();
        }
        finished.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public ServiceMetrics metrics()
    {
        return metrics;
    }

    private void admit(final ClientGateway.Incoming r)
    {
        if (stopping)
        {
            r.connection().error(r.id(), Wire.Status.SHUTTING_DOWN, role + " is shutting down");
            return;
        }
        if (!serving)
        {
            metrics.rejected();
            r.connection().error(r.id(), Wire.Status.UNAVAILABLE, role + " has no session with its peers right now "
                + "(one is being formed); retry shortly");
            return;
        }
        if (role == Role.P0)
        {
            if (!queue.offer(r))
            {
                metrics.rejected();
                r.connection().error(r.id(), Wire.Status.REJECTED, "P0's queue is full (" + config.service().queueCapacity()
                    + " requests waiting); retry later");
            }
            return;
        }
        final PendingShares.Admission admission = pending.offer(r);
        if (admission != PendingShares.Admission.ADMITTED)
        {
            metrics.rejected();
            synchronized (refused)
            {
                refused.add(r.id());
            }
            r.connection().error(r.id(), Wire.Status.REJECTED, switch (admission)
            {
                case DUPLICATE -> "request id " + r.id() + " is already pending at P1";
                case CLIENT_FULL -> "this client address already has " + pending.perClient() + " requests waiting at P1 "
                    + "(P0's queue capacity plus one batch); wait for answers before sending more";
                default -> "P1's pending table is full; retry later";
            });
            return;
        }
    }

    // ---- P0 ----

    private void lead()
    {
        final long heartbeatMs = Math.max(50, Math.min(1_000, config.messageTimeoutMs() / 4));
        final ClusterConfig.Service s = config.service();
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(s.requestTimeoutMs());
        final List<ClientGateway.Incoming> batch = new ArrayList<>(s.maxBatch());
        while (true)
        {
            batch.clear();
            final ClientGateway.Incoming first = poll(heartbeatMs * 1_000_000);
            if (first == null)
            {
                if (stopping && queue.isEmpty())
                {
                    announce(STOP, batch);
                    return;
                }
                announce(0, batch);
            }
            else
            {
                batch.add(first);
                final long deadline = first.arrivalNanos() + TimeUnit.MILLISECONDS.toNanos(s.maxWaitMs());
                while (batch.size() < s.maxBatch())
                {
                    final ClientGateway.Incoming next = queue.poll();
                    if (next != null)
                    {
                        batch.add(next);
                        continue;
                    }
                    final long left = deadline - System.nanoTime();
                    if (left <= 0)
                    {
                        break;
                    }
                    final ClientGateway.Incoming late = poll(left);
                    if (late == null)
                    {
                        break;
                    }
                    batch.add(late);
                }
                final long now = System.nanoTime();
                batch.removeIf(r ->
                {
                    final boolean expired = now - r.arrivalNanos() > timeoutNs;
                    if (expired)
                    {
                        metrics.failed();
                        r.connection().error(r.id(), Wire.Status.TIMEOUT, "request waited longer than " + s.requestTimeoutMs() + " ms");
                    }
                    return expired;
                });
                computing = List.copyOf(batch);
                announce(batch.size(), batch);
                compute(batch);
            }
            reportEvery10s();
        }
    }

    /** Prints the metrics of the last interval once 10 s have passed since the previous report. */
    private void reportEvery10s()
    {
        if (System.nanoTime() - lastReport > REPORT_NS)
        {
            log.printf("%s: %s; %s%n", role, metrics.interval(bytesOfEndedSessions + session.bytesSent()), ServiceMetrics.memory());
            lastReport = System.nanoTime();
        }
    }

    /** The next queued request, waiting up to {@code nanos} while keeping the links alive. */
    private ClientGateway.Incoming poll(final long nanos)
    {
        final long deadline = System.nanoTime() + nanos;
        while (true)
        {
            final ClientGateway.Incoming r = queue.poll();
            if (r != null || System.nanoTime() - deadline >= 0 || (stopping && queue.isEmpty()))
            {
                return r;
            }
            waitABit();
        }
    }

    /** Runs the transport's duty cycles; parks briefly when there was nothing to do. */
    private void waitABit()
    {
        if (session.pump() == 0)
        {
            LockSupport.parkNanos(WAIT_NS);
        }
    }

    /** Tells P2 the batch size and P1 the size and the request ids. */
    private void announce(final int n, final List<ClientGateway.Incoming> batch)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment count = arena.allocate(8);
            count.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, n);
            session.party().send(Role.P1, Step.SERVICE_BATCH, count);
            session.party().send(Role.P2, Step.SERVICE_BATCH, count);
            if (n > 0)
            {
                final MemorySegment ids = arena.allocate(8L * n);
                for (int i = 0; i < n; i++)
                {
                    ids.setAtIndex(Ring.LONG, i, batch.get(i).id());
                }
                session.party().send(Role.P1, Step.SERVICE_IDS, ids);
            }
        }
    }

    // ---- P1 ----

    private void follow()
    {
        final long waitNs = TimeUnit.MILLISECONDS.toNanos(Math.min(config.service().requestTimeoutMs(), config.messageTimeoutMs() / 2));
        while (true)
        {
            final int n = receiveCount();
            if (n == STOP)
            {
                return;
            }
            if (n > 0)
            {
                final long[] ids = new long[n];
                try (Arena arena = Arena.ofConfined())
                {
                    final MemorySegment seg = arena.allocate(8L * n);
                    session.party().receive(Role.P0, Step.SERVICE_IDS, seg);
                    MemorySegment.copy(seg, Ring.LONG, 0, ids, 0, n);
                }
                final List<ClientGateway.Incoming> batch = new ArrayList<>(n);
                final long deadline = System.nanoTime() + waitNs;
                computing = batch;
                for (final long id : ids)
                {
                    batch.add(awaitShare(id, deadline));
                }
                compute(batch);
            }
            evictExpired();
            reportEvery10s();
        }
    }

    /** P1's share of request {@code id}, waiting for it until the deadline; a placeholder (null share) if it is late. */
    private ClientGateway.Incoming awaitShare(final long id, final long deadline)
    {
        while (true)
        {
            final ClientGateway.Incoming r = pending.take(id);
            if (r != null)
            {
                return r;
            }
            final boolean wasRefused;
            synchronized (refused)
            {
                wasRefused = refused.remove(id);
            }
            if (wasRefused || deadline - System.nanoTime() <= 0)
            {
                return new ClientGateway.Incoming(id, null, null, System.nanoTime());
            }
            waitABit();
        }
    }

    /**
     * Drops shares P0 can no longer schedule. P0 decides: it schedules a request until the timeout after its own
     * arrival there, which can lag the arrival here, so P1 waits a grace period longer. Evicting at the same timeout
     * raced with P0 (the 10-minute soak's one failure: P1 answered TIMEOUT for a request that P0 may then have
     * scheduled). A request P0 expires is answered TIMEOUT by P0 first.
     */
    private void evictExpired()
    {
        final long now = System.nanoTime();
        final long graceMs = Math.max(1_000, config.service().maxWaitMs() + config.messageTimeoutMs() / 4);
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(config.service().requestTimeoutMs() + graceMs);
        pending.evict(r -> now - r.arrivalNanos() > timeoutNs, r -> r.connection().error(r.id(), Wire.Status.TIMEOUT,
            "P0 never scheduled this request within " + (config.service().requestTimeoutMs() + graceMs)
                + " ms (rejected, expired or lost there)"));
    }

    // ---- P2 ----

    private void assist()
    {
        while (true)
        {
            final int n = receiveCount();
            if (n == STOP)
            {
                return;
            }
            if (n > 0)
            {
                SecureInference.forward(session.party(), spec, new MemorySegment[spec.parameterCount()], null, null, n,
                    fractionBits);
                metrics.batch();
            }
            reportEvery10s();
        }
    }

    private int receiveCount()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment count = arena.allocate(8);
            session.party().receive(Role.P0, Step.SERVICE_BATCH, count);
            return (int)count.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        }
    }

    // ---- P0 and P1 ----

    /** One secure forward pass over the batch and the answers to its clients. */
    private void compute(final List<ClientGateway.Incoming> batch)
    {
        final int n = batch.size();
        if (n == 0)
        {
            return;
        }
        final int in = spec.input().size();
        final int k = spec.output().size();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment x = arena.allocate((long)n * in * 8, 64);
            for (int i = 0; i < n; i++)
            {
                final long[] share = batch.get(i).share();
                if (share != null)
                {
                    MemorySegment.copy(share, 0, x, Ring.LONG, (long)i * in * 8, in);
                }
            }
            final MemorySegment y = arena.allocate((long)n * k * 8, 64);
            SecureInference.forward(session.party(), spec, model.params(), x, y, n, fractionBits);
            computing = List.of();
            metrics.batch();
            final long now = System.nanoTime();
            for (int i = 0; i < n; i++)
            {
                final ClientGateway.Incoming r = batch.get(i);
                if (r.share() == null)
                {
                    metrics.failed();
                    lateShare(r.id());
                    continue;
                }
                final long[] out = new long[k];
                MemorySegment.copy(y, Ring.LONG, (long)i * k * 8, out, 0, k);
                metrics.served(r.arrivalNanos(), now); // before the answer, so a client that has it sees it counted
                r.connection().ok(r.id(), out);
            }
        }
    }

    /** P1 computed a placeholder for a share that never came; if it arrives now, tell its client. */
    private void lateShare(final long id)
    {
        final ClientGateway.Incoming late = pending.take(id);
        if (late != null)
        {
            late.connection().error(id, Wire.Status.TIMEOUT, "this share reached P1 after its batch had started");
        }
    }

    private void failAll(final String why)
    {
        for (final ClientGateway.Incoming r : computing)
        {
            if (r.connection() != null)
            {
                metrics.failed();
                r.connection().error(r.id(), Wire.Status.FAILED, why);
            }
        }
        computing = List.of();
        for (final ClientGateway.Incoming r : queue)
        {
            r.connection().error(r.id(), Wire.Status.FAILED, why);
        }
        queue.clear();
        pending.evict(r -> true, r -> r.connection().error(r.id(), Wire.Status.FAILED, why));
    }

    private void closeSession()
    {
        if (session != null)
        {
            bytesOfEndedSessions += session.bytesSent();
            session.close();
            session = null;
        }
    }

    @Override
    public void close()
    {
        if (gateway != null)
        {
            gateway.close();
        }
        closeSession();
    }
}
