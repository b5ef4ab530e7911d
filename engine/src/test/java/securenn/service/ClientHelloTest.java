package securenn.service;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import securenn.config.ClusterConfig;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A client checks the servers' hellos before it sends anything: two different servers (P0 and P1), shares of one
 * model, the precision and input size it encodes for. Plain TCP stand-ins for the two servers say what the test
 * needs; with TLS the pinned keys would refuse a misrouted connection even earlier.
 */
class ClientHelloTest
{
    private static final java.nio.file.Path KEYS = securenn.security.TestKeys.fresh();
    private static final int BASE = 45_500;
    private final List<ServerSocket> fakes = new ArrayList<>();

    @AfterEach
    void close() throws IOException
    {
        for (final ServerSocket s : fakes)
        {
            s.close();
        }
    }

    private static Wire.Hello hello(final int role, final int fractionBits, final String modelId)
    {
        return new Wire.Hello(role, 1, 28, 28, 10, fractionBits, "A", modelId);
    }

    /** Starts stand-ins on P0's and P1's client ports that greet each client with the given frames. */
    private ClusterConfig serversSaying(final Wire.Hello p0, final Wire.Hello p1) throws Exception
    {
        final ClusterConfig c = ClusterConfig.parse(ClusterConfig.loopbackToml(BASE, KEYS, ""));
        greet(c.clientPort(securenn.mpc.Role.P0), p0);
        greet(c.clientPort(securenn.mpc.Role.P1), p1);
        return c;
    }

    private void greet(final int port, final Wire.Hello hello) throws IOException
    {
        final ServerSocket server = new ServerSocket(port, 8, InetAddress.getLoopbackAddress());
        fakes.add(server);
        Thread.ofVirtual().start(() ->
        {
            try (Socket s = server.accept())
            {
                final DataOutputStream out = new DataOutputStream(s.getOutputStream());
                if (hello == null)
                {
                    out.writeInt(0x48545450); // "HTTP": some other service
                }
                else
                {
                    Wire.writeHello(out, hello);
                }
                out.flush();
                s.getInputStream().read(); // hold the connection until the client closes it
            }
            catch (final IOException ignored)
            {
                // the test is over
            }
        });
    }

    @Test
    void shouldTakeTheServersParametersWhenTheyAgree() throws Exception
    {
        final ClusterConfig c = serversSaying(hello(0, 13, "ab12"), hello(1, 13, "ab12"));
        try (InferenceClient client = new InferenceClient(c, false))
        {
            assertThat(client.servers().fractionBits()).isEqualTo(13);
            assertThat(client.servers().inputSize()).isEqualTo(784);
        }
    }

    @Test
    void shouldRefuseTwoConnectionsThatReachTheSameServer() throws Exception
    {
        final ClusterConfig c = serversSaying(hello(0, 13, "ab12"), hello(0, 13, "ab12"));
        assertThatThrownBy(() -> new InferenceClient(c, false)).isInstanceOf(IOException.class)
            .hasMessageContaining("P1's client-port in the cluster config) says it is P0")
            .hasMessageContaining("both halves of an input would reach one server");
    }

    @Test
    void shouldRefuseServersOfDifferentModels() throws Exception
    {
        final ClusterConfig c = serversSaying(hello(0, 13, "ab12"), hello(1, 13, "cd34"));
        assertThatThrownBy(() -> new InferenceClient(c, false)).isInstanceOf(IOException.class)
            .hasMessageContaining("P0 and P1 serve different models").hasMessageContaining("model ab12")
            .hasMessageContaining("model cd34");
    }

    @Test
    void shouldRefuseAnotherPrecisionThanTheServers() throws Exception
    {
        final ClusterConfig c = serversSaying(hello(0, 13, "ab12"), hello(1, 13, "ab12"));
        assertThatThrownBy(() -> new InferenceClient(c, 784, 12, false)).isInstanceOf(IOException.class)
            .hasMessageContaining("encodes with 12 fraction bits but the servers' shares have 13");
    }

    @Test
    void shouldRefuseAnotherInputSizeThanTheServers() throws Exception
    {
        final ClusterConfig c = serversSaying(hello(0, 13, "ab12"), hello(1, 13, "ab12"));
        assertThatThrownBy(() -> new InferenceClient(c, 3072, 13, false)).isInstanceOf(IOException.class)
            .hasMessageContaining("inputs have 3072 values but the servers' network A").hasMessageContaining("takes 784");
    }

    @Test
    void shouldNameAServerThatDoesNotIntroduceItself() throws Exception
    {
        final ClusterConfig c = serversSaying(hello(0, 13, "ab12"), null);
        assertThatThrownBy(() -> new InferenceClient(c, false)).isInstanceOf(IOException.class)
            .hasMessageContaining("P1 at 127.0.0.1:" + c.clientPort(securenn.mpc.Role.P1) + " did not introduce itself")
            .hasMessageContaining("not a securenn inference server");
    }
}
