package securenn.transport;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Subscription;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.IdleStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One party's side of a three-party session: an Aeron client on an {@link EmbeddedDriver}, and a {@link Link} to
 * each of the two other parties.
 *
 * <p>Threading: the client's duty cycle (and the driver's, in INVOKER mode) runs on the party's protocol thread
 * whenever a send or receive waits, and on a {@link DutyCycleKeeper} thread whenever the party thread has not run it
 * for {@value DutyCycleKeeper#INTERVAL_MS} ms — so a party that computes for a long time (a big GEMM, a cold first
 * batch, a GC pause) keeps sending the driver's heartbeats and status messages and never looks dead to its peers,
 * while the data path keeps INVOKER's latency (no hand-off between threads). A lock keeps the two from running the
 * duty cycles at once. A party transport is used by one protocol thread at a time. While a send is back-pressured the party drains both incoming links into staging buffers, so two parties
 * sending large messages to each other make progress instead of deadlocking.
 *
 * <p>Rounds are counted as a Lamport clock: every message carries the sender's clock + 1, and a receiver's clock
 * becomes the maximum of its own and the message's. The clock is thus the length of the longest chain of messages,
 * each sent after the previous one arrived, that led to this party's state — the paper's communication rounds, which
 * bound a protocol's latency as rounds × round-trip time. Messages sent back to back share one depth.
 */
public final class PartyTransport implements AutoCloseable
{
    private final int self;
    private final TransportConfig config;
    private final Aeron aeron;
    private final AgentInvoker conductor;
    private final AgentInvoker driverInvoker;
    private final IdleStrategy idle;
    private final Link[] links = new Link[Parties.COUNT];
    private final java.util.concurrent.locks.ReentrantLock dutyCycle = new java.util.concurrent.locks.ReentrantLock();
    private final DutyCycleKeeper keeper;
    private volatile long lastDutyCycleNs = System.nanoTime();
    private boolean closed; // guarded by dutyCycle
    private int clock;

    private PartyTransport(final int self, final EmbeddedDriver driver)
    {
        this.self = self;
        this.config = driver.config();
        this.idle = IdleStrategies.create(config.partyIdle());
        final Aeron.Context ctx = new Aeron.Context()
            .aeronDirectoryName(driver.directory())
            .useConductorAgentInvoker(true)
            .driverAgentInvoker(driver.invoker())
            .driverTimeoutMs(TimeUnit.MINUTES.toMillis(5))
            .availableImageHandler(this::imageAvailable)
            .unavailableImageHandler(this::imageUnavailable);
        this.aeron = Aeron.connect(ctx);
        this.conductor = aeron.conductorAgentInvoker();
        this.driverInvoker = driver.invoker();
        this.keeper = new DutyCycleKeeper(Parties.name(self), this::keepAlive);
    }

    /**
     * Creates party {@code self}'s publications and subscriptions without waiting for the peers; call
     * {@link #awaitConnected()} once every party of the session has been opened.
     */
    public static PartyTransport open(final int self, final EmbeddedDriver driver)
    {
        Parties.check(self);
        final PartyTransport party = new PartyTransport(self, driver);
        try
        {
            for (int peer = 0; peer < Parties.COUNT; peer++)
            {
                if (peer != self)
                {
                    party.links[peer] = party.createLink(peer);
                }
            }
            party.keeper.start(); // only now: creating links runs the driver's duty cycle on this thread
            return party;
        }
        catch (final RuntimeException ex)
        {
            party.close();
            throw new TransportException(Parties.name(self) + " could not open its links: " + ex.getMessage(), ex);
        }
    }

    private Link createLink(final int peer)
    {
        final TransportConfig c = config;
        final ExclusivePublication pub;
        final Subscription sub;
        if (c.isIpc())
        {
            final String channel = "aeron:ipc?term-length=" + c.termLength() + "|mtu=" + c.mtu();
            pub = aeron.addExclusivePublication(channel, c.streamBase() + Parties.COUNT * self + peer);
            sub = aeron.addSubscription("aeron:ipc", c.streamBase() + Parties.COUNT * peer + self);
        }
        else
        {
            pub = aeron.addExclusivePublication("aeron:udp?endpoint=" + c.endpoint(peer) + "|mtu=" + c.mtu()
                + "|term-length=" + c.termLength() + "|so-sndbuf=" + c.socketBuffer(), c.streamBase() + self);
            sub = aeron.addSubscription("aeron:udp?endpoint=" + c.endpoint(self) + "|rcv-wnd=" + c.receiverWindow()
                + "|so-rcvbuf=" + c.socketBuffer(), c.streamBase() + peer);
        }
        return new Link(this, self, peer, pub, sub);
    }

    /**
     * Waits until both links are up in both directions.
     *
     * @throws TransportException naming each missing peer if the connect timeout passes
     */
    public void awaitConnected()
    {
        final long deadline = System.nanoTime() + config.connectTimeoutNs();
        while (true)
        {
            invokeConductor();
            final List<String> missing = new ArrayList<>();
            for (final Link link : links)
            {
                if (link != null && !link.isConnected())
                {
                    missing.add(link.connectionState() + (config.isIpc() ? "" : " (" + Parties.name(link.peer()) + " at "
                        + config.endpoint(link.peer()) + ")"));
                }
            }
            if (missing.isEmpty())
            {
                idle.reset();
                return;
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new TransportException(Parties.name(self) + " could not connect within "
                    + TimeUnit.NANOSECONDS.toMillis(config.connectTimeoutNs()) + " ms: " + String.join("; ", missing));
            }
            idle.idle();
        }
    }

    public int self()
    {
        return self;
    }

    /** The link to {@code peer}. */
    public Link link(final int peer)
    {
        Parties.check(peer);
        if (peer == self)
        {
            throw new IllegalArgumentException(Parties.name(self) + " has no link to itself");
        }
        return links[peer];
    }

    /**
     * Encrypts and authenticates everything on the link to {@code peer} from now on (AES-256-GCM per chunk, see
     * {@link ChunkCipher}) with {@code sendKey} for this party's direction and {@code receiveKey} for the peer's. Call
     * it at the same point of both ends' message streams, after a key agreement.
     */
    public void secure(final int peer, final javax.crypto.SecretKey sendKey, final javax.crypto.SecretKey receiveKey)
    {
        link(peer).secure(ChunkCipher.sealing(sendKey, self, peer), ChunkCipher.opening(receiveKey, peer, self));
    }

    /** Communication rounds so far: the depth of the longest causal chain of messages ending at this party. */
    public long rounds()
    {
        return clock;
    }

    public List<LinkCounters> counters()
    {
        final List<LinkCounters> out = new ArrayList<>();
        for (final Link link : links)
        {
            if (link != null)
            {
                out.add(link.counters());
            }
        }
        return out;
    }

    int sendDepth()
    {
        return clock + 1;
    }

    void observeDepth(final int depth)
    {
        clock = Math.max(clock, depth);
    }

    long messageTimeoutNs()
    {
        return config.messageTimeoutNs();
    }

    long maxStagedBytes()
    {
        return config.maxStagedBytes();
    }

    /** Fragments all links left unstaged at the bound so far (a send's error names the bound if this grew). */
    long stagingRefused()
    {
        long sum = 0;
        for (final Link l : links)
        {
            sum += l == null ? 0 : l.stagingRefused();
        }
        return sum;
    }

    long stallTimeoutNs()
    {
        return config.stallTimeoutNs();
    }

    /** The media driver's image-liveness timeout (see {@link EmbeddedDriver}): how long a dead peer goes unnoticed. */
    long livenessTimeoutNs()
    {
        return EmbeddedDriver.livenessTimeoutNs(config);
    }

    /** Runs the client's duty cycle and, in INVOKER mode, the driver's (the client runs it only while awaiting replies). */
    int invokeConductor()
    {
        dutyCycle.lock();
        try
        {
            return runDutyCycles();
        }
        finally
        {
            dutyCycle.unlock();
        }
    }

    /** The client's and (INVOKER) the driver's duty cycles, once; the caller holds {@link #dutyCycle}. */
    private int runDutyCycles()
    {
        if (closed)
        {
            return 0;
        }
        lastDutyCycleNs = System.nanoTime();
        return conductor.invoke() + (driverInvoker == null ? 0 : driverInvoker.invoke());
    }

    /** The keeper's turn: the duty cycles, unless the party thread ran them recently or is running them now. */
    private void keepAlive(final long idleNs)
    {
        if (System.nanoTime() - lastDutyCycleNs >= idleNs && dutyCycle.tryLock())
        {
            try
            {
                runDutyCycles();
            }
            finally
            {
                dutyCycle.unlock();
            }
        }
    }

    /**
     * Tests only: from now on nothing runs this party's duty cycles, as if its process had been killed (in INVOKER mode
     * its driver falls silent: no heartbeats, no end of stream). Close it afterwards as usual.
     */
    void vanishForTests()
    {
        stopDutyCycles();
    }

    /** Stops the keeper and makes every later duty-cycle call a no-op (before the client and links close). */
    private void stopDutyCycles()
    {
        keeper.close();
        dutyCycle.lock();
        try
        {
            closed = true;
        }
        finally
        {
            dutyCycle.unlock();
        }
    }

    /**
     * Fails {@code link}'s operation if any peer of this party is lost or has left the session (one gone peer ends a
     * three-party session, whichever link the party waits on).
     */
    void failIfAnyPeerGone(final String op, final int step, final Link link)
    {
        for (final Link l : links)
        {
            if (l != null && l.stream().departure() != null)
            {
                throw link.failure(op, step, l.stream().departure());
            }
        }
    }

    void idle()
    {
        idle.idle();
    }

    void idleReset()
    {
        idle.reset();
    }

    /**
     * Keeps the links alive while the party waits for something other than a message (a client, a queue): runs the
     * duty cycles and stages whatever arrived. A party that neither sends nor receives for a while must call this,
     * because in INVOKER mode nothing else runs its media driver. Returns the work done (0: idle).
     */
    public int pump()
    {
        return stageIncoming();
    }

    /** Runs the client's duty cycle and drains both incoming links into their staging buffers. */
    int stageIncoming()
    {
        int work = invokeConductor();
        for (final Link link : links)
        {
            if (link != null)
            {
                work += link.stageIncoming();
            }
        }
        return work;
    }

    private void imageAvailable(final Image image)
    {
        final Link link = linkOf(image);
        if (link != null)
        {
            link.stream().imageAvailable(image.sessionId());
        }
    }

    private void imageUnavailable(final Image image)
    {
        final Link link = linkOf(image);
        if (link != null)
        {
            link.stream().imageUnavailable(image.sessionId(), image.isEndOfStream());
        }
    }

    private Link linkOf(final Image image)
    {
        for (final Link link : links)
        {
            if (link != null && image.subscription().streamId() == link.subscriptionStreamId())
            {
                return link;
            }
        }
        return null;
    }

    /**
     * Waits (at most the message timeout) until the driver has transmitted everything this party published over
     * UDP. A send returns once its bytes are in the publication's log; a process that exits right after its last
     * send calls this (through {@link #close()}) so that the last message is not lost with it.
     *
     * @return true if everything was transmitted in time
     */
    public boolean flush()
    {
        if (config.isIpc())
        {
            return true; // subscribers read the log directly
        }
        final long deadline = System.nanoTime() + config.messageTimeoutNs();
        while (!allTransmitted())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            invokeConductor();
            idle.idle();
        }
        idle.reset();
        return true;
    }

    private boolean allTransmitted()
    {
        for (final Link link : links)
        {
            // a link that is no longer connected (peer gone) can never be flushed: closing must not wait for it
            if (link != null && link.isPublicationConnected())
            {
                final long sent = senderPosition(link.publicationRegistrationId());
                if (sent >= 0 && sent < link.publishedPosition()) // no counter: nothing the driver would send
                {
                    return false;
                }
            }
        }
        return true;
    }

    /** The driver's sender position for a publication (its "snd-pos" counter), or −1 if not found. */
    private long senderPosition(final long publicationRegistrationId)
    {
        final long[] found = {-1};
        aeron.countersReader().forEach((counterId, typeId, key, label) ->
        {
            if (typeId == AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID && key.getLong(0) == publicationRegistrationId)
            {
                found[0] = aeron.countersReader().getCounterValue(counterId);
            }
        });
        return found[0];
    }

    /** Flushes what was sent, then closes the links and the client (the driver is closed by its owner). */
    @Override
    public void close()
    {
        try
        {
            flush();
        }
        catch (final RuntimeException ignored)
        {
            // closing a broken session: nothing left to deliver
        }
        stopDutyCycles();
        for (final Link link : links)
        {
            if (link != null)
            {
                link.close();
            }
        }
        aeron.close();
    }
}
