package securenn.bench.report;

import securenn.kernels.Kernels;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Where and how a benchmark ran: every report records it beside its numbers. */
public record MachineInfo(
    int cores, String cpu, String cpuFlags, String jdk, List<String> jvmFlags, int vectorBits, String date, String commit)
{
    public static MachineInfo current()
    {
        return new MachineInfo(
            Runtime.getRuntime().availableProcessors(),
            cpuInfo("model name"),
            Arrays.stream(cpuInfo("flags").split(" ")).filter(f -> f.startsWith("avx") || f.startsWith("aes")
                || f.equals("fma") || f.equals("sha_ni")).sorted().collect(Collectors.joining(" ")),
            System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
            ManagementFactory.getRuntimeMXBean().getInputArguments(),
            Kernels.best().vectorBits(),
            ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
            gitCommit());
    }

    public Map<String, Object> toMap()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", cores);
        m.put("cpu", cpu);
        m.put("cpuFlags", cpuFlags);
        m.put("jdk", jdk);
        m.put("jvmFlags", jvmFlags);
        m.put("vectorBits", vectorBits);
        m.put("date", date);
        m.put("commit", commit);
        return m;
    }

    public String toMarkdown()
    {
        return "| machine | |\n|---|---|\n"
            + "| CPU | " + cpu + " (" + cores + " cores) |\n"
            + "| CPU flags | " + cpuFlags + " |\n"
            + "| JDK | " + jdk + " |\n"
            + "| JVM flags | `" + String.join(" ", jvmFlags) + "` |\n"
            + "| vector width | " + vectorBits + " bits |\n"
            + "| date | " + date + " |\n"
            + "| commit | " + commit + " |\n";
    }

    private static String cpuInfo(final String key)
    {
        try
        {
            return Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith(key)).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim())
                .orElse("unknown");
        }
        catch (final IOException ex)
        {
            return "unknown (" + ex.getMessage() + ")";
        }
    }

    private static String gitCommit()
    {
        try
        {
            final Process p = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=12")
                .redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
