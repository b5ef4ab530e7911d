package securenn.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The accuracy runs of {@code securenn train}, read from their console logs kept in {@code perf-reports/accuracy/}
 * (the logs themselves are the evidence; nothing is typed in). Each log yields the engine, network, settings, test
 * accuracy after every epoch, the iterations checked bit for bit against the twin and the duration.
 */
public final class AccuracyRuns
{
    private static final Pattern HEADER = Pattern.compile(
        "^(secure|fixed-point twin|float) training of network (\\w+)(?: \\((ASM|squared-error|multiclass-hinge) output error(?:, momentum ([0-9.]+))?(?:, (\\d+) fraction bits)?\\))?: (\\d+) images per epoch in batches of (\\d+), (learning rate .*)$");
    private static final Pattern EPOCH = Pattern.compile("^epoch (\\d+): (?:secure|twin|float) test accuracy ([0-9.]+)% on (\\d+) images");
    private static final Pattern VERIFIED = Pattern.compile("^twin check passed: .* after each of (\\d+) iterations");
    private static final Pattern DONE = Pattern.compile("^trained (\\d+) epochs in ([0-9.]+) minutes");

    private AccuracyRuns()
    {
    }

    /** Every {@code *.log} in {@code dir/accuracy}, parsed; empty if there is none. */
    public static List<Map<String, Object>> read(final Path dir) throws IOException
    {
        final Path logs = dir.resolve("accuracy");
        final List<Map<String, Object>> runs = new ArrayList<>();
        if (!Files.isDirectory(logs))
        {
            return runs;
        }
        try (Stream<Path> files = Files.list(logs))
        {
            for (final Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList())
            {
                runs.add(parse(f.getFileName().toString(), Files.readAllLines(f)));
            }
        }
        return runs;
    }

    static Map<String, Object> parse(final String name, final List<String> lines)
    {
        final Map<String, Object> run = new LinkedHashMap<>();
        run.put("log", "accuracy/" + name);
        final List<Double> accuracy = new ArrayList<>();
        for (final String line : lines)
        {
            Matcher m = HEADER.matcher(line);
            if (m.find())
            {
                run.put("engine", m.group(1).equals("fixed-point twin") ? "twin" : m.group(1));
                run.put("network", m.group(2));
                run.put("loss", m.group(3) == null ? "ASM" : m.group(3));
                run.put("momentum", m.group(4) == null ? 0.0 : Double.parseDouble(m.group(4)));
                run.put("fractionBits", m.group(5) == null ? 13 : Integer.parseInt(m.group(5)));
                run.put("imagesPerEpoch", Integer.parseInt(m.group(6)));
                run.put("batch", Integer.parseInt(m.group(7)));
                run.put("settings", m.group(8) + (m.group(4) == null ? "" : ", momentum " + m.group(4))
                    + (m.group(5) == null ? "" : ", " + m.group(5) + " fraction bits"));
                continue;
            }
            m = EPOCH.matcher(line);
            if (m.find())
            {
                accuracy.add(Double.parseDouble(m.group(2)));
                run.put("testImages", Integer.parseInt(m.group(3)));
                continue;
            }
            m = VERIFIED.matcher(line);
            if (m.find())
            {
                run.put("twinVerifiedIterations", Integer.parseInt(m.group(1)));
                continue;
            }
            m = DONE.matcher(line);
            if (m.find())
            {
                run.put("minutes", Double.parseDouble(m.group(2)));
            }
        }
        run.put("accuracyPercent", accuracy);
        run.put("epochs", accuracy.size());
        run.put("finalPercent", accuracy.isEmpty() ? Double.NaN : accuracy.get(accuracy.size() - 1));
        return run;
    }

    /** The Markdown section and the targets these runs meet. */
    static void appendMarkdown(final List<Map<String, Object>> runs, final StringBuilder md, final Targets targets)
    {
        if (runs.isEmpty())
        {
            return;
        }
        md.append("\n## Accuracy runs (`securenn train`, full MNIST; logs in `perf-reports/accuracy/`)\n\n")
            .append("| log | engine | network | output error | batch | settings | epochs | test accuracy per epoch (%) | final | twin-checked iterations | minutes |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final Map<String, Object> r : runs)
        {
            @SuppressWarnings("unchecked")
            final List<Double> acc = (List<Double>)r.get("accuracyPercent");
            md.append("| ").append(r.get("log")).append(" | ").append(r.get("engine")).append(" | ").append(r.get("network"))
                .append(" | ").append(r.get("loss")).append(" | ").append(r.get("batch")).append(" | ").append(r.get("settings")).append(" | ").append(r.get("epochs"))
                .append(" | ").append(String.join(" ", acc.stream().map(a -> String.format("%.1f", a)).toList())).append(" | ")
                .append(String.format("%.2f%%", Targets.num(r, "finalPercent"))).append(" | ")
                .append(r.getOrDefault("twinVerifiedIterations", "—")).append(" | ")
                .append(r.containsKey("minutes") ? KernelReport.fmt(Targets.num(r, "minutes")) : "—").append(" |\n");
        }
        for (final Map<String, Object> r : runs)
        {
            final int epochs = (int)r.get("epochs");
            final double last = Targets.num(r, "finalPercent");
            if ("A".equals(r.get("network")) && "secure".equals(r.get("engine")) && epochs >= 15)
            {
                targets.add("network A, 15 epochs of secure training ≥ 93.4% (paper)", String.format("%.2f%%", last), last >= 93.4);
                if (r.containsKey("minutes"))
                {
                    final double min = Targets.num(r, "minutes");
                    targets.add("network A, 15 secure epochs in ≤ 30 minutes", KernelReport.fmt(min) + " min", min <= 30);
                }
            }
            if ("C".equals(r.get("network")) && epochs >= 15)
            {
                targets.add("network C ≥ 99.0% after 15 epochs (" + r.get("engine") + ", " + r.get("loss") + " output error)",
                    String.format("%.2f%%", last), last >= 99.0);
            }
            if ("C".equals(r.get("network")) && "secure".equals(r.get("engine")) && (int)r.get("imagesPerEpoch") >= 59_904
                && r.containsKey("minutes"))
            {
                targets.add("network C: at least one full secure epoch, accuracy reported", String.format("%.2f%% after %d epoch%s, %s min",
                    last, epochs, epochs == 1 ? "" : "s", KernelReport.fmt(Targets.num(r, "minutes"))), true);
            }
            if ("C".equals(r.get("network")) && r.containsKey("twinVerifiedIterations"))
            {
                final int n = (int)r.get("twinVerifiedIterations");
                targets.add("network C: secure training equals the twin bit for bit over ≥ 200 secure iterations",
                    n + " iterations at batch " + r.get("batch"), n >= 200);
            }
        }
    }
}
