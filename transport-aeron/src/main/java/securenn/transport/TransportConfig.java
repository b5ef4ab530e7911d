package securenn.transport;

import io.aeron.driver.ThreadingMode;

import java.io.File;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Configuration of the three-party links, Aeron-style: fluent setters, then {@link #conclude()} validates once
 * and names the offending field and value.
 *
 * <p>Defaults are chosen for three parties on one small host (the worst case for spinning threads) and work on
 * separate hosts too: the party thread waits with a yielding idle strategy (measured against back-off strategies on a
 * quiet and on a loaded host: perf-reports/idle.md), and by default ({@code threadingMode}
 * unset) a driver that serves one party runs INVOKER — its duty cycle on the party thread, no driver threads at all;
 * measured the fastest on 2 cores (bin/bench transport, bin/bench protocols) — while the one driver that three
 * parties share in a JVM runs SHARED, one thread that backs off to parking when idle. A party that computes without
 * calling the transport still looks alive to its peers: a keeper thread runs the duty cycles while the party thread
 * is away (see {@link PartyTransport}).
 *
 * <p>Two timeouts guard a session (see docs/ARCHITECTURE.md, "Failure detector"):
 * <ul>
 *   <li>{@code messageTimeout} — liveness: a peer whose stream shows no sign of life (not even the media driver's
 *       heartbeats) for this long is lost; so is a link on which the first message of a session does not arrive in
 *       this time (the handshake has nothing slow in it).</li>
 *   <li>{@code stallTimeout} — progress: a peer that is alive but sends nothing on a link that expects a message for
 *       this long (a stuck peer, not a slow one) fails the receive. Long by default, so that a cold first batch, a
 *       big GEMM or a GC pause on a loaded machine is never mistaken for a failure.</li>
 * </ul>
 */
public final class TransportConfig
{
    /** Loopback UDP ports used when no endpoints are given for UDP. */
    public static final int DEFAULT_BASE_PORT = 40_100;

    private Endpoint[] endpoints;
    private boolean ipc;
    private long connectTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    private long messageTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    /** Progress timeout; 0: the default, max(120 s, 12 message timeouts) — far beyond any one step of networks A–D. */
    private long stallTimeoutNs;
    /**
     * Most bytes a link stages (chunks polled while its party was sending): 1 GiB. What must fit is what one peer
     * sends on the link before it next waits on this party; in networks A–D at batch 128 that is one step's message
     * (network C's whole training step moves 822 MB over all six directions), well below the bound. At the bound the
     * link stops polling and Aeron's flow control holds the sender back; injected frames cannot grow it. A larger batch
     * may need more: if both ends of a link block, the send fails naming this bound.
     */
    private long maxStagedBytes = 1L << 30;
    private String partyIdle = "yield";
    private String driverIdle = "backoff";
    private ThreadingMode threadingMode; // null: INVOKER for a driver of one party, SHARED for one shared by three
    private int mtu = 65_504;
    private int termLength = 16 * 1024 * 1024;
    private int receiverWindow = 1024 * 1024;
    private int socketBuffer = 4 * 1024 * 1024;
    private int streamBase = 1_000;
    private String driverDirBase = new File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir");

    /** Three parties over UDP on loopback, ports {@value #DEFAULT_BASE_PORT}..+2. */
    public static TransportConfig udpLoopback()
    {
        return udpLoopback(DEFAULT_BASE_PORT);
    }

    public static TransportConfig udpLoopback(final int basePort)
    {
        return new TransportConfig().endpoints(new Endpoint("127.0.0.1", basePort),
            new Endpoint("127.0.0.1", basePort + 1), new Endpoint("127.0.0.1", basePort + 2));
    }

    /** Three parties in one JVM over Aeron IPC through one shared driver. */
    public static TransportConfig ipc()
    {
        return new TransportConfig().ipc(true);
    }

    public TransportConfig endpoints(final Endpoint p0, final Endpoint p1, final Endpoint p2)
    {
        this.endpoints = new Endpoint[]{p0, p1, p2};
        this.ipc = false;
        return this;
    }

    public TransportConfig ipc(final boolean ipc)
    {
        this.ipc = ipc;
        return this;
    }

    public TransportConfig connectTimeout(final long value, final TimeUnit unit)
    {
        this.connectTimeoutNs = unit.toNanos(value);
        return this;
    }

    /** How long a send or receive may make no progress before it fails naming the peer. */
    public TransportConfig messageTimeout(final long value, final TimeUnit unit)
    {
        this.messageTimeoutNs = unit.toNanos(value);
        return this;
    }

    /** How long a live peer may send nothing while a message from it is awaited (see the class comment). */
    public TransportConfig stallTimeout(final long value, final TimeUnit unit)
    {
        this.stallTimeoutNs = unit.toNanos(value);
        return this;
    }

    /** Bound on the bytes a link stages while its party sends (see the field's comment). */
    public TransportConfig maxStagedBytes(final long bytes)
    {
        this.maxStagedBytes = bytes;
        return this;
    }

    public TransportConfig partyIdle(final String name)
    {
        this.partyIdle = name;
        return this;
    }

    public TransportConfig driverIdle(final String name)
    {
        this.driverIdle = name;
        return this;
    }

    /**
     * INVOKER (the party thread runs the driver; the default for one party per process), SHARED (one driver thread;
     * the default when three parties share a driver), SHARED_NETWORK or DEDICATED.
     */
    public TransportConfig threadingMode(final ThreadingMode mode)
    {
        this.threadingMode = mode;
        return this;
    }

    public TransportConfig mtu(final int mtu)
    {
        this.mtu = mtu;
        return this;
    }

    public TransportConfig termLength(final int termLength)
    {
        this.termLength = termLength;
        return this;
    }

    public TransportConfig receiverWindow(final int receiverWindow)
    {
        this.receiverWindow = receiverWindow;
        return this;
    }

    public TransportConfig socketBuffer(final int socketBuffer)
    {
        this.socketBuffer = socketBuffer;
        return this;
    }

    public TransportConfig streamBase(final int streamBase)
    {
        this.streamBase = streamBase;
        return this;
    }

    public TransportConfig driverDirBase(final String dir)
    {
        this.driverDirBase = dir;
        return this;
    }

    /** Validates every field; returns this. */
    public TransportConfig conclude()
    {
        if (!ipc)
        {
            if (endpoints == null || endpoints.length != Parties.COUNT || Arrays.stream(endpoints).anyMatch(e -> e == null))
            {
                throw new IllegalArgumentException("UDP transport needs an endpoint (host:port) for each of P0, P1, P2");
            }
        }
        positive("connectTimeout", connectTimeoutNs);
        positive("messageTimeout", messageTimeoutNs);
        if (stallTimeoutNs < 0 || stallTimeoutNs > 0 && stallTimeoutNs < messageTimeoutNs)
        {
            throw new IllegalArgumentException("stallTimeout must be ≥ messageTimeout (" + messageTimeoutNs / 1_000_000
                + " ms) but was " + stallTimeoutNs / 1_000_000 + " ms");
        }
        if (maxStagedBytes < 2L * mtu)
        {
            throw new IllegalArgumentException("maxStagedBytes must be at least two MTUs (" + 2L * mtu + ") but was " + maxStagedBytes);
        }
        IdleStrategies.create(partyIdle);
        IdleStrategies.create(driverIdle);
        if (mtu < 1024 || mtu > 65_504 || mtu % 32 != 0)
        {
            throw new IllegalArgumentException("mtu must be a multiple of 32 in [1024, 65504] but was " + mtu);
        }
        if (Integer.bitCount(termLength) != 1 || termLength < 64 * 1024 || termLength > 1 << 30)
        {
            throw new IllegalArgumentException("termLength must be a power of two in [64 KiB, 1 GiB] but was " + termLength);
        }
        if (termLength / 8 < mtu)
        {
            throw new IllegalArgumentException("termLength " + termLength + " is too small for mtu " + mtu
                + " (needs termLength ≥ 8·mtu)");
        }
        positive("receiverWindow", receiverWindow);
        positive("socketBuffer", socketBuffer);
        positive("streamBase", streamBase);
        if (driverDirBase == null || !new File(driverDirBase).isDirectory())
        {
            throw new IllegalArgumentException("driverDirBase '" + driverDirBase + "' is not a directory");
        }
        return this;
    }

    private static void positive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + " must be > 0 but was " + value);
        }
    }

    public boolean isIpc()
    {
        return ipc;
    }

    public Endpoint endpoint(final int party)
    {
        Parties.check(party);
        return endpoints[party];
    }

    public long connectTimeoutNs()
    {
        return connectTimeoutNs;
    }

    public long messageTimeoutNs()
    {
        return messageTimeoutNs;
    }

    /** The progress timeout in force: the configured one, else max(120 s, 12 message timeouts). */
    public long stallTimeoutNs()
    {
        return stallTimeoutNs > 0 ? stallTimeoutNs : Math.max(TimeUnit.SECONDS.toNanos(120), 12 * messageTimeoutNs);
    }

    public long maxStagedBytes()
    {
        return maxStagedBytes;
    }

    public String partyIdle()
    {
        return partyIdle;
    }

    public String driverIdle()
    {
        return driverIdle;
    }

    /** The configured threading mode, or null for the default. */
    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /** The threading mode a driver uses: the configured one, else INVOKER for one party and SHARED for three. */
    public ThreadingMode resolvedThreading(final boolean sharedByThreeParties)
    {
        if (threadingMode != null)
        {
            return threadingMode;
        }
        return sharedByThreeParties ? ThreadingMode.SHARED : ThreadingMode.INVOKER;
    }

    public int mtu()
    {
        return mtu;
    }

    public int termLength()
    {
        return termLength;
    }

    public int receiverWindow()
    {
        return receiverWindow;
    }

    public int socketBuffer()
    {
        return socketBuffer;
    }

    public int streamBase()
    {
        return streamBase;
    }

    public String driverDirBase()
    {
        return driverDirBase;
    }

    @Override
    public String toString()
    {
        return (ipc ? "ipc" : "udp " + Arrays.toString(endpoints)) + " threading=" + (threadingMode == null ? "default" : threadingMode) + " partyIdle="
            + partyIdle + " driverIdle=" + driverIdle + " mtu=" + mtu + " termLength=" + termLength
            + " rcvWindow=" + receiverWindow + " messageTimeout=" + TimeUnit.NANOSECONDS.toMillis(messageTimeoutNs) + "ms stallTimeout="
            + TimeUnit.NANOSECONDS.toMillis(stallTimeoutNs()) + "ms";
    }
}
