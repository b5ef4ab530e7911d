package securenn.bench.transport;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** The TCP baseline: a blocking {@link SocketChannel} with TCP_NODELAY, reading and writing segments directly. */
record TcpWire(SocketChannel channel) implements Wire
{
    @Override
    public void send(final MemorySegment data) throws IOException
    {
        final ByteBuffer buffer = data.asByteBuffer();
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }

    @Override
    public void receive(final MemorySegment into) throws IOException
    {
        final ByteBuffer buffer = into.asByteBuffer();
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer) < 0)
            {
                throw new IOException("TCP peer closed the connection");
            }
        }
    }
}
