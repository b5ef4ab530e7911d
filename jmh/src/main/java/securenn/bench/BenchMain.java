package securenn.bench;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import securenn.bench.protocols.PlaintextTwins;
import securenn.bench.protocols.ProtocolBench;
import securenn.bench.report.BenchRow;
import securenn.bench.report.ComparisonReport;
import securenn.bench.idle.IdleBench;
import securenn.bench.report.EncryptionReport;
import securenn.bench.report.IdleReport;
import securenn.bench.report.SoakReport;
import securenn.bench.serve.SoakBench;
import securenn.bench.report.InferenceReport;
import securenn.bench.report.KernelReport;
import securenn.bench.report.MachineInfo;
import securenn.bench.report.ProtocolReport;
import securenn.bench.report.ReportIndex;
import securenn.bench.report.ServeReport;
import securenn.bench.serve.ServeBench;
import securenn.bench.report.TrainingReport;
import securenn.bench.report.TransportReport;
import securenn.bench.transport.TransportBench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code bin/bench}: runs benchmark suites and writes their reports into {@code perf-reports/}. */
public final class BenchMain
{
    private static final String USAGE = """
        usage: bin/bench SUITE [--quick] [--out DIR] [--include REGEX] [--threading MODE]

        Suites:
          all       every suite below, then the comparison and perf-reports/README.md
                    (about 20 minutes; --quick about 7)
          kernels   GEMM at the shapes of networks A-D, element-wise ring ops over 16M longs, comparison
                    kernels, AES-CTR fill; scalar beside vector, 1 and 2 threads.
                    Writes DIR/kernels.json and DIR/kernels.md (about 8 minutes; --quick about 3).
          transport Aeron IPC, Aeron UDP loopback (INVOKER default and a shared driver thread) and a TCP
                    baseline, as separate processes: ping-pong latency 64 B-1 MiB, bulk throughput
                    1 KiB-64 MiB, a three-party round. Writes DIR/transport.{json,md} (about 30 seconds).
          protocols the whitepaper's Table 8 (Conv2d, MatMul, Maxpool, DMP, DReLU, ReLU) with three party
                    processes over UDP loopback, beside the paper's LAN figures.
                    Writes DIR/protocols.{json,md} (about 30 seconds).
          inference secure inference of networks A-D at batch 1 and 128 (the whitepaper's Table 7) with
                    three party processes over UDP loopback, beside the plaintext twins.
                    Writes DIR/inference.{json,md} (about 2 minutes).
          training  one secure training iteration of networks A, B, C at batch 128 (and of C under the hinge +
                    momentum rule of bin/secure-train), three party processes over UDP loopback with sessions
                    formed as train-party forms them (identities, agreed keys), AES-256-GCM links and then
                    plaintext ones (the cost of encryption), peak RSS per party, beside the whitepaper's
                    per-iteration time. Writes DIR/training.{json,md} (about 5 minutes).
          serve     the inference service as deployed: three `securenn serve` processes over UDP loopback and
                    a load-generating client, networks A and C at several request concurrencies.
                    Writes DIR/serve.{json,md} (about 4 minutes; --quick about 1).
          encryption batch-128 inference of networks A and C with plaintext links, then with AES-256-GCM on
                    every link chunk (as served sessions run): the cost of encryption.
                    Writes DIR/encryption.{json,md} (about 3 minutes).
          soak      the inference service (network A, encrypted) under sustained load for 10 minutes
                    (--quick: 1) with clients connecting and disconnecting: failed valid requests, heap and
                    off-heap memory of the servers over time. Writes DIR/soak.{json,md}. Not part of `all`.
                    With --faults: 5 minutes (--quick: 2) while the servers are killed and restarted in turn
                    (P2, P1, P0, ...): failures by status, recovery time per kill, wrong answers (vs the
                    fixed-point twin; must be 0). Writes DIR/fault-soak.{json,md}.
          idle      the Table 8 protocols once per idle strategy of the waiting parties (yield, backoff,
            adaptive), on the quiet host and with two busy-loop processes: what each costs in latency
            and whether waiting parties starve computing ones. Writes DIR/idle.{json,md} (about 6
            minutes; --quick about 4). Not part of `all`.
  compare   from the JSON reports in DIR: our figures beside SecureML, MiniONN, Gazelle, DeepSecure,
                    Chameleon, ABY3 and SecureNN (Tables 6, 7, 8, training), projected to the paper's LAN
                    and WAN. Writes DIR/comparison.{json,md} and SVG charts (seconds).

        Options:
          --quick          shorter runs: a smoke test with wider error bars
          --out DIR        where reports go (default: perf-reports)
          --include REGEX  kernels only: benchmarks whose name matches, e.g. 'GemmBench'
          --kernel-threads N protocols, training: threads each party's large matrix products may use (default 1).
          --threading MODE protocols, inference, training: the Aeron driver threading, INVOKER or SHARED (default:
                   INVOKER; SHARED for training)
        """;

    private BenchMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        String suite = null;
        boolean quick = false;
        boolean faults = false;
        Path out = Path.of("perf-reports");
        String include = null;
        String threading = "default";
        int kernelThreads = 1;
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
                case "--faults" -> faults = true;
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--include" -> include = value(args, ++i, "--include");
                case "--threading" -> threading = value(args, ++i, "--threading");
                case "--kernel-threads" -> kernelThreads = positive(value(args, ++i, "--kernel-threads"), "--kernel-threads");
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
        if (!List.of("default", "SHARED", "INVOKER").contains(threading))
        {
            fail("--threading must be SHARED or INVOKER but was " + threading);
        }
        if (suite == null)
        {
            fail("no suite given");
        }
        switch (suite)
        {
            case "kernels" -> kernels(out, quick, include);
            case "transport" -> transport(out, quick);
            case "protocols" -> protocols(out, quick, threading, kernelThreads);
            case "inference" -> inference(out, quick, threading);
            case "training" -> training(out, quick, threading, kernelThreads);
            case "serve" -> serve(out, quick);
            case "encryption" -> encryption(out, quick, threading);
            case "soak" -> soak(out, quick, faults);
            case "idle" -> idle(out, quick);
            case "compare" -> compare(out);
            case "all" ->
            {
                final long t0 = System.nanoTime();
                kernels(out, quick, include);
                transport(out, quick);
                protocols(out, quick, threading, kernelThreads);
                inference(out, quick, threading);
                training(out, quick, threading, kernelThreads);
                serve(out, quick);
                encryption(out, quick, threading);
                compare(out);
                System.out.printf("all suites done in %.1f minutes%n", (System.nanoTime() - t0) / 60e9);
            }
            default -> fail("unknown suite '" + suite + "'");
        }
        ReportIndex.write(out);
        System.out.println("updated " + out.resolve("README.md"));
    }

    private static void kernels(final Path out, final boolean quick, final String include) throws Exception
    {
        progress("kernels");
        final String pattern = "securenn\\.bench\\.kernels\\..*" + (include == null ? "" : "(" + include + ").*");
        new KernelReport(MachineInfo.current(), jmh(pattern, quick)).write(out);
        wrote(out, "kernels");
    }

    private static void transport(final Path out, final boolean quick) throws Exception
    {
        progress("transport");
        final List<Map<String, Object>> rows = new TransportBench(quick).run();
        final Map<String, String> descriptions = new LinkedHashMap<>();
        for (final String id : List.of("aeron-ipc", "aeron-udp", "aeron-udp-shared", "tcp"))
        {
            descriptions.put(id, TransportBench.describe(id));
        }
        new TransportReport(MachineInfo.current(), rows, descriptions).write(out);
        wrote(out, "transport");
    }

    private static int positive(final String v, final String option)
    {
        try
        {
            final int n = Integer.parseInt(v);
            if (n >= 1)
            {
                return n;
            }
        }
        catch (final NumberFormatException ex)
        {
            // reported below
        }
        fail(option + " must be a positive integer but was " + v);
        return 1;
    }

    private static void protocols(final Path out, final boolean quick, final String threading, final int kernelThreads)
        throws Exception
    {
        progress("protocols");
        final List<Map<String, Object>> rows = new ProtocolBench(quick, threading, "protocols").kernelThreads(kernelThreads).run();
        new ProtocolReport(MachineInfo.current(), rows, "Three party processes on this host over Aeron UDP loopback "
            + "(driver threading " + (threading.equals("default") ? "INVOKER, the default" : threading) + "), "
            + (kernelThreads == 1 ? "one kernel thread each." : kernelThreads + " kernel threads each for matrix products "
            + "of at least 2^20 multiply-adds.")).write(out);
        wrote(out, "protocols");
    }

    private static void inference(final Path out, final boolean quick, final String threading) throws Exception
    {
        progress("inference");
        final List<Map<String, Object>> rows = new ProtocolBench(quick, threading, "inference").run();
        PlaintextTwins.addTo(rows, quick);
        new InferenceReport(MachineInfo.current(), rows).write(out);
        wrote(out, "inference");
    }

    private static void training(final Path out, final boolean quick, final String threading, final int kernelThreads)
        throws Exception
    {
        progress("training");
        // sessions as train-party forms them (agreed keys); SHARED driver threading by default (Suite)
        final ProtocolBench encrypted = new ProtocolBench(quick, threading, "training", true).kernelThreads(kernelThreads);
        final List<Map<String, Object>> rows = encrypted.run();
        final List<Map<String, Object>> plain = new ProtocolBench(quick, threading, "training", false).kernelThreads(kernelThreads).run();
        for (int i = 0; i < rows.size(); i++)
        {
            rows.get(i).put("plaintextLinksMs", plain.get(i).get("medianMs"));
        }
        PlaintextTwins.addTrainingTo(rows, quick);
        new TrainingReport(MachineInfo.current(), rows, encrypted.memory()).write(out);
        wrote(out, "training");
    }

    private static void serve(final Path out, final boolean quick) throws Exception
    {
        progress("serve");
        new ServeReport(MachineInfo.current(), new ServeBench(quick).run()).write(out);
        wrote(out, "serve");
    }

    private static void encryption(final Path out, final boolean quick, final String threading) throws Exception
    {
        progress("encryption");
        final List<Map<String, Object>> plain = new ProtocolBench(quick, threading, "encryption", false).run();
        final List<Map<String, Object>> encrypted = new ProtocolBench(quick, threading, "encryption", true).run();
        final EncryptionReport report = new EncryptionReport(MachineInfo.current(), plain, encrypted);
        report.rows().forEach(r -> System.out.printf("  %-10s %s: plaintext %.1f ms, encrypted %.1f ms, %+.1f%%%n",
            r.get("protocol"), r.get("dims"), r.get("plaintextLinksMs"), r.get("encryptedLinksMs"), r.get("overheadPercent")));
        report.write(out);
        wrote(out, "encryption");
    }

    private static void soak(final Path out, final boolean quick, final boolean faults) throws Exception
    {
        progress(faults ? "fault-soak" : "soak");
        new SoakReport(MachineInfo.current(), new SoakBench(quick, faults).run(), faults ? "fault-soak" : "soak").write(out);
        wrote(out, faults ? "fault-soak" : "soak");
    }

    private static void idle(final Path out, final boolean quick) throws Exception
    {
        progress("idle");
        new IdleReport(MachineInfo.current(), new IdleBench(quick).run(), IdleBench.STRATEGIES).write(out);
        wrote(out, "idle");
    }

    private static void compare(final Path out) throws Exception
    {
        progress("compare");
        ComparisonReport.fromDirectory(out).write(out);
        wrote(out, "comparison");
    }

    private static List<BenchRow> jmh(final String pattern, final boolean quick) throws RunnerException
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

    private static void progress(final String suite)
    {
        System.out.println("== bin/bench " + suite);
    }

    private static void wrote(final Path out, final String name)
    {
        System.out.println("wrote " + out.resolve(name + ".json") + " and " + out.resolve(name + ".md"));
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
