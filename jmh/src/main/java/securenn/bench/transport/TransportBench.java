package securenn.bench.transport;

import org.HdrHistogram.Histogram;
import securenn.bench.ChildJvm;
import securenn.transport.EmbeddedDriver;
import securenn.transport.LocalParties;
import securenn.transport.PartyTransport;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Orchestrates the transport benchmark: this process is P0 and measures; P1 and P2 run as {@link BenchPeer} child
 * processes (or threads, for IPC). Every variant runs the same {@link Scenarios} in the same run, so Aeron and the
 * TCP baseline are compared under the same machine conditions.
 */
public final class TransportBench
{
    private final boolean quick;
    private final List<Map<String, Object>> results = new ArrayList<>();
    private int nextPort = 40_300;

    public TransportBench(final boolean quick)
    {
        this.quick = quick;
    }

    /** The human description of a transport variant, for reports. */
    public static String describe(final String id)
    {
        return Variant.of(id).description;
    }

    public List<Map<String, Object>> run() throws Exception
    {
        ipc();
        for (final Variant v : List.of(Variant.AERON_UDP, Variant.AERON_UDP_SHARED, Variant.TCP))
        {
            for (final String scenario : List.of("ping", "bulk", "round"))
            {
                multiProcess(v, scenario);
            }
        }
        return results;
    }

    private void ipc() throws Exception
    {
        System.out.println("transport bench: " + Variant.AERON_IPC.id);
        try (LocalParties local = LocalParties.start(Variant.AERON_IPC.config(0)))
        {
            final PartyTransport p0 = local.party(0);
            final Wire p0p1 = new AeronWire(p0.link(1));
            final Wire p1p0 = new AeronWire(local.party(1).link(0));
            final CompletableFuture<Void> echo = background(() ->
            {
                for (final long size : Scenarios.PING_SIZES)
                {
                    Scenarios.echo(p1p0, size, Scenarios.pingCount(size, quick));
                }
                for (final long size : Scenarios.BULK_SIZES)
                {
                    Scenarios.bulkReceive(p1p0, size, Scenarios.bulkCount(size, quick));
                }
            });
            measurePing(Variant.AERON_IPC, p0p1);
            measureBulk(Variant.AERON_IPC, p0p1);
            echo.get();
            final List<CompletableFuture<Void>> others = new ArrayList<>();
            for (final int self : new int[]{1, 2})
            {
                final PartyTransport party = local.party(self);
                others.add(background(() ->
                {
                    for (final long size : Scenarios.ROUND_SIZES)
                    {
                        Scenarios.rounds(List.of(new AeronWire(party.link(0)), new AeronWire(party.link(3 - self))), size,
                            Scenarios.roundCount(size, quick));
                    }
                }));
            }
            measureRounds(Variant.AERON_IPC, List.of(p0p1, new AeronWire(p0.link(2))), null);
            for (final CompletableFuture<Void> f : others)
            {
                f.get();
            }
        }
    }

    private void multiProcess(final Variant v, final String scenario) throws Exception
    {
        System.out.println("transport bench: " + v.id + " " + scenario);
        final int base = nextPort;
        nextPort += 10;
        final boolean tcpPair = v == Variant.TCP && !scenario.equals("round");
        final List<Process> children = new ArrayList<>();
        try
        {
            children.add(child(1, v, base, scenario));
            if (!tcpPair)
            {
                children.add(child(2, v, base, scenario));
            }
            if (v == Variant.TCP)
            {
                final SocketChannel[] peers = TcpMesh.connect(0, tcpPair ? 2 : 3, base);
                play(v, scenario, new TcpWire(peers[1]), null, peers);
            }
            else
            {
                try (EmbeddedDriver driver = EmbeddedDriver.start(v.config(base));
                    PartyTransport p0 = PartyTransport.open(0, driver))
                {
                    p0.awaitConnected();
                    play(v, scenario, new AeronWire(p0.link(1)), new AeronWire(p0.link(2)), null);
                }
            }
            final Process p1 = children.get(0);
            if (!p1.waitFor(60, TimeUnit.SECONDS) || p1.exitValue() != 0)
            {
                throw new IllegalStateException("P1 of " + v.id + " " + scenario + " failed: " + ChildJvm.output(p1));
            }
        }
        finally
        {
            children.forEach(Process::destroyForcibly);
        }
    }

    private void play(final Variant v, final String scenario, final Wire toP1, final Wire toP2,
        final SocketChannel[] tcp) throws Exception
    {
        switch (scenario)
        {
            case "ping" -> measurePing(v, toP1);
            case "bulk" -> measureBulk(v, toP1);
            default -> measureRounds(v, toP2 == null ? null : List.of(toP1, toP2), tcp);
        }
    }

    private void measurePing(final Variant v, final Wire wire) throws IOException
    {
        for (final long size : Scenarios.PING_SIZES)
        {
            record(v, "ping", size, Scenarios.ping(wire, size, Scenarios.pingCount(size, quick)), "round trip");
        }
    }

    private void measureBulk(final Variant v, final Wire wire) throws IOException
    {
        for (final long size : Scenarios.BULK_SIZES)
        {
            final int count = Scenarios.bulkCount(size, quick);
            final long ns = Scenarios.bulkSend(wire, size, count);
            final Map<String, Object> row = row(v, "bulk", size);
            row.put("messages", count);
            row.put("seconds", ns / 1e9);
            row.put("gbPerSecond", size * (double)count / ns);
            results.add(row);
            System.out.printf("  %-18s %-5s %9d B  %.3f GB/s%n", v.id, "bulk", size, size * (double)count / ns);
        }
    }

    private void measureRounds(final Variant v, final List<Wire> aeron, final SocketChannel[] tcp) throws IOException
    {
        for (final long size : Scenarios.ROUND_SIZES)
        {
            final int count = Scenarios.roundCount(size, quick);
            final Histogram h = tcp != null ? TcpMesh.rounds(tcp, 0, size, count) : Scenarios.rounds(aeron, size, count);
            record(v, "round", size, h, "send to both peers, receive from both");
        }
    }

    private void record(final Variant v, final String scenario, final long size, final Histogram h, final String what)
    {
        final Map<String, Object> row = row(v, scenario, size);
        row.put("measures", what);
        row.put("count", h.getTotalCount());
        row.put("p50us", h.getValueAtPercentile(50) / 1e3);
        row.put("p99us", h.getValueAtPercentile(99) / 1e3);
        row.put("meanUs", h.getMean() / 1e3);
        row.put("maxUs", h.getMaxValue() / 1e3);
        results.add(row);
        System.out.printf("  %-18s %-5s %9d B  p50 %9.1f us  p99 %9.1f us%n", v.id, scenario, size,
            h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3);
    }

    private static Map<String, Object> row(final Variant v, final String scenario, final long size)
    {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("transport", v.id);
        row.put("scenario", scenario);
        row.put("bytes", size);
        return row;
    }

    private Process child(final int party, final Variant v, final int base, final String scenario) throws IOException
    {
        return ChildJvm.start(BenchPeer.class, Integer.toString(party), v.id, Integer.toString(base), scenario,
            Boolean.toString(quick));
    }

    private interface Body
    {
        void run() throws Exception;
    }

    private static CompletableFuture<Void> background(final Body body)
    {
        final CompletableFuture<Void> f = new CompletableFuture<>();
        Thread.ofPlatform().start(() ->
        {
            try
            {
                body.run();
                f.complete(null);
            }
            catch (final Throwable ex)
            {
                f.completeExceptionally(ex);
            }
        });
        return f;
    }
}
