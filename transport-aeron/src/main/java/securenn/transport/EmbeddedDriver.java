package securenn.transport;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.AgentInvoker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * An Aeron media driver embedded in this process, in a directory of its own that is deleted on start and on close.
 * Directories left behind by killed processes ({@code kill -9} leaves ~48 MB in /dev/shm) are removed on start.
 */
public final class EmbeddedDriver implements AutoCloseable
{
    private static final String PREFIX = "securenn-aeron-";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final MediaDriver driver;
    private final TransportConfig config;
    private final ThreadingMode threading;

    private EmbeddedDriver(final MediaDriver driver, final TransportConfig config, final ThreadingMode threading)
    {
        this.driver = driver;
        this.config = config;
        this.threading = threading;
    }

    /** A driver for the one party of this process. */
    public static EmbeddedDriver start(final TransportConfig config)
    {
        return start(config, false);
    }

    /** A driver that the three parties of a session in this JVM share (never INVOKER). */
    public static EmbeddedDriver startShared(final TransportConfig config)
    {
        return start(config, true);
    }

    private static EmbeddedDriver start(final TransportConfig config, final boolean shared)
    {
        config.conclude();
        removeStaleDirectories(config.driverDirBase());
        final String dir = config.driverDirBase() + File.separator + PREFIX + ProcessHandle.current().pid() + "-"
            + COUNTER.incrementAndGet();
        final long clientLiveness = TimeUnit.MINUTES.toNanos(5);
        final MediaDriver.Context ctx = new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .warnIfDirectoryExists(false)
            .threadingMode(config.resolvedThreading(shared))
            .sharedIdleStrategy(IdleStrategies.create(config.driverIdle()))
            .sharedNetworkIdleStrategy(IdleStrategies.create(config.driverIdle()))
            .conductorIdleStrategy(IdleStrategies.create(config.driverIdle()))
            .senderIdleStrategy(IdleStrategies.create(config.driverIdle()))
            .receiverIdleStrategy(IdleStrategies.create(config.driverIdle()))
            .termBufferSparseFile(true)
            .publicationTermBufferLength(config.termLength())
            .ipcTermBufferLength(config.termLength())
            .mtuLength(config.mtu())
            .ipcMtuLength(config.mtu())
            .initialWindowLength(config.receiverWindow())
            .socketSndbufLength(config.socketBuffer())
            .socketRcvbufLength(config.socketBuffer())
            // The keeper runs the client's duty cycle every few ms (PartyTransport); a generous client liveness only
            // guards against a party thread stuck in a long GC or a stopped debugger.
            .clientLivenessTimeoutNs(clientLiveness)
            .publicationUnblockTimeoutNs(2 * clientLiveness)
            // the failure detector: a peer whose driver sends nothing (not even heartbeats) this long is lost
            .imageLivenessTimeoutNs(livenessTimeoutNs(config))
            .publicationConnectionTimeoutNs(livenessTimeoutNs(config))
            .spiesSimulateConnection(false);
        try
        {
            return new EmbeddedDriver(MediaDriver.launchEmbedded(ctx), config, config.resolvedThreading(shared));
        }
        catch (final RuntimeException ex)
        {
            throw new TransportException("cannot start the Aeron media driver in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * How long a peer's stream may show no sign of life before it is declared lost: the message timeout, at least 2 s
     * (Aeron's heartbeats come every 100 ms; a shorter liveness would mistake scheduling hiccups for deaths).
     */
    static long livenessTimeoutNs(final TransportConfig config)
    {
        return Math.max(TimeUnit.SECONDS.toNanos(2), config.messageTimeoutNs());
    }

    public String directory()
    {
        return driver.aeronDirectoryName();
    }

    /** The driver's duty cycle for the party thread to run, in {@link ThreadingMode#INVOKER} mode; else null. */
    public AgentInvoker invoker()
    {
        return threading == ThreadingMode.INVOKER ? driver.sharedAgentInvoker() : null;
    }

    public ThreadingMode threading()
    {
        return threading;
    }

    public TransportConfig config()
    {
        return config;
    }

    @Override
    public void close()
    {
        driver.close();
    }

    private static void removeStaleDirectories(final String base)
    {
        final File[] stale = new File(base).listFiles((d, name) -> name.startsWith(PREFIX) && !ownerAlive(name));
        if (stale == null)
        {
            return;
        }
        for (final File dir : stale)
        {
            try (Stream<Path> walk = Files.walk(dir.toPath()))
            {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            catch (final IOException | RuntimeException ignored)
            {
                // another process may be removing it at the same moment; the driver deletes its own on start
            }
        }
    }

    private static boolean ownerAlive(final String name)
    {
        final String rest = name.substring(PREFIX.length());
        final int dash = rest.indexOf('-');
        try
        {
            final long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        catch (final NumberFormatException ex)
        {
            return true; // not ours to judge
        }
    }
}
