package securenn.service;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import securenn.security.ClientTls;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The TCP side of a server (P0 or P1), over TLS 1.3 unless switched off: accepts clients, decodes their requests on one virtual thread per connection
 * and hands each well-formed request to the server; a malformed frame closes only that client's connection, and a
 * request of the wrong length is answered with BAD_REQUEST while the connection stays open.
 */
final class ClientGateway implements AutoCloseable
{
    /** A client connection; responses are written by the party thread and by readers, hence synchronized. */
    static final class Connection
    {
        private final Socket socket;
        private final DataOutputStream out;

        Connection(final Socket socket) throws IOException
        {
            this.socket = socket;
            this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        }

        /** The client's address (P1 bounds its pending shares per address). */
        java.net.InetAddress address()
        {
            return socket.getInetAddress();
        }

        synchronized void hello(final Wire.Hello h) throws IOException
        {
            Wire.writeHello(out, h);
            out.flush();
        }

        synchronized void ok(final long id, final long[] share)
        {
            try
            {
                Wire.writeOk(out, id, share);
                out.flush();
            }
            catch (final IOException ex)
            {
                close();
            }
        }

        synchronized void error(final long id, final Wire.Status status, final String message)
        {
            try
            {
                Wire.writeError(out, id, status, message);
                out.flush();
            }
            catch (final IOException ex)
            {
                close();
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
                // already gone
            }
        }
    }

    /** A decoded request with where to answer it and when it arrived. */
    record Incoming(long id, long[] share, Connection connection, long arrivalNanos)
    {
    }

    private final ServerSocket server;
    private final Wire.Hello hello;
    private final int inputSize;
    private final Consumer<Incoming> sink;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closing;

    /**
     * @param hello what every client is told first (this server's public parameters)
     * @param tls   TLS for clients, or null for plaintext TCP ({@code --no-encryption})
     */
    ClientGateway(final int port, final Wire.Hello hello, final Consumer<Incoming> sink, final SSLContext tls) throws IOException
    {
        this.server = tls == null ? new ServerSocket()
            : ClientTls.configure((SSLServerSocket)tls.getServerSocketFactory().createServerSocket());
        this.server.setReuseAddress(true);
        try
        {
            this.server.bind(new InetSocketAddress(port), 1024);
        }
        catch (final java.net.BindException ex)
        {
            server.close();
            throw new java.net.BindException("cannot accept clients on TCP port " + port + " (the party's client-port in the "
                + "cluster config): " + ex.getMessage() + " — is another server still running there?");
        }
        this.hello = hello;
        this.inputSize = hello.inputSize();
        this.sink = sink;
        this.acceptor = Thread.ofPlatform().daemon().name("securenn-accept").start(this::accept);
    }

    int port()
    {
        return server.getLocalPort();
    }

    private void accept()
    {
        while (!closing)
        {
            try
            {
                final Socket s = server.accept();
                s.setTcpNoDelay(true);
                final Connection c = new Connection(s);
                connections.add(c);
                Thread.ofVirtual().name("securenn-client").start(() -> read(c));
            }
            catch (final IOException ex)
            {
                if (!closing)
                {
                    System.err.println("securenn serve: accept failed: " + ex.getMessage());
                }
            }
        }
    }

    private void read(final Connection c)
    {
        try
        {
            c.hello(hello);
            final DataInputStream in = new DataInputStream(new BufferedInputStream(c.socket.getInputStream(), 1 << 16));
            while (true)
            {
                final Wire.Request r;
                try
                {
                    r = Wire.readRequest(in, inputSize);
                }
                catch (final SocketException | java.io.EOFException ex)
                {
                    break; // client went away
                }
                catch (final javax.net.ssl.SSLException ex)
                {
                    break; // not a TLS client (or a broken one): nothing can be answered on this connection
                }
                catch (final IOException ex)
                {
                    c.error(-1, Wire.Status.BAD_REQUEST, "malformed request stream, closing: " + ex.getMessage());
                    break;
                }
                if (r == null)
                {
                    break;
                }
                if (r.share() == null || r.declared() != inputSize)
                {
                    c.error(r.id(), Wire.Status.BAD_REQUEST, "request " + r.id() + " carries " + r.declared()
                        + " elements but this model's input has " + inputSize);
                    continue;
                }
                sink.accept(new Incoming(r.id(), r.share(), c, System.nanoTime()));
            }
        }
        catch (final IOException ex)
        {
            // could not even open the stream
        }
        finally
        {
            connections.remove(c);
            c.close();
        }
    }

    /** Stops accepting and closes every client connection. */
    @Override
    public void close()
    {
        closing = true;
        try
        {
            server.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
        connections.forEach(Connection::close);
        acceptor.interrupt();
    }
}
