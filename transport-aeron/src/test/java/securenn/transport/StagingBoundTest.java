package securenn.transport;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A link's staging buffer (chunks polled while its party sends) is bounded: at the bound the link stops polling and
 * flow control holds the sender back, so no stream — lawful or injected — grows a party's memory without limit.
 */
class StagingBoundTest
{
    private static final long BOUND = 1L << 20;
    private static final long SIZE = 16L << 20;

    private static TransportConfig config()
    {
        return TransportConfig.udpLoopback(TestPorts.base()).messageTimeout(2, TimeUnit.SECONDS)
            .stallTimeout(4, TimeUnit.SECONDS).maxStagedBytes(BOUND);
    }

    @Test
    void aTransferInOneDirectionShouldArriveWhateverTheBound() throws Exception
    {
        try (LocalParties parties = LocalParties.start(config()))
        {
            PartyThreads.run(parties, 60, party ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    if (party.self() == 0)
                    {
                        party.link(1).send(1, AbstractTransportTest.random(arena, SIZE, 0));
                        party.link(1).receive(2, arena.allocate(8));
                    }
                    else if (party.self() == 1)
                    {
                        final MemorySegment in = arena.allocate(SIZE);
                        party.link(0).receive(1, in);
                        assertThat(AbstractTransportTest.checksum(in))
                            .isEqualTo(AbstractTransportTest.checksum(AbstractTransportTest.random(arena, SIZE, 0)));
                        party.link(0).send(2, arena.allocate(8));
                    }
                }
            });
        }
    }

    /**
     * Both send 16 MiB before either receives, so each must stage the other's stream while it sends: with a 1 MiB
     * bound neither can, and the exchange ends in the stall timeout's named error instead of unbounded staging.
     */
    @Test
    void stagingShouldStopAtTheBoundAndABlockedExchangeShouldFailNamingIt() throws Exception
    {
        try (LocalParties parties = LocalParties.start(config()))
        {
            final List<Throwable> failures = PartyThreads.runAll(parties, 60, party ->
            {
                if (party.self() == 2)
                {
                    return;
                }
                final int peer = 1 - party.self();
                try (Arena arena = Arena.ofConfined())
                {
                    party.link(peer).send(1, AbstractTransportTest.random(arena, SIZE, party.self()));
                    party.link(peer).receive(1, arena.allocate(SIZE));
                }
            });
            assertThat(failures.get(0)).isNotNull().hasMessageContaining("link blocked");
            for (final int p : new int[]{0, 1})
            {
                final long[] staging = parties.party(p).link(1 - p).staging();
                assertThat(staging[0]).as("P%d's most staged bytes", p).isLessThanOrEqualTo(BOUND);
                assertThat(staging[1]).as("P%d's fragments left unstaged at the bound", p).isPositive();
            }
        }
    }
}
