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

    /**
     * P0 sends P1 16 MiB while P1 waits before reading, and P2 sends P0 4 MiB meanwhile: P0 stages P2's chunks only up
     * to the bound, P2 is held back by flow control, and once P1 reads, everything arrives intact.
     */
    @Test
    void stagingShouldStopAtTheBoundAndResumeWhenThePartyReceives() throws Exception
    {
        try (LocalParties parties = LocalParties.start(config()))
        {
            PartyThreads.run(parties, 60, party ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    switch (party.self())
                    {
                        case 0 ->
                        {
                            party.link(1).send(1, AbstractTransportTest.random(arena, SIZE, 0));
                            final MemorySegment in = arena.allocate(SIZE / 4);
                            party.link(2).receive(2, in);
                            assertThat(AbstractTransportTest.checksum(in))
                                .isEqualTo(AbstractTransportTest.checksum(AbstractTransportTest.random(arena, SIZE / 4, 2)));
                        }
                        case 1 ->
                        {
                            Thread.sleep(1_500);
                            final MemorySegment in = arena.allocate(SIZE);
                            party.link(0).receive(1, in);
                            assertThat(AbstractTransportTest.checksum(in))
                                .isEqualTo(AbstractTransportTest.checksum(AbstractTransportTest.random(arena, SIZE, 0)));
                        }
                        default -> party.link(0).send(2, AbstractTransportTest.random(arena, SIZE / 4, 2));
                    }
                }
            });
            final long[] staging = parties.party(0).link(2).staging();
            assertThat(staging[0]).as("P0's most staged bytes from P2").isLessThanOrEqualTo(BOUND);
            assertThat(staging[1]).as("P2's fragments P0 left unstaged at the bound").isPositive();
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
            assertThat(failures.get(0)).isNotNull().hasMessageContaining("link blocked")
                .hasMessageContaining("TransportConfig.maxStagedBytes = " + BOUND);
            for (final int p : new int[]{0, 1})
            {
                final long[] staging = parties.party(p).link(1 - p).staging();
                assertThat(staging[0]).as("P%d's most staged bytes", p).isLessThanOrEqualTo(BOUND);
                assertThat(staging[1]).as("P%d's fragments left unstaged at the bound", p).isPositive();
            }
        }
    }
}
