package securenn.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The performance targets a report evaluates on its measured numbers: a Markdown table and a JSON list. */
public final class Targets
{
    private final List<Map<String, Object>> list = new ArrayList<>();

    public void add(final String target, final String measured, final boolean met)
    {
        final Map<String, Object> t = new LinkedHashMap<>();
        t.put("target", target);
        t.put("measured", measured);
        t.put("met", met);
        list.add(t);
    }

    public List<Map<String, Object>> asList()
    {
        return list;
    }

    public void appendMarkdown(final StringBuilder md)
    {
        md.append("\n## Targets\n\n| target | measured | met |\n|---|---|---|\n");
        for (final Map<String, Object> t : list)
        {
            md.append("| ").append(t.get("target")).append(" | ").append(t.get("measured")).append(" | ")
                .append(Boolean.TRUE.equals(t.get("met")) ? "yes" : "**no**").append(" |\n");
        }
    }

    /**
     * Finishes a report: appends these targets to {@code md} and writes {@code NAME.md} and {@code NAME.json} (report
     * name, machine, {@code extra} fields, results, targets) into {@code dir}.
     */
    public void write(final java.nio.file.Path dir, final String name, final MachineInfo machine, final Object results,
        final StringBuilder md, final Map<String, Object> extra) throws java.io.IOException
    {
        appendMarkdown(md);
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("report", name);
        json.put("machine", machine.toMap());
        json.putAll(extra);
        json.put("results", results);
        json.put("targets", asList());
        java.nio.file.Files.writeString(dir.resolve(name + ".json"), Json.write(json));
        java.nio.file.Files.writeString(dir.resolve(name + ".md"), md.toString());
    }

    /** A numeric field of a result row. */
    public static double num(final Map<String, Object> row, final String key)
    {
        return ((Number)row.get(key)).doubleValue();
    }
}
