package securenn.service;

import securenn.config.ClusterConfig;
import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.mpc.SecretSplitter;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import securenn.security.ClientTls;
import securenn.security.IdentityKeys;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client of the inference service: encodes an input in fixed point, splits it into two fresh additive shares
 * ({@link SecretSplitter#fresh}: AES-CTR keyed from {@link SecureRandom}), sends one to P0 and the other to P1 under one random request id, and
 * adds the two output shares it gets back. Neither server sees the input or the prediction. Thread-safe; many
 * requests may be in flight at once.
 */
public final class InferenceClient implements AutoCloseable
{
    /** The reconstructed logits (fixed point) and the predicted class. */
    public record Prediction(long[] logits, int label)
    {
    }

    /** A server answered with an error status; the message is the server's. */
    public static final class ServiceException extends RuntimeException
    {
        private final Wire.Status status;

        ServiceException(final Role from, final Wire.Status status, final String message)
        {
            super(from + " answered " + status + ": " + message);
            this.status = status;
        }

        public Wire.Status status()
        {
            return status;
        }
    }

    private final FixedPoint fp;
    private final int inputSize;
    private final Wire.Hello servers;
    private final Side[] sides = new Side[2];
    private final Map<Long, Exchange> inFlight = new ConcurrentHashMap<>();
    private final SecureRandom ids = new SecureRandom();
    private final SecretSplitter masks = SecretSplitter.fresh();
    private volatile boolean closed;

    /**
     * Connects to P0 and P1 as named in the cluster config, over TLS 1.3 that accepts only the servers' identity keys
     * named there, or over plain TCP if {@code encrypt} is false (servers run with {@code --no-encryption}); takes the
     * input size and precision from the servers' hellos ({@link #servers()}), after checking that the two connections
     * reach P0 and P1 and that both serve shares of the same model.
     */
    public InferenceClient(final ClusterConfig config, final boolean encrypt) throws IOException
    {
        this(config, -1, -1, encrypt);
    }

    /**
     * As {@link #InferenceClient(ClusterConfig, boolean)}, and fails unless the servers' model takes {@code inputSize}
     * values and their shares have {@code fractionBits} fraction bits (−1: whatever the servers say).
     */
    public InferenceClient(final ClusterConfig config, final int inputSize, final int fractionBits, final boolean encrypt)
        throws IOException
    {
        try
        {
            for (final Role r : new Role[]{Role.P0, Role.P1})
            {
                final SSLContext tls = encrypt ? ClientTls.client(r, IdentityKeys.readPublic(config.publicKey(r)),
                    config.publicKey(r).toString()) : null;
                sides[r.id()] = new Side(r, config.endpoint(r).host(), config.clientPort(r), (int)config.connectTimeoutMs(), tls);
            }
            this.servers = agreedParameters(config, inputSize, fractionBits);
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
        this.fp = new FixedPoint(servers.fractionBits());
        this.inputSize = servers.inputSize();
        for (final Side s : sides)
        {
            Thread.ofPlatform().daemon().name("securenn-client-" + s.role).start(s::read);
        }
    }

    /** The servers' public parameters: network, input geometry, outputs, precision, model id. */
    public Wire.Hello servers()
    {
        return servers;
    }

    private Wire.Hello agreedParameters(final ClusterConfig config, final int inputSize, final int fractionBits)
        throws IOException
    {
        for (final Side s : sides)
        {
            if (s.hello.role() != s.role.id())
            {
                throw new IOException("the server at " + config.endpoint(s.role).host() + ":" + config.clientPort(s.role)
                    + " (" + s.role + "'s client-port in the cluster config) says it is P" + s.hello.role() + "; both halves "
                    + "of an input would reach one server, which could add them up: check the config");
            }
        }
        final Wire.Hello p0 = sides[0].hello;
        if (!p0.describe().equals(sides[1].hello.describe()))
        {
            throw new IOException("P0 and P1 serve different models: P0 " + p0.describe() + "; P1 " + sides[1].hello.describe());
        }
        if (inputSize >= 0 && inputSize != p0.inputSize())
        {
            throw new IOException("this client's inputs have " + inputSize + " values but the servers' " + p0.describe()
                + " takes " + p0.inputSize());
        }
        if (fractionBits >= 0 && fractionBits != p0.fractionBits())
        {
            throw new IOException("this client encodes with " + fractionBits + " fraction bits but the servers' shares have "
                + p0.fractionBits() + " (" + p0.describe() + "); predictions would be silently wrong");
        }
        return p0;
    }

    /** Classifies one input (values in the model's units, e.g. pixels in [0, 1]). */
    public CompletableFuture<Prediction> classify(final double[] input)
    {
        if (input.length != inputSize)
        {
            throw new IllegalArgumentException("input has " + input.length + " values but the model takes " + inputSize);
        }
        final long[] s0 = new long[inputSize];
        final long[] s1 = new long[inputSize];
        final long id;
        synchronized (masks)
        {
            for (int i = 0; i < inputSize; i++)
            {
                final long r = masks.nextMask();
                s0[i] = r;
                s1[i] = fp.encode(input[i]) - r;
            }
            long candidate;
            do
            {
                candidate = ids.nextLong() & Long.MAX_VALUE;
            }
            while (inFlight.containsKey(candidate));
            id = candidate;
        }
        final Exchange e = new Exchange();
        inFlight.put(id, e);
        try
        {
            sides[0].send(id, s0);
            sides[1].send(id, s1);
        }
        catch (final IOException ex)
        {
            inFlight.remove(id);
            e.future.completeExceptionally(ex);
        }
        return e.future;
    }

    public int inFlight()
    {
        return inFlight.size();
    }

    @Override
    public void close()
    {
        closed = true;
        for (final Side s : sides)
        {
            if (s != null)
            {
                s.close();
            }
        }
        final IOException gone = new IOException("client closed");
        inFlight.values().forEach(e -> e.future.completeExceptionally(gone));
        inFlight.clear();
    }

    /** Both halves of one request's answer: one from P0 and one from P1, never two from the same server. */
    private static final class Exchange
    {
        final CompletableFuture<Prediction> future = new CompletableFuture<>();
        final long[][] halves = new long[2][];

        /**
         * Returns the logits once both servers' halves are in.
         *
         * @throws IllegalStateException if {@code from} already answered, or the halves differ in length
         */
        synchronized long[] add(final Role from, final long[] share)
        {
            if (halves[from.id()] != null)
            {
                throw new IllegalStateException(from + " answered this request twice; its halves cannot be trusted");
            }
            halves[from.id()] = share;
            final long[] other = halves[1 - from.id()];
            if (other == null)
            {
                return null;
            }
            if (other.length != share.length)
            {
                throw new IllegalStateException("P0 answered " + halves[0].length + " logits but P1 " + halves[1].length);
            }
            final long[] sum = new long[share.length];
            for (int i = 0; i < sum.length; i++)
            {
                sum[i] = other[i] + share[i];
            }
            return sum;
        }
    }

    private void answered(final Role from, final Wire.Response r)
    {
        final Exchange e = inFlight.get(r.id());
        if (e == null)
        {
            return; // already failed (the other server's error came first) or unknown
        }
        if (r.status() != Wire.Status.OK)
        {
            inFlight.remove(r.id());
            e.future.completeExceptionally(new ServiceException(from, r.status(), r.message()));
            return;
        }
        final long[] logits;
        try
        {
            if (r.share().length != servers.outputs())
            {
                throw new IllegalStateException(from + " answered " + r.share().length + " logits; its model has "
                    + servers.outputs() + " outputs");
            }
            logits = e.add(from, r.share());
        }
        catch (final IllegalStateException ex)
        {
            inFlight.remove(r.id());
            e.future.completeExceptionally(new ServiceException(from, Wire.Status.FAILED, ex.getMessage()));
            return;
        }
        if (logits != null)
        {
            inFlight.remove(r.id());
            int best = 0;
            for (int i = 1; i < logits.length; i++)
            {
                if (logits[i] > logits[best])
                {
                    best = i;
                }
            }
            e.future.complete(new Prediction(logits, best));
        }
    }

    /** One server connection: a synchronized writer and a reader thread. */
    private final class Side
    {
        final Role role;
        final Socket socket;
        final DataOutputStream out;
        final DataInputStream in;
        final Wire.Hello hello;

        Side(final Role role, final String host, final int port, final int timeoutMs, final SSLContext tls) throws IOException
        {
            this.role = role;
            final Socket tcp = new Socket();
            try
            {
                tcp.connect(new InetSocketAddress(host, port), timeoutMs);
            }
            catch (final IOException ex)
            {
                throw new IOException("cannot reach " + role + "'s inference service at " + host + ":" + port + ": " + ex.getMessage(), ex);
            }
            tcp.setTcpNoDelay(true);
            if (tls == null)
            {
                this.socket = tcp;
            }
            else
            {
                final SSLSocket secure = ClientTls.configure((SSLSocket)tls.getSocketFactory().createSocket(tcp, host, port, true));
                try
                {
                    secure.setSoTimeout(timeoutMs);
                    secure.startHandshake();
                    secure.setSoTimeout(0);
                }
                catch (final IOException ex)
                {
                    tcp.close();
                    throw new IOException("TLS with " + role + " at " + host + ":" + port + " failed: " + ex.getMessage()
                        + " (a server started with --no-encryption needs a client with --no-encryption)", ex);
                }
                this.socket = secure;
            }
            this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            try
            {
                socket.setSoTimeout(timeoutMs);
                this.hello = Wire.readHello(in);
                socket.setSoTimeout(0);
            }
            catch (final IOException ex)
            {
                socket.close();
                throw new IOException(role + " at " + host + ":" + port + " did not introduce itself: " + ex.getMessage(), ex);
            }
        }

        synchronized void send(final long id, final long[] share) throws IOException
        {
            Wire.writeRequest(out, id, share);
            out.flush();
        }

        void read()
        {
            try
            {
                Wire.Response r;
                while ((r = Wire.readResponse(in)) != null)
                {
                    answered(role, r);
                }
                failEverything(new IOException(role + " closed the connection"));
            }
            catch (final IOException ex)
            {
                failEverything(new IOException("connection to " + role + " failed: " + ex.getMessage(), ex));
            }
        }

        private void failEverything(final IOException why)
        {
            if (!closed)
            {
                inFlight.values().forEach(e -> e.future.completeExceptionally(why));
                inFlight.clear();
            }
        }

        void close()
        {
            try
            {
                socket.close();
            }
            catch (final IOException ignored)
            {
                // closing
            }
        }
    }
}
