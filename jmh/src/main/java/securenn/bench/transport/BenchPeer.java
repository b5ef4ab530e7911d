package securenn.bench.transport;

import securenn.transport.EmbeddedDriver;
import securenn.transport.PartyTransport;

import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * A benchmark party in its own process: {@code BenchPeer PARTY VARIANT BASE_PORT SCENARIO QUICK}. P1 echoes
 * (ping), sinks (bulk) or takes part in rounds; P2 takes part in rounds and otherwise only keeps its links up.
 */
public final class BenchPeer
{
    private BenchPeer()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int self = Integer.parseInt(args[0]);
        final Variant variant = Variant.of(args[1]);
        final int basePort = Integer.parseInt(args[2]);
        final String scenario = args[3];
        final boolean quick = Boolean.parseBoolean(args[4]);
        try
        {
            if (variant == Variant.TCP)
            {
                final SocketChannel[] peers = TcpMesh.connect(self, scenario.equals("round") ? 3 : 2, basePort);
                play(self, scenario, quick, new TcpWire(peers[0]), peers, null);
            }
            else
            {
                try (EmbeddedDriver driver = EmbeddedDriver.start(variant.config(basePort));
                    PartyTransport party = PartyTransport.open(self, driver))
                {
                    party.awaitConnected();
                    play(self, scenario, quick, new AeronWire(party.link(0)), null, party);
                }
            }
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

    private static void play(final int self, final String scenario, final boolean quick, final Wire toP0,
        final SocketChannel[] tcp, final PartyTransport aeron) throws Exception
    {
        switch (scenario)
        {
            case "ping" ->
            {
                if (self == 1)
                {
                    for (final long size : Scenarios.PING_SIZES)
                    {
                        Scenarios.echo(toP0, size, Scenarios.pingCount(size, quick));
                    }
                }
                else
                {
                    Thread.sleep(Long.MAX_VALUE); // keeps P2's links up until the orchestrator ends it
                }
            }
            case "bulk" ->
            {
                if (self == 1)
                {
                    for (final long size : Scenarios.BULK_SIZES)
                    {
                        Scenarios.bulkReceive(toP0, size, Scenarios.bulkCount(size, quick));
                    }
                }
                else
                {
                    Thread.sleep(Long.MAX_VALUE);
                }
            }
            case "round" ->
            {
                for (final long size : Scenarios.ROUND_SIZES)
                {
                    if (tcp != null)
                    {
                        TcpMesh.rounds(tcp, self, size, Scenarios.roundCount(size, quick));
                    }
                    else
                    {
                        final int other = 3 - self; // the peer that is neither P0 nor this party
                        Scenarios.rounds(List.of(new AeronWire(aeron.link(0)), new AeronWire(aeron.link(other))), size,
                            Scenarios.roundCount(size, quick));
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }
}
