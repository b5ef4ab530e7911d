package securenn.bench.protocols;

import io.aeron.driver.ThreadingMode;
import securenn.bench.ChildJvm;
import securenn.mpc.Role;
import securenn.transport.TransportConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The whitepaper's Table 8 microbenchmarks with three parties as separate processes over UDP loopback: this process
 * is P0 and measures; P1 and P2 are {@link ProtocolBenchPeer} children.
 */
public final class ProtocolBench
{
    static final long SEED = 8;

    private final boolean quick;
    private final String threading;
    private final Suite suite;

    private final boolean encrypt;
    private String idle = "default";
    private final List<Map<String, Object>> memory = new ArrayList<>();
    private int kernelThreads = 1;

    /** @param suite "protocols" (Table 8) or "inference" (Table 7), "training", "encryption"; links in plaintext */
    public ProtocolBench(final boolean quick, final String threading, final String suite)
    {
        this(quick, threading, suite, false);
    }

    /** @param encrypt whether the links run AES-GCM, as in a served session (see {@link BenchLinkKeys}) */
    public ProtocolBench(final boolean quick, final String threading, final String suite, final boolean encrypt)
    {
        this.quick = quick;
        this.threading = threading;
        this.suite = Suite.valueOf(suite.toUpperCase(java.util.Locale.ROOT));
        this.encrypt = encrypt;
    }

    /** @param idle the parties' idle strategy, or "default" for the suite's ({@link Suite#partyIdle}) */
    static TransportConfig config(final int basePort, final String threading, final String idle, final Suite suite)
    {
        final TransportConfig c = TransportConfig.udpLoopback(basePort).connectTimeout(60, TimeUnit.SECONDS)
            .messageTimeout(60, TimeUnit.SECONDS).partyIdle(partyIdle(idle, suite));
        final String mode = threadingMode(threading, suite);
        return mode == null ? c : c.threadingMode(ThreadingMode.valueOf(mode));
    }

    /** The parties' idle strategy: the command line's, else the suite's. */
    private static String partyIdle(final String idle, final Suite suite)
    {
        return idle.equals("default") ? suite.partyIdle : idle;
    }

    /** The Aeron threading: the command line's, else the suite's; null for the transport's own default. */
    private static String threadingMode(final String threading, final Suite suite)
    {
        return threading.equals("default") ? suite.defaultThreading : threading;
    }

    /** Threads each party's large matrix products may use ({@code session.kernel-threads} of a cluster config). */
    public ProtocolBench kernelThreads(final int threads)
    {
        this.kernelThreads = threads;
        return this;
    }

    /** Overrides the suite's idle strategy for the parties (one of {@link securenn.transport.IdleStrategies#NAMES}). */
    public ProtocolBench idle(final String idle)
    {
        this.idle = idle;
        return this;
    }

    /**
     * After {@link #run}: each party's memory after all cases (peak RSS over the process's life, Java heap committed,
     * off-heap scratch held), P0 first; see {@link PeakRss}.
     */
    public List<Map<String, Object>> memory()
    {
        return memory;
    }

    public String threading()
    {
        return threading;
    }

    public List<Map<String, Object>> run() throws Exception
    {
        final int base = 40_600 + 100 * suite.ordinal() + (encrypt ? 50 : 0);
        final List<Process> children = new ArrayList<>();
        final List<CompletableFuture<String>> outputs = new ArrayList<>();
        try
        {
            final Path cluster = suite.agreedKeys ? BenchSession.prepareAgreed(base,
                Objects.requireNonNullElse(threadingMode(threading, suite), "INVOKER"), partyIdle(idle, suite), kernelThreads) : null;
            for (final int p : new int[]{1, 2})
            {
                final Process child = child(p, base, cluster);
                children.add(child);
                outputs.add(CompletableFuture.supplyAsync(() -> ChildJvm.output(child)));
            }
            final List<ProtocolRunner.Measured> mine;
            try (BenchSession session = join(Role.P0, base, threading, idle, suite, encrypt, kernelThreads, cluster);
                Arena arena = Arena.ofConfined())
            {
                mine = new ProtocolRunner(session.party(), quick, suite.passes, arena).runAll(suite.cases());
                memory.clear();
                memory.add(PeakRss.of(session.party()).toMap("P0"));
            }
            final long[][] childBytes = new long[2][mine.size()];

            for (int c = 0; c < 2; c++)
            {
                final String out = outputs.get(c).get(120, TimeUnit.SECONDS);
                for (final String line : out.split("\n"))
                {
                    if (line.startsWith("CASE "))
                    {
                        final String[] f = line.split(" ");
                        childBytes[c][Integer.parseInt(f[1])] = Long.parseLong(f[2]);
                    }
                    else if (line.startsWith("MEMORY "))
                    {
                        memory.add(PeakRss.parse(line).toMap("P" + (c + 1)));
                    }
                    else if (line.startsWith("FAILED"))
                    {
                        throw new IllegalStateException("P" + (c + 1) + " " + line);
                    }
                }
            }
            final List<ProtocolCase> cases = suite.cases();
            final List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < mine.size(); i++)
            {
                final ProtocolCase c = cases.get(i);
                final ProtocolRunner.Measured m = mine.get(i);
                final Map<String, Object> row = new LinkedHashMap<>();
                row.put("protocol", c.protocol());
                row.put("dims", c.dims());
                row.put("medianMs", m.medianMs());
                row.put("minMs", m.minMs());
                row.put("maxMs", m.maxMs());
                row.put("rounds", m.rounds());
                row.put("bytes", m.bytesSent() + childBytes[0][i] + childBytes[1][i]);
                row.put("kernelThreads", kernelThreads);
                row.put("links", suite.agreedKeys ? (encrypt ? "agreed keys, AES-256-GCM" : "agreed keys, plaintext")
                    : (encrypt ? "seeded keys, AES-256-GCM" : "seeded keys, plaintext"));
                if (c.plain() != null)
                {
                    row.put("plaintextMs", plaintextMs(c.plain()));
                }
                row.put("paperLanMs", c.paperLanMs());
                row.put("paperMb", c.paperMb());
                rows.add(row);
                System.out.printf("  %-12s %-22s %9.3f ms  %3d rounds  %10.4f MB   (paper LAN %s ms, %s MB)%n", c.protocol(),
                    c.dims(), m.medianMs(), m.rounds(), ((Number)row.get("bytes")).longValue() / 1e6, c.paperLanMs(), c.paperMb());
            }
            return rows;
        }
        finally
        {
            children.forEach(Process::destroyForcibly);
        }
    }

    /** Median time of the case's plaintext baseline in this process (only P0 runs these, so warm-up is by time). */
    private double plaintextMs(final ProtocolCase.Plain plain)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return PlaintextTwins.medianMs(plain.prepare(arena), quick ? 5 : 30, quick ? 50_000_000L : 400_000_000L);
        }
    }

    private Process child(final int party, final int base, final Path cluster) throws IOException
    {
        return ChildJvm.start(ProtocolBenchPeer.class, Integer.toString(party), Integer.toString(base), Boolean.toString(quick),
            threading, suite.name(), Boolean.toString(encrypt), idle, Integer.toString(kernelThreads),
            cluster == null ? "-" : cluster.toString());
    }

    /** The session of one benchmark process: agreed from {@code cluster} where the suite wants it, else seeded. */
    static BenchSession join(final Role role, final int base, final String threading, final String idle, final Suite suite,
        final boolean encrypt, final int kernelThreads, final Path cluster) throws IOException
    {
        return cluster != null ? BenchSession.agreed(role, cluster, encrypt)
            : BenchSession.seeded(role, config(base, threading, idle, suite), encrypt, kernelThreads);
    }

}
