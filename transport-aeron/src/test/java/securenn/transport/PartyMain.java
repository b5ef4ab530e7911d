package securenn.transport;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * One party as its own process, for the multi-process tests: {@code PartyMain PARTY BASE_PORT MODE}.
 * <ul>
 *   <li>{@code exchange} — rounds in which every party sends to both others and checks what it receives, then a
 *       64 MiB transfer each way between P0 and P1; prints {@code OK} and exits 0.</li>
 *   <li>{@code stream} — exchanges with the other parties until a link fails; prints {@code STREAMING} once.</li>
 * </ul>
 * A failure prints {@code FAILED: message} and exits 3.
 */
public final class PartyMain
{
    private PartyMain()
    {
    }

    public static void main(final String[] args)
    {
        final int self = Integer.parseInt(args[0]);
        final int basePort = Integer.parseInt(args[1]);
        final String mode = args[2];
        final TransportConfig config = TransportConfig.udpLoopback(basePort)
            .connectTimeout(30, TimeUnit.SECONDS).messageTimeout(2, TimeUnit.SECONDS);
        try (EmbeddedDriver driver = EmbeddedDriver.start(config);
            PartyTransport party = PartyTransport.open(self, driver);
            Arena arena = Arena.ofConfined())
        {
            party.awaitConnected();
            if (mode.equals("exchange"))
            {
                exchange(party, arena);
                System.out.println("OK rounds=" + party.rounds() + " " + party.counters());
            }
            else
            {
                stream(party, arena);
            }
        }
        catch (final RuntimeException ex)
        {
            System.out.println("FAILED: " + ex.getMessage());
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private static void exchange(final PartyTransport party, final Arena arena)
    {
        final int self = party.self();
        for (int round = 0; round < 20; round++)
        {
            final long size = 1L << (10 + round % 14);
            for (int peer = 0; peer < 3; peer++)
            {
                if (peer != self)
                {
                    party.link(peer).send(round, AbstractTransportTest.random(arena, size, seed(self, peer, round)));
                }
            }
            for (int peer = 0; peer < 3; peer++)
            {
                if (peer != self)
                {
                    final MemorySegment in = arena.allocate(size);
                    party.link(peer).receive(round, in);
                    check(in, AbstractTransportTest.random(arena, size, seed(peer, self, round)), peer, round);
                }
            }
        }
        if (self < 2)
        {
            final long size = 64L << 20;
            final int peer = 1 - self;
            party.link(peer).send(99, AbstractTransportTest.random(arena, size, seed(self, peer, 99)));
            final MemorySegment in = arena.allocate(size);
            party.link(peer).receive(99, in);
            check(in, AbstractTransportTest.random(arena, size, seed(peer, self, 99)), peer, 99);
        }
    }

    private static void stream(final PartyTransport party, final Arena arena)
    {
        final MemorySegment out = arena.allocate(256 * 1024);
        final MemorySegment in = arena.allocate(256 * 1024);
        boolean announced = false;
        for (int step = 0; ; step++)
        {
            for (int peer = 0; peer < 3; peer++)
            {
                if (peer != party.self())
                {
                    party.link(peer).send(step, out);
                }
            }
            for (int peer = 0; peer < 3; peer++)
            {
                if (peer != party.self())
                {
                    party.link(peer).receive(step, in);
                }
            }
            if (!announced && step == 10)
            {
                System.out.println("STREAMING");
                System.out.flush();
                announced = true;
            }
        }
    }

    private static long seed(final int from, final int to, final int round)
    {
        return from * 1_000_003L + to * 1009L + round;
    }

    private static void check(final MemorySegment got, final MemorySegment expected, final int peer, final int round)
    {
        if (AbstractTransportTest.checksum(got) != AbstractTransportTest.checksum(expected))
        {
            throw new IllegalStateException("checksum mismatch on the message from " + Parties.name(peer) + " in round " + round);
        }
    }
}
