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
 *
 * <p>{@code bin/bench soak --faults}: the same load while the servers are killed (SIGKILL) and restarted in turn —
 * P2, P1, P0, three rounds (one with --quick); the first kill after 20 s, each next one 15 s after the service
 * recovered from the previous (or gave up after 120 s). Requests that meet a dead party
 * fail (counted by status: FAILED, UNAVAILABLE, TIMEOUT, or the client's connection error); what must hold is that
 * the service recovers by itself (time from each kill until 20 requests sent after the restart were answered) and
 * that no answer is ever wrong: every answer is checked against the fixed-point twin's prediction for its image.
 */
public final class SoakBench
{
    private static final Pattern MEMORY = Pattern.compile(
        "memory: heap (\\d+)/(\\d+) MB, direct (\\d+) MB, mapped (\\d+) MB, rss (-?\\d+) MB");
    private static final int CLIENTS = 4;

    private final boolean quick;
    private final boolean faults;

    public SoakBench(final boolean quick, final boolean faults)
    {
        this.quick = quick;
        this.faults = faults;
    }

    /** Returns one summary row (key "summary") followed by the memory samples. */
    public List<Map<String, Object>> run() throws Exception
    {
        final long seconds = faults ? (quick ? 600 : 1_800) : quick ? 60 : 600; // faults: a cap; it ends after its kills
        final int plannedKills = quick ? 3 : 9;
        try (ServedCluster served = ServedCluster.start("A", 42_400, """
            [session]
            mtu = 65504
            [service]
            max-batch = 128
            max-wait-ms = 5
            request-timeout-ms = 30000
            """))
        {
            System.out.printf("soak: three servers up (logs in %s); %s of load from %d clients that connect and disconnect%n",
                served.dir, faults ? "until " + plannedKills + " kills were recovered from (at most " + seconds + " s)"
                    : seconds + " s", CLIENTS);
            final Mnist sample = Mnist.sample();
            final int[] expected = FixedPointTwin.predict(served.model, sample, FixedPoint.DEFAULT);
            final Map<String, AtomicLong> failedBy = new java.util.concurrent.ConcurrentHashMap<>();
            final AtomicLong ok = new AtomicLong();
            final AtomicLong failed = new AtomicLong();
            final AtomicLong disagree = new AtomicLong();
            final AtomicLong connections = new AtomicLong();
            final AtomicLong lastFailureNs = new AtomicLong();
            final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            final long t0 = System.nanoTime();
            final AtomicLong endNs = new AtomicLong(t0 + TimeUnit.SECONDS.toNanos(seconds));
            final List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++)
            {
                final SplittableRandom random = new SplittableRandom(c); // request counts only; the client splits with AES-CTR
                clients.add(Thread.ofPlatform().name("soak-client-" + c).start(() ->
                {
                    while (System.nanoTime() < endNs.get())
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
                                if (System.nanoTime() - lastFailureNs.get() < 100_000_000L)
                                {
                                    Thread.sleep(100); // the service answered an error: back off, as a real client would
                                }
                                final int image = random.nextInt(sample.count());
                                all.add(client.classify(FloatNetwork.images(sample, image, 1)).whenComplete((p, ex) ->
                                {
                                    window.release();
                                    if (ex != null)
                                    {
                                        failed.incrementAndGet();
                                        lastFailureNs.set(System.nanoTime());
                                        failedBy.computeIfAbsent(statusOf(ex), k -> new AtomicLong()).incrementAndGet();
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
                            failedBy.computeIfAbsent("client connection", k -> new AtomicLong()).incrementAndGet();
                            if (failures.size() < 20)
                            {
                                failures.add("client session: " + ex);
                            }
                            pauseQuietly(200); // a server is down: try again shortly, as a real client would
                        }
                    }
                }));
            }
            final List<Map<String, Object>> samples = new ArrayList<>();
            final List<Map<String, Object>> kills = new ArrayList<>();
            final String[] order = {"P2", "P1", "P0"};
            long lastOk = 0;
            long nextSample = t0 + TimeUnit.SECONDS.toNanos(10);
            long nextKill = t0 + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < endNs.get())
            {
                if (faults && System.nanoTime() >= nextKill)
                {
                    if (kills.size() == plannedKills)
                    {
                        endNs.set(System.nanoTime()); // every kill done and 15 s of service after the last
                        break;
                    }
                    kills.add(killAndRecover(served, order[kills.size() % order.length], ok, failed, t0));
                    nextKill = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                    continue;
                }
                if (System.nanoTime() < nextSample)
                {
                    Thread.sleep(100);
                    continue;
                }
                nextSample = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
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
            summary.put("seconds", Math.round((endNs.get() - t0) / 1e9));
            summary.put("clients", CLIENTS);
            summary.put("answered", ok.get());
            summary.put("failed", failed.get());
            summary.put("wrongAnswers", disagree.get());
            final Map<String, Long> byStatus = new java.util.TreeMap<>();
            failedBy.forEach((k, v) -> byStatus.put(k, v.get()));
            summary.put("failedByStatus", byStatus);
            summary.put("kills", kills);
            System.out.printf("soak: %d answered, %d failed %s, %d wrong answers (vs the fixed-point twin)%s%n", ok.get(),
                failed.get(), byStatus, disagree.get(), faults ? ", " + kills.size() + " kills: " + kills : "");
            summary.put("connections", connections.get());
            summary.put("failures", List.copyOf(failures));
            final List<Map<String, Object>> rows = new ArrayList<>();
            rows.add(summary);
            rows.addAll(samples);
            return rows;
        }
    }

    /**
     * Kills {@code party}, restarts it 2 s later and waits until 20 requests more than at the restart were answered
     * (giving up after 120 s); returns the kill's row: party, seconds into the run, recovery seconds (kill to
     * recovered, −1 if not recovered), requests failed meanwhile.
     */
    private static Map<String, Object> killAndRecover(final ServedCluster served, final String party, final AtomicLong ok,
        final AtomicLong failed, final long t0) throws Exception
    {
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        final long killedAt = System.nanoTime();
        final long failedBefore = failed.get();
        served.kill(party);
        Thread.sleep(2_000);
        served.restart(party);
        final long okAtRestart = ok.get();
        long recoveredAt = -1;
        while (System.nanoTime() < end)
        {
            if (ok.get() >= okAtRestart + 20)
            {
                recoveredAt = System.nanoTime();
                break;
            }
            Thread.sleep(50);
        }
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("party", party);
        row.put("atSeconds", Math.round((killedAt - t0) / 1e9));
        row.put("recoverySeconds", recoveredAt < 0 ? -1 : Math.round((recoveredAt - killedAt) / 1e8) / 10.0);
        row.put("failedMeanwhile", failed.get() - failedBefore);
        System.out.printf("soak: killed %s at %s s; %s; %d requests failed meanwhile%n", party, row.get("atSeconds"),
            recoveredAt < 0 ? "NOT recovered" : "recovered in " + row.get("recoverySeconds") + " s", failed.get() - failedBefore);
        return row;
    }

    private static String statusOf(final Throwable ex)
    {
        final Throwable cause = ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null ? ex.getCause() : ex;
        return cause instanceof InferenceClient.ServiceException se ? se.status().name() : cause.getClass().getSimpleName();
    }

    private static void pauseQuietly(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
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
