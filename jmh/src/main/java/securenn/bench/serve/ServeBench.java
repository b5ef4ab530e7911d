package securenn.bench.serve;

import org.HdrHistogram.Histogram;
import securenn.bench.ChildJvm;
import securenn.cli.Main;
import securenn.config.ClusterConfig;
import securenn.data.Mnist;
import securenn.mpc.FixedPoint;
import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.service.InferenceClient;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bin/bench serve}: the inference service as deployed — three {@code securenn serve} processes over Aeron UDP
 * loopback — under a closed-loop load of C requests in flight, for several C. The load generator is one
 * {@link InferenceClient} in this JVM (it splits every image into fresh shares, as a real client does) and shares
 * the machine's two cores with the three servers.
 */
public final class ServeBench
{
    private final boolean quick;

    public ServeBench(final boolean quick)
    {
        this.quick = quick;
    }

    public List<Map<String, Object>> run() throws Exception
    {
        final List<Map<String, Object>> rows = new ArrayList<>();
        rows.addAll(network("A", quick ? new int[]{1, 256, 1024} : new int[]{1, 64, 256, 512, 1024, 2048}, quick ? 5 : 15));
        rows.addAll(network("C", quick ? new int[]{256} : new int[]{1, 128, 256, 512}, quick ? 15 : 30));
        return rows;
    }

    private List<Map<String, Object>> network(final String name, final int[] levels, final int seconds) throws Exception
    {
        try (ServedCluster served = ServedCluster.start(name, name.equals("A") ? 42_100 : 42_200, CONFIG))
        {
            final ClusterConfig cluster = served.cluster;
            final NetworkSpec spec = served.spec;
            System.out.printf("serve %s: three servers up%n", name);
            final List<Map<String, Object>> rows = new ArrayList<>();
            try (InferenceClient client = new InferenceClient(cluster, spec.input().size(), FixedPoint.DEFAULT.fractionBits(), true))
            {
                final Mnist sample = Mnist.sample();
                load(client, sample, Math.min(levels[levels.length - 1], 256), quick ? 2 : 4); // warm-up
                for (final int concurrency : levels)
                {
                    final Map<String, Object> row = load(client, sample, concurrency, seconds);
                    row.put("network", name);
                    row.put("maxBatch", 128);
                    rows.add(row);
                    System.out.printf("serve %s, %d in flight: %.0f predictions/s, p50 %.1f ms, p99 %.1f ms, %s failed%n", name,
                        concurrency, row.get("perSecond"), row.get("p50Ms"), row.get("p99Ms"), row.get("failed"));
                }
            }
            return rows;
        }
    }

    /** Keeps {@code concurrency} requests in flight for {@code seconds}; latency is client-measured, end to end. */
    static Map<String, Object> load(final InferenceClient client, final Mnist sample, final int concurrency,
        final int seconds) throws InterruptedException
    {
        final Semaphore window = new Semaphore(concurrency);
        final Histogram latency = new Histogram(3);
        final AtomicLong failed = new AtomicLong();
        final AtomicLong correct = new AtomicLong();
        final long t0 = System.nanoTime();
        final long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
        int i = 0;
        while (System.nanoTime() < end)
        {
            if (!window.tryAcquire(100, TimeUnit.MILLISECONDS))
            {
                continue;
            }
            final int image = i++ % sample.count();
            final long start = System.nanoTime();
            client.classify(FloatNetwork.images(sample, image, 1)).whenComplete((p, ex) ->
            {
                final long done = System.nanoTime();
                window.release();
                if (done > end)
                {
                    return;
                }
                synchronized (latency)
                {
                    if (ex != null)
                    {
                        failed.incrementAndGet();
                    }
                    else
                    {
                        latency.recordValue(Math.max(1, (done - start) / 1_000));
                        correct.addAndGet(p.label() == sample.label(image) ? 1 : 0);
                    }
                }
            });
        }
        window.acquire(concurrency); // drain
        window.release(concurrency);
        final double elapsed = (end - t0) / 1e9;
        final Map<String, Object> row = new LinkedHashMap<>();
        synchronized (latency)
        {
            row.put("concurrency", concurrency);
            row.put("seconds", elapsed);
            row.put("answered", latency.getTotalCount());
            row.put("perSecond", latency.getTotalCount() / elapsed);
            row.put("p50Ms", latency.getValueAtPercentile(50) / 1e3);
            row.put("p99Ms", latency.getValueAtPercentile(99) / 1e3);
            row.put("maxMs", latency.getMaxValue() / 1e3);
            row.put("failed", failed.get());
            row.put("correct", correct.get());
        }
        return row;
    }

    private static final String CONFIG = """
        [session]
        mtu = 65504
        message-timeout-ms = 30000
        [service]
        max-batch = 128
        max-wait-ms = 5
        queue-capacity = 8192
        request-timeout-ms = 60000
        """;
}
