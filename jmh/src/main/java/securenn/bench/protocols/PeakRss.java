package securenn.bench.protocols;

import securenn.mpc.Party;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a benchmark process holds in memory after its cases: its peak resident set over its life (Linux
 * {@code VmHWM}: the JVM with its heap and code, the party's off-heap shares and scratch, the Aeron buffers), the
 * Java heap committed, and the party's off-heap scratch blocks ({@link securenn.mpc.ScratchMemory}, kept for reuse:
 * the peak of the temporaries of the largest case). Where {@code /proc} is unavailable the peak is −1.
 */
record PeakRss(long peakRssBytes, long heapCommittedBytes, long scratchBytes)
{
    private static final Path STATUS = Path.of("/proc/self/status");

    /** This process and {@code party}, now. */
    static PeakRss of(final Party party)
    {
        return new PeakRss(vmHwm(), Runtime.getRuntime().totalMemory(), party.scratchReservedBytes());
    }

    /** The line a child prints for the orchestrator. */
    String line()
    {
        return "MEMORY " + peakRssBytes + " " + heapCommittedBytes + " " + scratchBytes;
    }

    /** Parses {@link #line()}. */
    static PeakRss parse(final String line)
    {
        final String[] f = line.split(" ");
        return new PeakRss(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
    }

    /** MB, for a report (peak RSS null where unknown). */
    Map<String, Object> toMap(final String party)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("party", party);
        m.put("peakRssMb", peakRssBytes < 0 ? null : mb(peakRssBytes));
        m.put("javaHeapCommittedMb", mb(heapCommittedBytes));
        m.put("offHeapScratchMb", mb(scratchBytes));
        return m;
    }

    private static double mb(final long bytes)
    {
        return Math.round(bytes / 1e5) / 10.0;
    }

    private static long vmHwm()
    {
        try
        {
            for (final String line : Files.readAllLines(STATUS))
            {
                if (line.startsWith("VmHWM:"))
                {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024; // "VmHWM:  123456 kB"
                }
            }
            return -1;
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }
}
