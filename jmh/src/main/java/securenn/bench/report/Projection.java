package securenn.bench.report;

/**
 * Projects a measured loopback run onto a network: T ≈ T_compute + rounds · RTT + bytes / bandwidth. T_compute is the
 * time measured on loopback, which still includes the loopback transfers, and all bytes are charged to one link
 * although the three links run in parallel — both make the projection conservative (an upper bound).
 */
public record Projection(String name, double rttMs, double megabytesPerSecond)
{
    /** The whitepaper's LAN (Section 8.1). */
    public static final Projection LAN = new Projection("LAN", 0.22, 625);
    /** The whitepaper's WAN (Section 8.1). */
    public static final Projection WAN = new Projection("WAN", 58, 40);

    public double project(final double computeMs, final long rounds, final long bytes)
    {
        return computeMs + rounds * rttMs + bytes / (megabytesPerSecond * 1e6) * 1e3;
    }

    public String formula()
    {
        return "T ≈ T_loopback + rounds × " + rttMs + " ms + bytes / " + megabytesPerSecond + " MB/s";
    }
}
