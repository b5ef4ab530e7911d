package securenn.service;

import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters and a latency histogram of one server (request arrival to response written), reported as intervals:
 * requests/s, batch sizes, p50/p99 latency, bytes sent to the peers per request.
 */
public final class ServiceMetrics
{
    private final Recorder latency = new Recorder(3);
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final Histogram total = new Histogram(3);
    private long lastServed;
    private long lastBatches;
    private long lastBytes;
    private long lastNanos = System.nanoTime();

    public void served(final long arrivalNanos, final long nowNanos)
    {
        served.incrementAndGet();
        latency.recordValue(Math.max(1, (nowNanos - arrivalNanos) / 1_000));
    }

    public void failed()
    {
        failed.incrementAndGet();
    }

    public void rejected()
    {
        rejected.incrementAndGet();
    }

    public void batch()
    {
        batches.incrementAndGet();
    }

    public long served()
    {
        return served.get();
    }

    /** One line about the interval since the last call; {@code bytesSent} is the party's total so far. */
    public synchronized String interval(final long bytesSent)
    {
        final long now = System.nanoTime();
        final Histogram h = latency.getIntervalHistogram();
        total.add(h);
        final long s = served.get();
        final long b = batches.get();
        final double seconds = (now - lastNanos) / 1e9;
        final long n = s - lastServed;
        final String line = String.format("%.0f requests/s, %d served (%d failed, %d rejected in total), mean batch %.1f, "
                + "latency p50 %.1f ms p99 %.1f ms, %.0f KB sent to peers per request",
            n / seconds, n, failed.get(), rejected.get(), b == lastBatches ? 0.0 : (double)n / (b - lastBatches),
            h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(50) / 1e3, h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(99) / 1e3,
            n == 0 ? 0.0 : (bytesSent - lastBytes) / 1e3 / n);
        lastServed = s;
        lastBatches = b;
        lastBytes = bytesSent;
        lastNanos = now;
        return line;
    }

    /** Whole-run summary (call after the last interval). */
    public synchronized String summary()
    {
        return String.format("served %d requests (%d failed, %d rejected), latency p50 %.1f ms p99 %.1f ms", served.get(),
            failed.get(), rejected.get(), total.getTotalCount() == 0 ? 0.0 : total.getValueAtPercentile(50) / 1e3,
            total.getTotalCount() == 0 ? 0.0 : total.getValueAtPercentile(99) / 1e3);
    }

    /**
     * This process's memory: Java heap used and committed, direct NIO buffers, mapped files (Aeron's log buffers) and
     * the resident set from the kernel. Off-heap memory segments (shares, kernel buffers) appear in none of the JVM's
     * pools (measured: "direct" stays at 0 MB), only in the resident set.
     */
    public static String memory()
    {
        final java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long direct = 0;
        long mapped = 0;
        for (final java.lang.management.BufferPoolMXBean pool
            : java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class))
        {
            if (pool.getName().equals("direct"))
            {
                direct = pool.getMemoryUsed();
            }
            else if (pool.getName().equals("mapped"))
            {
                mapped = pool.getMemoryUsed();
            }
        }
        return String.format("memory: heap %d/%d MB, direct %d MB, mapped %d MB, rss %d MB", heap.getUsed() >> 20,
            heap.getCommitted() >> 20, direct >> 20, mapped >> 20, residentBytes() >> 20);
    }

    /** VmRSS from /proc/self/status (Linux), or −1 where unavailable. */
    private static long residentBytes()
    {
        try
        {
            for (final String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        catch (final java.io.IOException | NumberFormatException ex)
        {
            // not Linux
        }
        return -1L << 20;
    }
}
