package securenn.bench.report;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One JMH result in milliseconds per operation: benchmark class and method, parameters, mean with its 99.9% error,
 * median, min and max over the measurement iterations.
 */
public record BenchRow(String benchClass, String method, Map<String, String> params,
    double meanMs, double errorMs, double medianMs, double minMs, double maxMs)
{
    public static BenchRow of(final RunResult r)
    {
        final String full = r.getParams().getBenchmark();
        final int dot = full.lastIndexOf('.');
        final String cls = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
        final Map<String, String> params = new TreeMap<>();
        for (final String key : r.getParams().getParamsKeys())
        {
            params.put(key, r.getParams().getParam(key));
        }
        if (!r.getPrimaryResult().getScoreUnit().equals("ms/op"))
        {
            throw new IllegalStateException(full + " reported " + r.getPrimaryResult().getScoreUnit() + ", expected ms/op");
        }
        final Statistics s = r.getPrimaryResult().getStatistics();
        final double error = Double.isNaN(r.getPrimaryResult().getScoreError()) ? 0 : r.getPrimaryResult().getScoreError();
        return new BenchRow(cls, full.substring(dot + 1), params, s.getMean(), error, s.getPercentile(50), s.getMin(),
            s.getMax());
    }

    public String param(final String key)
    {
        return params.getOrDefault(key, "");
    }

    public Map<String, Object> toMap()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", benchClass + "." + method);
        m.put("params", new LinkedHashMap<>(params));
        m.put("meanMs", meanMs);
        m.put("errorMs", errorMs);
        m.put("medianMs", medianMs);
        m.put("minMs", minMs);
        m.put("maxMs", maxMs);
        return m;
    }
}
