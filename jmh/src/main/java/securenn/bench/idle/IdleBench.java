package securenn.bench.idle;

import securenn.bench.protocols.ProtocolBench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parties' idle strategies side by side: the Table 8 protocols (three party processes over UDP loopback) with
 * each strategy, on the quiet host and with busy-loop processes competing for its cores. The quiet runs give the
 * latency a strategy costs; the loaded runs show whether waiting parties starve the computing ones.
 */
public final class IdleBench
{
    /** The strategies compared: the old default, Agrona's count-based back-off, and the time-based one. */
    public static final List<String> STRATEGIES = List.of("yield", "backoff", "adaptive");
    /** Busy loops on the host: none, then two (one per core of the 2-core reference host). */
    public static final int[] HOGS = {0, 2};

    private final boolean quick;

    public IdleBench(final boolean quick)
    {
        this.quick = quick;
    }

    /** One row per protocol case, hog count and strategy: the ProtocolBench row plus "idle" and "hogs". */
    public List<Map<String, Object>> run() throws Exception
    {
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (final int hogs : HOGS)
        {
            for (final String idle : STRATEGIES)
            {
                System.out.printf("idle strategy %s, %d busy-loop process(es):%n", idle, hogs);
                final long t0 = System.nanoTime();
                final List<Map<String, Object>> measured;
                try (CpuHogs ignored = new CpuHogs(hogs))
                {
                    measured = new ProtocolBench(quick, "default", "protocols").idle(idle).run();
                }
                final double suiteSeconds = (System.nanoTime() - t0) / 1e9;
                for (final Map<String, Object> m : measured)
                {
                    final Map<String, Object> row = new LinkedHashMap<>();
                    row.put("idle", idle);
                    row.put("hogs", hogs);
                    row.put("suiteSeconds", suiteSeconds);
                    row.putAll(m);
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
