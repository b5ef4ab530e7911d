package securenn.transport;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Chunks that arrived on a link while the local party was busy sending (polled so that two parties sending large
 * messages to each other cannot deadlock on full windows). A FIFO of length-prefixed records in an off-heap buffer
 * that grows when needed and is reused: the steady state allocates nothing.
 */
final class StagingBuffer implements AutoCloseable
{
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private Arena arena = Arena.ofShared();
    private MemorySegment buffer = arena.allocate(64 * 1024);
    private long read;
    private long write;
    private long highWater;

    /** Bytes staged and not yet read, length prefixes included. */
    long bytes()
    {
        return write - read;
    }

    boolean isEmpty()
    {
        return read == write;
    }

    /** Appends one chunk copied from {@code src[offset, offset + length)}. */
    void append(final MemorySegment src, final long offset, final int length)
    {
        ensure(Integer.BYTES + (long)length);
        buffer.set(INT, write, length);
        MemorySegment.copy(src, offset, buffer, write + Integer.BYTES, length);
        write += Integer.BYTES + (long)length;
        highWater = Math.max(highWater, write - read);
    }

    /** The most bytes ever staged at once. */
    long highWater()
    {
        return highWater;
    }

    /** The oldest chunk (header and payload) without removing it. */
    MemorySegment peek()
    {
        final int length = buffer.get(INT, read);
        return buffer.asSlice(read + Integer.BYTES, length);
    }

    void pop()
    {
        read += Integer.BYTES + (long)buffer.get(INT, read);
        if (read == write)
        {
            read = 0;
            write = 0;
        }
    }

    /** Makes room for {@code extra} bytes: compacts the live records to the front, growing the buffer if needed. */
    private void ensure(final long extra)
    {
        if (write + extra <= buffer.byteSize())
        {
            return;
        }
        final long live = write - read;
        long size = buffer.byteSize();
        while (size < live + extra)
        {
            size *= 2;
        }
        if (size == buffer.byteSize())
        {
            MemorySegment.copy(buffer, read, buffer, 0, live); // overlapping copy is safe (memmove semantics)
        }
        else
        {
            final Arena grown = Arena.ofShared();
            final MemorySegment target = grown.allocate(size);
            MemorySegment.copy(buffer, read, target, 0, live);
            arena.close();
            arena = grown;
            buffer = target;
        }
        read = 0;
        write = live;
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
