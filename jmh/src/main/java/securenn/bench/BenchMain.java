package securenn.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.annotations.Mode;
import securenn.bench.report.BenchRow;
import securenn.bench.report.KernelReport;
import securenn.bench.report.MachineInfo;
import securenn.bench.report.InferenceReport;
import securenn.bench.report.ProtocolReport;
import securenn.bench.protocols.PlaintextTwins;
import securenn.bench.report.TransportReport;
import securenn.bench.protocols.ProtocolBench;
import securenn.bench.transport.TransportBench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code bin/bench}: runs a benchmark suite with JMH and writes its report into {@code perf-reports/}. */
public final class BenchMain
{
    private static final String USAGE = """
        usage: bin/bench SUITE [--quick] [--out DIR] [--include REGEX]

        Suites:
          kernels   GEMM at the shapes of networks A-D, element-wise ring ops over 16M longs, comparison
                    kernels, AES-CTR fill; scalar beside vector, 1 and 2 threads.
                    Writes DIR/kernels.json and DIR/kernels.md (about 8 minutes; --quick about 3).
          inference secure inference of networks A-D at batch 1 and 128 (the whitepaper's Table 7) with
                    three party processes over UDP loopback, beside the plaintext twins. Writes
                    DIR/inference.json and DIR/inference.md (about 3 minutes).
          transport Aeron IPC, Aeron UDP loopback (default and INVOKER driver) and a TCP baseline, as
                    separate processes: ping-pong latency 64 B-1 MiB, bulk throughput 1 KiB-64 MiB, and a
                    three-party round. Writes DIR/transport.json and DIR/transport.md (about 30 seconds).
          protocols the whitepaper's Table 8 (Conv2d, MatMul, Maxpool, DMP, DReLU, ReLU) with three party
                    processes over UDP loopback, beside the paper's LAN figures. Writes DIR/protocols.json
                    and DIR/protocols.md (about 30 seconds).

        Options:
          --quick          fewer and shorter JMH iterations: a smoke run, wider error bars
          --out DIR        where reports go (default: perf-reports)
          --include REGEX  kernels only: benchmarks whose name matches, e.g. 'GemmBench'
          --threading MODE protocols only: the Aeron driver threading, INVOKER (the default) or SHARED
        """;

    private BenchMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        String suite = null;
        boolean quick = false;
        Path out = Path.of("perf-reports");
        String include = null;
        String threading = "default";
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--help", "-h" ->
                {
                    System.out.print(USAGE);
                    return;
                }
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--include" -> include = value(args, ++i, "--include");
                case "--threading" -> threading = value(args, ++i, "--threading");
                default ->
                {
                    if (args[i].startsWith("-") || suite != null)
                    {
                        fail("unexpected argument '" + args[i] + "'");
                    }
                    suite = args[i];
                }
            }
        }
        if ("inference".equals(suite))
        {
            final List<Map<String, Object>> rows = new ProtocolBench(quick, threading, "inference").run();
            PlaintextTwins.addTo(rows, quick);
            new InferenceReport(MachineInfo.current(), rows).write(out);
            System.out.println("wrote " + out.resolve("inference.json") + " and " + out.resolve("inference.md"));
            return;
        }
        if ("protocols".equals(suite))
        {
            if (!List.of("default", "SHARED", "INVOKER").contains(threading))
            {
                fail("--threading must be SHARED or INVOKER but was " + threading);
            }
            final List<Map<String, Object>> rows = new ProtocolBench(quick, threading, "protocols").run();
            new ProtocolReport(MachineInfo.current(), rows, "Three party processes on this host over Aeron UDP loopback "
                + "(driver threading " + (threading.equals("default") ? "INVOKER, the default" : threading)
                + "), one kernel thread each.").write(out);
            System.out.println("wrote " + out.resolve("protocols.json") + " and " + out.resolve("protocols.md"));
            return;
        }
        if ("transport".equals(suite))
        {
            final TransportBench bench = new TransportBench(quick);
            final List<Map<String, Object>> rows = bench.run();
            final Map<String, String> descriptions = new LinkedHashMap<>();
            for (final String id : List.of("aeron-ipc", "aeron-udp", "aeron-udp-shared", "tcp"))
            {
                descriptions.put(id, TransportBench.describe(id));
            }
            new TransportReport(MachineInfo.current(), rows, descriptions).write(out);
            System.out.println("wrote " + out.resolve("transport.json") + " and " + out.resolve("transport.md"));
            return;
        }
        if (!"kernels".equals(suite))
        {
            fail(suite == null ? "no suite given" : "unknown suite '" + suite + "'");
        }
        final String pattern = "securenn\\.bench\\.kernels\\..*" + (include == null ? "" : "(" + include + ").*");
        final List<BenchRow> rows = run(pattern, quick);
        new KernelReport(MachineInfo.current(), rows).write(out);
        System.out.println("wrote " + out.resolve("kernels.json") + " and " + out.resolve("kernels.md"));
    }

    private static List<BenchRow> run(final String pattern, final boolean quick) throws RunnerException
    {
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include(pattern)
            .mode(Mode.AverageTime)
            .timeUnit(TimeUnit.MILLISECONDS)
            .forks(1)
            .jvmArgs(ManagementFactory.getRuntimeMXBean().getInputArguments().toArray(String[]::new))
            .warmupIterations(quick ? 2 : 4)
            .warmupTime(TimeValue.milliseconds(quick ? 300 : 1000))
            .measurementIterations(quick ? 3 : 5)
            .measurementTime(TimeValue.milliseconds(quick ? 300 : 1000));
        final Collection<RunResult> results = new Runner(options.build()).run();
        if (results.isEmpty())
        {
            fail("no benchmark matched " + pattern);
        }
        final List<BenchRow> rows = new ArrayList<>();
        results.forEach(r -> rows.add(BenchRow.of(r)));
        return rows;
    }

    private static String value(final String[] args, final int i, final String option)
    {
        if (i >= args.length)
        {
            fail(option + " needs a value");
        }
        return args[i];
    }

    private static void fail(final String message)
    {
        System.err.println("bin/bench: " + message);
        System.err.print(USAGE);
        System.exit(2);
    }
}
