package securenn.bench.transport;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The measured exchanges, run identically by every party process over any {@link Wire}: ping-pong (round-trip
 * latency), bulk (one-way throughput, closed by a one-byte acknowledgement) and the three-party round (send to both
 * peers, then receive from both — the shape of one protocol round). Counts derive from sizes alone so that every
 * process knows the plan without a control channel.
 */
final class Scenarios
{
    static final long[] PING_SIZES = {64, 1024, 16 * 1024, 256 * 1024, 1024 * 1024};
    static final long[] BULK_SIZES = {1024, 16 * 1024, 256 * 1024, 1024 * 1024, 8 * 1024 * 1024, 64 * 1024 * 1024};
    static final long[] ROUND_SIZES = {1024, 64 * 1024, 800 * 1024};

    private Scenarios()
    {
    }

    static int pingCount(final long size, final boolean quick)
    {
        return (int)Math.max(50, Math.min(quick ? 4_000 : 20_000, (64L << 20) / size));
    }

    static int bulkCount(final long size, final boolean quick)
    {
        return (int)Math.max(4, (quick ? 64L << 20 : 256L << 20) / size);
    }

    static int roundCount(final long size, final boolean quick)
    {
        return (int)Math.max(20, Math.min(quick ? 400 : 2_000, (64L << 20) / size));
    }

    static Histogram ping(final Wire wire, final long size, final int count) throws IOException
    {
        final Histogram h = new Histogram(3);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(size);
            final MemorySegment in = arena.allocate(size);
            for (int i = 0; i < count + count / 4; i++)
            {
                final long t0 = System.nanoTime();
                wire.send(out);
                wire.receive(in);
                if (i >= count / 4)
                {
                    h.recordValue(System.nanoTime() - t0);
                }
            }
        }
        return h;
    }

    static void echo(final Wire wire, final long size, final int count) throws IOException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment buf = arena.allocate(size);
            for (int i = 0; i < count + count / 4; i++)
            {
                wire.receive(buf);
                wire.send(buf);
            }
        }
    }

    /** Sends {@code count} messages and waits for the acknowledgement; returns the best of two timed passes in ns. */
    static long bulkSend(final Wire wire, final long size, final int count) throws IOException
    {
        long best = Long.MAX_VALUE;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(size);
            final MemorySegment ack = arena.allocate(1);
            for (int pass = 0; pass < 3; pass++)
            {
                final long t0 = System.nanoTime();
                for (int i = 0; i < count; i++)
                {
                    wire.send(out);
                }
                wire.receive(ack);
                if (pass > 0)
                {
                    best = Math.min(best, System.nanoTime() - t0);
                }
            }
        }
        return best;
    }

    static void bulkReceive(final Wire wire, final long size, final int count) throws IOException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment in = arena.allocate(size);
            final MemorySegment ack = arena.allocate(1);
            for (int pass = 0; pass < 3; pass++)
            {
                for (int i = 0; i < count; i++)
                {
                    wire.receive(in);
                }
                wire.send(ack);
            }
        }
    }

    /** Rounds over Aeron (or blocking wires): send to every peer, then receive from every peer. */
    static Histogram rounds(final List<Wire> peers, final long size, final int count) throws IOException
    {
        final Histogram h = new Histogram(3);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(size);
            final MemorySegment in = arena.allocate(size);
            for (int i = 0; i < count + count / 4; i++)
            {
                final long t0 = System.nanoTime();
                for (final Wire w : peers)
                {
                    w.send(out);
                }
                for (final Wire w : peers)
                {
                    w.receive(in);
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
