package securenn.bench.protocols;

import securenn.kernels.Kernels;
import securenn.mpc.Party;
import securenn.mpc.Randomness;
import securenn.mpc.Role;
import securenn.transport.EmbeddedDriver;
import securenn.transport.PartyTransport;
import securenn.transport.TransportConfig;

import java.lang.foreign.Arena;
import java.util.List;

/**
 * A party process of the protocol benchmark: {@code ProtocolBenchPeer PARTY BASE_PORT QUICK THREADING SUITE}. Prints one
 * line {@code CASE index bytesSent} per case for the orchestrator (P0) to add up.
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
        final TransportConfig config = ProtocolBench.config(Integer.parseInt(args[1]), args[3], args[6], suite);
        try (EmbeddedDriver driver = EmbeddedDriver.start(config);
            PartyTransport transport = PartyTransport.open(role.id(), driver);
            Arena arena = Arena.ofConfined())
        {
            transport.awaitConnected();
            BenchLinkKeys.secureIf(Boolean.parseBoolean(args[5]), transport);
            final Party party = new Party(role, transport, Randomness.seededForTwinChecks(role, ProtocolBench.SEED), Kernels.best());
            party.kernelThreads(Integer.parseInt(args[7]));
            final List<ProtocolRunner.Measured> results =
                new ProtocolRunner(party, Boolean.parseBoolean(args[2]), suite.passes, arena).runAll(suite.cases());
            for (int i = 0; i < results.size(); i++)
            {
                System.out.println("CASE " + i + " " + results.get(i).bytesSent());
            }
        }
        catch (final RuntimeException ex)
        {
            System.out.println("FAILED: " + ex);
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
