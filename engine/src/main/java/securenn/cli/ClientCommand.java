package securenn.cli;

import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.config.ClusterConfig;
import securenn.data.Mnist;
import securenn.nn.NetworkSpec;
import securenn.security.SessionSecurity;
import securenn.service.InferenceClient;
import securenn.service.Wire;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Callable;

/** Sends MNIST images to the inference service as secret shares and reports predictions, accuracy and latency. */
@Command(
    name = "client",
    mixinStandardHelpOptions = true,
    description = {"Classifies MNIST images with the secure inference service (P0, P1, P2 started by `securenn serve`).",
        "Each image is split into two fresh shares here; P0 gets one, P1 the other, and only this client adds the",
        "returned output shares. Prints each prediction (up to 20), then accuracy, throughput and latency."})
final class ClientCommand implements Callable<Integer>
{
    @Option(names = "--config", required = true, description = "Cluster config (TOML) naming P0's and P1's host and client-port.")
    Path config;

    @Option(names = "--network", description = "Expect this served network (A–D); default: whatever the servers say they serve.")
    String network;

    @Option(names = "--data", description = "MNIST directory (test split); default: the bundled 100-image sample.")
    Path data;

    @Option(names = "--count", defaultValue = "100", description = "Images to classify (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--concurrency", defaultValue = "128", description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--fraction-bits", description = "Expect this fixed-point precision of the served shares; default: the "
        + "servers' (they announce it when a client connects, and a mismatch is refused).")
    Integer fractionBits;

    @Option(names = "--timeout-ms", defaultValue = "30000", description = "Give up on a request after this long (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--no-encryption", description = "Plain TCP instead of TLS, for servers started with --no-encryption "
        + "(benchmarking only).")
    boolean noEncryption;

    @Override
    public Integer call() throws Exception
    {
        if (count < 1 || concurrency < 1)
        {
            throw new IllegalArgumentException("--count and --concurrency must be at least 1");
        }
        final Mnist test = data == null ? Mnist.sample() : Mnist.load(data, Mnist.Split.TEST);
        final ClusterConfig cluster = ClusterConfig.load(config);
        if (noEncryption)
        {
            SessionSecurity.warnUnencrypted("this client", System.out);
        }
        final Histogram latency = new Histogram(3);
        final AtomicInteger correct = new AtomicInteger();
        final Map<String, Integer> failures = new TreeMap<>();
        final Semaphore window = new Semaphore(concurrency);
        try (InferenceClient client = new InferenceClient(cluster, -1, fractionBits == null ? -1 : fractionBits, !noEncryption))
        {
            final Wire.Hello served = client.servers();
            if (network != null && !network.equalsIgnoreCase(served.network()))
            {
                throw new IllegalArgumentException("--network " + network + " but the servers serve " + served.describe());
            }
            NetworkSpec.Shape.requireImages(new NetworkSpec.Shape(served.channels(), served.height(), served.width()),
                "network " + served.network() + " as served", test.rows(), test.cols(), data == null ? "the bundled sample" : data.toString());
            System.out.println("servers: " + served.describe());
            final long t0 = System.nanoTime();
            final CompletableFuture<?>[] all = new CompletableFuture<?>[count];
            for (int i = 0; i < count; i++)
            {
                final int image = i % test.count();
                window.acquire();
                final long start = System.nanoTime();
                all[i] = client.classify(served.preprocessing().apply(test, image, 1)).orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                    .whenComplete((p, ex) ->
                    {
                        window.release();
                        synchronized (latency)
                        {
                            if (ex != null)
                            {
                                final Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
                                failures.merge(cause.getMessage() == null ? cause.toString() : cause.getMessage(), 1, Integer::sum);
                                return;
                            }
                            latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
                            if (p.label() == test.label(image))
                            {
                                correct.incrementAndGet();
                            }
                            if (count <= 20)
                            {
                                System.out.printf("image %d: predicted %d, label %d%n", image, p.label(), test.label(image));
                            }
                        }
                    });
            }
            CompletableFuture.allOf(all).handle((v, ex) -> null).join();
            final double seconds = (System.nanoTime() - t0) / 1e9;
            final long ok = latency.getTotalCount();
            System.out.printf("%d of %d requests answered, %d correct (%.2f%%); %.0f predictions/s; latency p50 %.1f ms, p99 %.1f ms%n",
                ok, count, correct.get(), 100.0 * correct.get() / Math.max(1, ok), ok / seconds,
                latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3);
            failures.forEach((why, n) -> System.out.printf("  %d failed: %s%n", n, why));
            return failures.isEmpty() ? 0 : 1;
        }
    }
}
