package securenn.service;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import securenn.config.ClusterConfig;
import securenn.data.Mnist;
import securenn.kernels.Kernels;
import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.nn.PlainRingBackend;
import securenn.nn.RingNetwork;
import securenn.mpc.SecretSplitter;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The inference service with three real parties over Aeron UDP loopback (one JVM, three drivers) and real clients. */
public class InferenceServiceTest
{
    private static final int F = FixedPoint.DEFAULT.fractionBits();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Arena arena = Arena.ofShared();
    private final List<InferenceServer> servers = new ArrayList<>();
    private final List<Future<?>> running = new ArrayList<>();

    @AfterEach
    void stop() throws Exception
    {
        for (final InferenceServer s : servers)
        {
            s.stop(5_000);
        }
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        arena.close();
    }

    private static final java.nio.file.Path KEYS = securenn.security.TestKeys.fresh();

    private static ClusterConfig config(final int base, final String service) throws Exception
    {
        return ClusterConfig.parse(ClusterConfig.loopbackToml(base, KEYS, """
            [session]
            mtu = 65504
            connect-timeout-ms = 20000
            message-timeout-ms = 5000
            [service]
            """ + service));
    }

    private void start(final ClusterConfig c, final ModelFile.SharedModel[] shares, final NetworkSpec spec) throws Exception
    {
        final PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        for (final Role r : Role.values())
        {
            final InferenceServer s = new InferenceServer(c, r, spec, r.holdsShares() ? shares[r.id()] : null, F,
                securenn.security.TestKeys.security(c, r, true), quiet);
            servers.add(s);
            running.add(threads.submit(() ->
            {
                s.run();
                return null;
            }));
        }
        for (final InferenceServer s : servers)
        {
            assertThat(s.awaitReady(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void shouldAnswerManyConcurrentClientsWithTheTwinsPredictions() throws Exception
    {
        final Model model = ModelFile.bundled();
        final ModelFile.SharedModel[] shares = ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.seededForTwinChecks(1));
        final ClusterConfig c = config(45_100, "max-batch = 16\nmax-wait-ms = 2");
        start(c, shares, model.spec());
        final Mnist sample = Mnist.sample();
        final int n = 100;
        final long[] twin = twinLogits(model, sample, n);
        try (InferenceClient a = new InferenceClient(c, 784, F, true); InferenceClient b = new InferenceClient(c, 784, F, true))
        {
            final List<CompletableFuture<InferenceClient.Prediction>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                answers.add((i % 2 == 0 ? a : b).classify(FloatNetwork.images(sample, i, 1)));
            }
            for (int i = 0; i < n; i++)
            {
                final InferenceClient.Prediction p = answers.get(i).get(30, TimeUnit.SECONDS);
                int best = 0;
                for (int j = 0; j < 10; j++)
                {
                    assertThat(Math.abs(p.logits()[j] - twin[i * 10 + j])).as("image %d logit %d vs the fixed-point twin", i, j)
                        .isLessThanOrEqualTo(64);
                    best = twin[i * 10 + j] > twin[i * 10 + best] ? j : best;
                }
                assertThat(p.label()).as("image %d", i).isEqualTo(best);
            }
        }
        assertThat(servers.get(0).metrics().served()).isEqualTo(n);
    }

    @Test
    void shouldRejectBadRequestsAndAFullQueueButKeepServing() throws Exception
    {
        final Model model = ModelFile.bundled();
        final ModelFile.SharedModel[] shares = ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.seededForTwinChecks(2));
        final ClusterConfig c = config(45_200, "max-batch = 4\nmax-wait-ms = 1\nqueue-capacity = 8");
        start(c, shares, model.spec());
        // a request of the wrong length: BAD_REQUEST, connection stays usable
        try (Socket s = tls(c, Role.P0))
        {
            final DataOutputStream out = new DataOutputStream(s.getOutputStream());
            final DataInputStream in = new DataInputStream(s.getInputStream());
            final Wire.Hello hello = Wire.readHello(in);
            assertThat(hello.role()).isZero();
            assertThat(hello.describe()).isEqualTo("network A (input 1×28×28, 10 outputs), " + F + " fraction bits, model "
                + shares[0].modelId());
            Wire.writeRequest(out, 7, new long[3]);
            out.flush();
            final Wire.Response r = Wire.readResponse(in);
            assertThat(r.status()).isEqualTo(Wire.Status.BAD_REQUEST);
            assertThat(r.message()).contains("carries 3 elements but this model's input has 784");
            out.writeInt(0xDEADBEEF); // garbage: this connection is closed, nothing else is affected
            out.flush();
            final Wire.Response closing = Wire.readResponse(in);
            assertThat(closing.message()).contains("malformed request stream");
        }
        // a burst far beyond the queue: some are rejected at once with a clear status, the rest are answered
        try (InferenceClient client = new InferenceClient(c, 784, F, true))
        {
            final List<CompletableFuture<InferenceClient.Prediction>> burst = new ArrayList<>();
            for (int i = 0; i < 400; i++)
            {
                burst.add(client.classify(FloatNetwork.images(Mnist.sample(), i % 100, 1)));
            }
            int ok = 0;
            int rejected = 0;
            for (final CompletableFuture<InferenceClient.Prediction> f : burst)
            {
                try
                {
                    f.get(30, TimeUnit.SECONDS);
                    ok++;
                }
                catch (final ExecutionException ex)
                {
                    assertThat(ex.getCause()).isInstanceOf(InferenceClient.ServiceException.class);
                    assertThat(((InferenceClient.ServiceException)ex.getCause()).status())
                        .isIn(Wire.Status.REJECTED, Wire.Status.TIMEOUT);
                    rejected++;
                }
            }
            assertThat(ok).isPositive();
            assertThat(rejected).as("requests beyond the queue capacity of 8").isPositive();
            // and the service still answers afterwards (a rejected request completes at the first server's error, so
            // the other server may still be draining the burst: retry as the REJECTED message says)
            InferenceClient.Prediction after = null;
            for (int attempt = 0; attempt < 100 && after == null; attempt++)
            {
                try
                {
                    after = client.classify(FloatNetwork.images(Mnist.sample(), 0, 1)).get(30, TimeUnit.SECONDS);
                }
                catch (final ExecutionException ex)
                {
                    assertThat(((InferenceClient.ServiceException)ex.getCause()).status()).isEqualTo(Wire.Status.REJECTED);
                    Thread.sleep(100);
                }
            }
            assertThat(after).as("an answer after the burst").isNotNull();
            assertThat(after.label()).isEqualTo(7);
        }
    }

    /**
     * One client sends P1 halves whose other halves never reach P0: its address may hold at most P0's queue capacity
     * plus one batch of P1's pending table (8 + 4 here), over any number of connections, so it cannot lock other
     * clients out; a client from another address still gets in.
     */
    @Test
    void p1ShouldBoundThePendingSharesOfEachConnection() throws Exception
    {
        final Model model = ModelFile.bundled();
        final ModelFile.SharedModel[] shares = ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.seededForTwinChecks(5));
        final ClusterConfig c = config(45_400, "max-batch = 4\nmax-wait-ms = 1\nqueue-capacity = 8\nrequest-timeout-ms = 500");
        start(c, shares, model.spec());
        try (Socket flood = tls(c, Role.P1); Socket second = tls(c, Role.P1); Socket other = tls(c, Role.P1, "127.0.0.2"))
        {
            final DataOutputStream out = new DataOutputStream(flood.getOutputStream());
            final DataInputStream in = new DataInputStream(flood.getInputStream());
            Wire.readHello(in);
            for (int id = 1; id <= 13; id++)
            {
                Wire.writeRequest(out, id, new long[784]);
            }
            out.flush();
            final Wire.Response refused = Wire.readResponse(in);
            assertThat(refused.id()).as("the first answer is to the 13th request, refused at once").isEqualTo(13);
            assertThat(refused.status()).isEqualTo(Wire.Status.REJECTED);
            assertThat(refused.message()).contains("this client address already has 12 requests waiting at P1");
            final DataOutputStream out1 = new DataOutputStream(second.getOutputStream());
            final DataInputStream in1 = new DataInputStream(second.getInputStream());
            Wire.readHello(in1);
            Wire.writeRequest(out1, 50, new long[784]);
            out1.flush();
            assertThat(Wire.readResponse(in1).message()).as("a second connection from the same address")
                .contains("this client address already has 12 requests");
            final DataOutputStream out2 = new DataOutputStream(other.getOutputStream());
            final DataInputStream in2 = new DataInputStream(other.getInputStream());
            Wire.readHello(in2);
            Wire.writeRequest(out2, 99, new long[784]);
            out2.flush();
            final Wire.Response admitted = Wire.readResponse(in2);
            assertThat(admitted.id()).isEqualTo(99);
            assertThat(admitted.status()).as("admitted, then evicted when P0 never schedules it").isEqualTo(Wire.Status.TIMEOUT);
            assertThat(admitted.message()).contains("P0 never scheduled this request");
        }
    }

    @Test
    void shouldRefuseSharesOfDifferentModels() throws Exception
    {
        final NetworkSpec spec = NetworkSpec.builtIn("A");
        final ModelFile.SharedModel[] one = ModelFile.split(Model.random(spec, 1), FixedPoint.DEFAULT, arena, SecretSplitter.seededForTwinChecks(3));
        final ModelFile.SharedModel[] other = ModelFile.split(Model.random(spec, 2), FixedPoint.DEFAULT, arena, SecretSplitter.seededForTwinChecks(4));
        final ClusterConfig c = config(45_300, "");
        final PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        final List<Future<?>> parties = new ArrayList<>();
        for (final Role r : Role.values())
        {
            final InferenceServer s = new InferenceServer(c, r, spec, r == Role.P0 ? one[0] : r == Role.P1 ? other[1] : null, F,
                securenn.security.TestKeys.security(c, r, true), quiet);
            servers.add(s); // stopped after the test: P2 would otherwise wait for new peers forever
            parties.add(threads.submit(() ->
            {
                s.run();
                return null;
            }));
        }
        assertThatThrownBy(() -> parties.get(0).get(30, TimeUnit.SECONDS))
            .hasMessageContaining("model shares belong to different models");
    }

    /** A raw TLS connection to a server, pinned to its configured key (to speak the wire protocol by hand). */
    private static Socket tls(final ClusterConfig c, final Role server) throws Exception
    {
        return tls(c, server, "127.0.0.1");
    }

    /** A TLS connection to {@code server}'s client port from the local address {@code from} (any 127.x works). */
    private static Socket tls(final ClusterConfig c, final Role server, final String from) throws Exception
    {
        final javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket)securenn.security.ClientTls.client(server,
            securenn.security.IdentityKeys.readPublic(c.publicKey(server)), "test").getSocketFactory()
            .createSocket("127.0.0.1", c.clientPort(server), java.net.InetAddress.getByName(from), 0);
        s.startHandshake();
        return s;
    }

    private static long[] twinLogits(final Model model, final Mnist sample, final int n)
    {
        return twinLogits(model, FloatNetwork.images(sample, 0, n), n);
    }

    /** The fixed-point twin's logits of {@code n} inputs (n × input size, already preprocessed). */
    public static long[] twinLogits(final Model model, final double[] pixels, final int n)
    {
        try (Arena a = Arena.ofConfined())
        {
            final MemorySegment[] params = model.fixedPoint(FixedPoint.DEFAULT, a);
            final MemorySegment x = a.allocate(8L * pixels.length);
            for (int i = 0; i < pixels.length; i++)
            {
                x.setAtIndex(Ring.LONG, i, FixedPoint.DEFAULT.encode(pixels[i]));
            }
            final MemorySegment y = a.allocate(8L * n * model.spec().output().size());
            RingNetwork.forward(new PlainRingBackend(Kernels.best()), model.spec(), params, x, y, n, F);
            return y.toArray(Ring.LONG);
        }
    }
}
