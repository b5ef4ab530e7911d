package securenn.bench.serve;

import securenn.data.Mnist;
import securenn.mpc.FixedPoint;
import securenn.nn.FloatNetwork;
import securenn.service.InferenceClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/bench soak}: the inference service (network A, encrypted links, TLS) under sustained load for 10 minutes
 * (1 with --quick). Four client threads each connect, send a random number of requests (20–400, up to 32 in flight),
 * wait for every answer, disconnect, and start over — so clients come and go all the time. Every failed request is
 * counted (there is no valid reason for one); every 10 s the servers' own memory lines (heap, mapped Aeron buffers,
 * resident set) are sampled from their logs, and every minute each server's live heap is measured after a full
 * collection ({@code jcmd PID GC.run}, then {@code GC.heap_info}) — the number that shows a leak, unlike the used
 * heap, which is a saw-tooth.
 */
public final class SoakBench
{
    private static final Pattern MEMORY = Pattern.compile(
        "memory: heap (\\d+)/(\\d+) MB, direct (\\d+) MB, mapped (\\d+) MB, rss (-?\\d+) MB");
    private static final int CLIENTS = 4;

    private final boolean quick;

    public SoakBench(final boolean quick)
    {
        this.quick = quick;
    }

    /** Returns one summary row (key "summary") followed by the memory samples. */
    public List<Map<String, Object>> run() throws Exception
    {
        final long seconds = quick ? 60 : 600;
        try (ServedCluster served = ServedCluster.start("A", 42_400, """
            [session]
            mtu = 65504
            [service]
            max-batch = 128
            max-wait-ms = 5
            request-timeout-ms = 30000
            """))
        {
            System.out.printf("soak: three servers up (logs in %s); %d s of load from %d clients that connect and disconnect%n",
                served.dir, seconds, CLIENTS);
            final Mnist sample = Mnist.sample();
            final int[] expected = FloatNetwork.argmax(FloatNetwork.forward(served.model,
                FloatNetwork.images(sample, 0, sample.count()), sample.count()), sample.count(), 10);
            final AtomicLong ok = new AtomicLong();
            final AtomicLong failed = new AtomicLong();
            final AtomicLong disagree = new AtomicLong();
            final AtomicLong connections = new AtomicLong();
            final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            final long t0 = System.nanoTime();
            final long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
            final List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++)
            {
                final SplittableRandom random = new SplittableRandom(c); // request counts only; the client splits with AES-CTR
                clients.add(Thread.ofPlatform().name("soak-client-" + c).start(() ->
                {
                    while (System.nanoTime() < end)
                    {
                        try (InferenceClient client = new InferenceClient(served.cluster, 784, FixedPoint.DEFAULT.fractionBits(), true))
                        {
                            connections.incrementAndGet();
                            final int n = random.nextInt(20, 401);
                            final Semaphore window = new Semaphore(32);
                            final List<CompletableFuture<?>> all = new ArrayList<>(n);
                            for (int i = 0; i < n; i++)
                            {
                                window.acquire();
                                final int image = random.nextInt(sample.count());
                                all.add(client.classify(FloatNetwork.images(sample, image, 1)).whenComplete((p, ex) ->
                                {
                                    window.release();
                                    if (ex != null)
                                    {
                                        failed.incrementAndGet();
                                        if (failures.size() < 20)
                                        {
                                            failures.add(ex.toString());
                                        }
                                    }
                                    else
                                    {
                                        ok.incrementAndGet();
                                        disagree.addAndGet(p.label() == expected[image] ? 0 : 1);
                                    }
                                }));
                            }
                            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(x -> null).get(120, TimeUnit.SECONDS);
                        }
                        catch (final Exception ex)
                        {
                            failed.incrementAndGet();
                            failures.add("client session: " + ex);
                        }
                    }
                }));
            }
            final List<Map<String, Object>> samples = new ArrayList<>();
            long lastOk = 0;
            while (System.nanoTime() < end)
            {
                Thread.sleep(10_000);
                final double at = (System.nanoTime() - t0) / 1e9;
                final Map<String, Object> s = new LinkedHashMap<>();
                s.put("seconds", Math.round(at));
                s.put("answered", ok.get());
                s.put("perSecond", (ok.get() - lastOk) / 10.0);
                s.put("failed", failed.get());
                s.put("connections", connections.get());
                lastOk = ok.get();
                for (final String party : List.of("P0", "P1", "P2"))
                {
                    final Matcher m = lastMemoryLine(served, party);
                    if (m != null)
                    {
                        s.put(party + "HeapMb", Long.parseLong(m.group(1)));
                        s.put(party + "MappedMb", Long.parseLong(m.group(4)));
                        s.put(party + "RssMb", Long.parseLong(m.group(5)));
                    }
                }
                if (Math.round(at) % 60 < 10)
                {
                    for (final String party : List.of("P0", "P1", "P2"))
                    {
                        final long live = liveHeapMb(served.process(party));
                        if (live >= 0)
                        {
                            s.put(party + "LiveHeapMb", live);
                        }
                    }
                }
                samples.add(s);
                System.out.printf("soak %4.0f s: %d answered (%.0f/s), %d failed, %d client connections; RSS P0 %s P1 %s P2 %s MB, heap P0 %s MB%s%n",
                    at, ok.get(), s.get("perSecond"), failed.get(), connections.get(), s.get("P0RssMb"), s.get("P1RssMb"),
                    s.get("P2RssMb"), s.get("P0HeapMb"), s.containsKey("P0LiveHeapMb") ? String.format("; live heap after full GC "
                        + "P0 %s P1 %s P2 %s MB", s.get("P0LiveHeapMb"), s.get("P1LiveHeapMb"), s.get("P2LiveHeapMb")) : "");
            }
            for (final Thread t : clients)
            {
                t.join(TimeUnit.MINUTES.toMillis(3));
            }
            final Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("summary", true);
            summary.put("seconds", seconds);
            summary.put("clients", CLIENTS);
            summary.put("answered", ok.get());
            summary.put("failed", failed.get());
            summary.put("disagreeWithPlaintext", disagree.get());
            summary.put("connections", connections.get());
            summary.put("failures", List.copyOf(failures));
            final List<Map<String, Object>> rows = new ArrayList<>();
            rows.add(summary);
            rows.addAll(samples);
            return rows;
        }
    }

    private static final Pattern GENERATION_USED = Pattern.compile("^\\s*\\S+\\s+total \\d+K, used (\\d+)K", Pattern.MULTILINE);

    /** Heap in use right after a full collection of the server's JVM, or −1 if jcmd is unavailable. */
    private static long liveHeapMb(final Process server)
    {
        try
        {
            final String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            run(jcmd, Long.toString(server.pid()), "GC.run");
            final Matcher m = GENERATION_USED.matcher(run(jcmd, Long.toString(server.pid()), "GC.heap_info"));
            long kb = 0;
            boolean any = false;
            while (m.find())
            {
                kb += Long.parseLong(m.group(1));
                any = true;
            }
            return any ? kb >> 10 : -1;
        }
        catch (final java.io.IOException | InterruptedException ex)
        {
            return -1;
        }
    }

    private static String run(final String... command) throws java.io.IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static Matcher lastMemoryLine(final ServedCluster served, final String party)
    {
        try
        {
            final List<String> lines = Files.readAllLines(served.log(party));
            for (int i = lines.size() - 1; i >= 0; i--)
            {
                final Matcher m = MEMORY.matcher(lines.get(i));
                if (m.find())
                {
                    return m;
                }
            }
        }
        catch (final java.io.IOException ex)
        {
            // not written yet
        }
        return null;
    }
}
