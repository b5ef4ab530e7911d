package securenn.bench.protocols;

import io.aeron.driver.ThreadingMode;
import securenn.bench.ChildJvm;
import securenn.kernels.Kernels;
import securenn.mpc.Party;
import securenn.mpc.Randomness;
import securenn.mpc.Role;
import securenn.transport.EmbeddedDriver;
import securenn.transport.PartyTransport;
import securenn.transport.TransportConfig;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            .messageTimeout(60, TimeUnit.SECONDS).partyIdle(idle.equals("default") ? suite.partyIdle : idle);
        final String mode = threading.equals("default") ? suite.defaultThreading : threading;
        return mode == null ? c : c.threadingMode(ThreadingMode.valueOf(mode));
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
            for (final int p : new int[]{1, 2})
            {
                final Process child = child(p, base);
                children.add(child);
                outputs.add(CompletableFuture.supplyAsync(() -> ChildJvm.output(child)));
            }
            final List<ProtocolRunner.Measured> mine;
            try (EmbeddedDriver driver = EmbeddedDriver.start(config(base, threading, idle, suite));
                PartyTransport transport = PartyTransport.open(0, driver);
                Arena arena = Arena.ofConfined())
            {
                transport.awaitConnected();
                BenchLinkKeys.secureIf(encrypt, transport);
                final Party party = new Party(Role.P0, transport, Randomness.seededForTwinChecks(Role.P0, SEED), Kernels.best());
                party.kernelThreads(kernelThreads);
                mine = new ProtocolRunner(party, quick, suite.passes, arena).runAll(suite.cases());
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

    private Process child(final int party, final int base) throws IOException
    {
        return ChildJvm.start(ProtocolBenchPeer.class, Integer.toString(party), Integer.toString(base), Boolean.toString(quick),
            threading, suite.name(), Boolean.toString(encrypt), idle, Integer.toString(kernelThreads));
    }
}
