package securenn.transport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;

/** Finds three consecutive free UDP ports on loopback for one test. */
final class TestPorts
{
    private static int next = 41_000 + (int)(ProcessHandle.current().pid() % 500) * 10;

    private TestPorts()
    {
    }

    static synchronized int base()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            final int base = next;
            next += 3;
            if (next > 60_000)
            {
                next = 41_000;
            }
            if (free(base) && free(base + 1) && free(base + 2))
            {
                return base;
            }
        }
        throw new IllegalStateException("no three consecutive free UDP ports found on loopback");
    }

    private static boolean free(final int port)
    {
        try (DatagramSocket s = new DatagramSocket(port, InetAddress.getLoopbackAddress()))
        {
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
