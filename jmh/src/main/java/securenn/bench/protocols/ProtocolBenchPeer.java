package securenn.bench.protocols;

import securenn.mpc.Role;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;

/**
 * A party process of the protocol benchmark: {@code ProtocolBenchPeer PARTY BASE_PORT QUICK THREADING SUITE
 * ENCRYPT IDLE KERNEL_THREADS CLUSTER_CONFIG|-}. Prints one line {@code CASE index bytesSent} per case for
 * the orchestrator (P0) to add up, then one {@code MEMORY} line ({@link PeakRss}).
 */
public final class ProtocolBenchPeer
{
    private ProtocolBenchPeer()
    {
    }

    public static void main(final String[] args)
    {
        final Role role = Role.of(Integer.parseInt(args[0]));
        final Suite suite = Suite.valueOf(args[4]);
        final Path cluster = args[8].equals("-") ? null : Path.of(args[8]);
        try (BenchSession session = ProtocolBench.join(role, Integer.parseInt(args[1]), args[3], args[6], suite,
                Boolean.parseBoolean(args[5]), Integer.parseInt(args[7]), cluster);
            Arena arena = Arena.ofConfined())
        {
            final List<ProtocolRunner.Measured> results =
                new ProtocolRunner(session.party(), Boolean.parseBoolean(args[2]), suite.passes, arena).runAll(suite.cases());
            for (int i = 0; i < results.size(); i++)
            {
                System.out.println("CASE " + i + " " + results.get(i).bytesSent());
            }
            System.out.println(PeakRss.of(session.party()).line());
        }
        catch (final Exception ex)
        {
            System.out.println("FAILED: " + ex);
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
