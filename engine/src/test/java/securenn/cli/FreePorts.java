package securenn.cli;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;

/**
 * Three consecutive UDP ports on loopback that are free now, searched upward from a test's own base: fixed ports in
 * Linux's ephemeral range (32768–60999) are sometimes taken by another process's outgoing socket, and a party that
 * cannot bind its port never joins (seen once in TrainPartyRestartTest). A port can still be taken between this check
 * and the bind; that is rare enough.
 */
public final class FreePorts
{
    private FreePorts()
    {
    }

    public static int base(final int from)
    {
        for (int base = from; base < from + 300; base += 3)
        {
            if (free(base) && free(base + 1) && free(base + 2))
            {
                return base;
            }
        }
        throw new IllegalStateException("no three consecutive free UDP ports on loopback from " + from);
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
