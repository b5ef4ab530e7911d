package securenn.bench.transport;

import io.aeron.driver.ThreadingMode;
import securenn.transport.TransportConfig;

import java.util.concurrent.TimeUnit;

/** The transports compared: Aeron IPC (one JVM), Aeron UDP with the default and the INVOKER driver, TCP. */
enum Variant
{
    AERON_IPC("aeron-ipc", "Aeron IPC, three parties in one JVM, shared driver thread (backoff), parties yield"),
    AERON_UDP("aeron-udp", "Aeron UDP loopback, one process per party, default config (driver duty cycle run by the "
        + "party thread: INVOKER; parties yield)"),
    AERON_UDP_SHARED("aeron-udp-shared", "Aeron UDP loopback, one process per party, one driver thread per process "
        + "(SHARED, backoff idle), parties yield"),
    TCP("tcp", "TCP loopback, one process per party, SocketChannel with TCP_NODELAY (non-blocking in the round)");

    final String id;
    final String description;

    Variant(final String id, final String description)
    {
        this.id = id;
        this.description = description;
    }

    static Variant of(final String id)
    {
        for (final Variant v : values())
        {
            if (v.id.equals(id))
            {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown transport variant " + id);
    }

    TransportConfig config(final int basePort)
    {
        final TransportConfig c = this == AERON_IPC ? TransportConfig.ipc() : TransportConfig.udpLoopback(basePort);
        if (this == AERON_UDP_SHARED)
        {
            c.threadingMode(ThreadingMode.SHARED);
        }
        return c.connectTimeout(60, TimeUnit.SECONDS).messageTimeout(30, TimeUnit.SECONDS);
    }
}
