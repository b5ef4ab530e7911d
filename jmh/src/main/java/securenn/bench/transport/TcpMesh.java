package securenn.bench.transport;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The TCP baseline's connections: party i accepts from every higher party and connects to every lower one. The
 * three-party round runs non-blocking (write to both peers while reading from both), as blocking sends of large
 * messages in both directions would deadlock.
 */
final class TcpMesh
{
    private TcpMesh()
    {
    }

    /** Connects party {@code self} with every other of the first {@code parties} parties. */
    static SocketChannel[] connect(final int self, final int parties, final int basePort)
        throws IOException, InterruptedException
    {
        final SocketChannel[] peers = new SocketChannel[3];
        try (ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress("127.0.0.1", basePort + self));
            for (int peer = 0; peer < self; peer++)
            {
                peers[peer] = dial(basePort + peer);
                peers[peer].write(ByteBuffer.wrap(new byte[]{(byte)self}));
            }
            for (int i = self + 1; i < parties; i++)
            {
                final SocketChannel ch = server.accept();
                final ByteBuffer who = ByteBuffer.allocate(1);
                while (who.hasRemaining())
                {
                    ch.read(who);
                }
                peers[who.get(0)] = ch;
            }
        }
        for (final SocketChannel ch : peers)
        {
            if (ch != null)
            {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
        }
        return peers;
    }

    static SocketChannel dial(final int port) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            try
            {
                final SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                return ch;
            }
            catch (final IOException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    throw ex;
                }
                Thread.sleep(20);
            }
        }
    }

    static Histogram rounds(final SocketChannel[] peers, final int self, final long size, final int count) throws IOException
    {
        for (final SocketChannel ch : peers)
        {
            if (ch != null)
            {
                ch.configureBlocking(false);
            }
        }
        final Histogram h = new Histogram(3);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(size);
            final MemorySegment[] in = {arena.allocate(size), arena.allocate(size), arena.allocate(size)};
            final ByteBuffer[] writes = new ByteBuffer[3];
            final ByteBuffer[] reads = new ByteBuffer[3];
            for (int i = 0; i < count + count / 4; i++)
            {
                final long t0 = System.nanoTime();
                int pending = 0;
                for (int p = 0; p < 3; p++)
                {
                    if (p != self)
                    {
                        writes[p] = out.asByteBuffer();
                        reads[p] = in[p].asByteBuffer();
                        pending += 2;
                    }
                }
                while (pending > 0)
                {
                    boolean progress = false;
                    pending = 0;
                    for (int p = 0; p < 3; p++)
                    {
                        if (p == self)
                        {
                            continue;
                        }
                        if (writes[p].hasRemaining())
                        {
                            progress |= peers[p].write(writes[p]) > 0;
                            pending += writes[p].hasRemaining() ? 1 : 0;
                        }
                        if (reads[p].hasRemaining())
                        {
                            final int n = peers[p].read(reads[p]);
                            if (n < 0)
                            {
                                throw new IOException("TCP peer P" + p + " closed");
                            }
                            progress |= n > 0;
                            pending += reads[p].hasRemaining() ? 1 : 0;
                        }
                    }
                    if (!progress)
                    {
                        Thread.yield();
                    }
                }
                if (i >= count / 4)
                {
                    h.recordValue(System.nanoTime() - t0);
                }
            }
        }
        return h;
    }
}
