package securenn.transport;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failure detector with each party on its own INVOKER driver, as in three processes: a party that computes for
 * longer than the message timeout without calling the transport stays alive to its peers (its keeper runs the
 * driver), a live peer that sends nothing fails the receive only after the stall timeout, naming it stuck, and a
 * party whose peer vanished fails whichever link it is waiting on. Timing-dependent by nature: the sleeps are
 * several times the timeouts they straddle, so a slow or loaded machine only makes them more conservative.
 */
class FailureDetectorTest
{
    private static final long MESSAGE_TIMEOUT_MS = 2_000;

    private static TransportConfig config()
    {
        return TransportConfig.udpLoopback(TestPorts.base()).messageTimeout(MESSAGE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void aPartyComputingForThreeMessageTimeoutsShouldNotLookDeadTimingDependent() throws Exception
    {
        try (SeparateDrivers parties = new SeparateDrivers(config()))
        {
            final List<Throwable> failures = parties.runAll(90, party ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    final MemorySegment m = arena.allocate(8);
                    if (party.self() == 0)
                    {
                        party.link(2).send(1, m);
                        party.link(1).send(1, m);
                        Thread.sleep(3 * MESSAGE_TIMEOUT_MS); // "a big GEMM": no transport call at all
                        m.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 77);
                        party.link(2).send(2, m);
                        party.link(1).send(2, m);
                    }
                    else if (party.self() != 0)
                    {
                        party.link(0).receive(1, m);
                        party.link(0).receive(2, m);
                        assertThat(m.get(ValueLayout.JAVA_LONG_UNALIGNED, 0)).isEqualTo(77);
                    }
                }
            });
            assertThat(failures).as("no party failed").containsOnlyNulls();
        }
    }

    @Test
    void aLivePeerThatSendsNothingShouldFailTheReceiveAfterTheStallTimeoutNamingItStuckTimingDependent() throws Exception
    {
        try (SeparateDrivers parties = new SeparateDrivers(config().stallTimeout(4, TimeUnit.SECONDS)))
        {
            final long start = System.nanoTime();
            final List<Throwable> failures = parties.runAll(90, party ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    final MemorySegment m = arena.allocate(8);
                    if (party.self() == 2)
                    {
                        party.link(0).send(1, m);
                        Thread.sleep(7_000); // alive (its keeper runs the driver), but never sends step 2
                    }
                    else if (party.self() == 0)
                    {
                        party.link(2).receive(1, m);
                        party.link(2).receive(2, m);
                    }
                }
            });
            final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(failures.get(0)).isInstanceOf(TransportException.class)
                .hasMessageContaining("P0 receive from P2 failed at step 2")
                .hasMessageContaining("nothing arrived for 4000 ms")
                .hasMessageContaining("stuck, not dead");
            assertThat(ms).isGreaterThanOrEqualTo(4_000);
        }
    }

    @Test
    void aPartyWaitingOnOnePeerShouldFailWhenTheOtherIsLostTimingDependent() throws Exception
    {
        try (SeparateDrivers parties = new SeparateDrivers(config()))
        {
            final long[] lostAt = new long[1];
            final long[] failedAt = new long[1];
            final List<Throwable> failures = parties.runAll(90, party ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    final MemorySegment m = arena.allocate(8);
                    if (party.self() == 2)
                    {
                        party.link(1).send(1, m);
                        party.link(1).receive(1, m); // both directions pinned
                        lostAt[0] = System.nanoTime();
                        party.vanishForTests(); // like SIGKILL: its driver stops, no end of stream is sent
                    }
                    else if (party.self() == 1)
                    {
                        party.link(2).receive(1, m);
                        party.link(2).send(1, m);
                        party.link(0).send(1, m);
                        party.link(0).receive(1, m);
                        try
                        {
                            party.link(0).receive(2, m); // P0 is alive and silent; P2 is the one that dies
                        }
                        finally
                        {
                            failedAt[0] = System.nanoTime();
                        }
                    }
                    else
                    {
                        party.link(1).receive(1, m);
                        party.link(1).send(1, m);
                        Thread.sleep(4 * MESSAGE_TIMEOUT_MS);
                    }
                }
            });
            assertThat(failures.get(1)).isInstanceOf(TransportException.class)
                .hasMessageContaining("P1 receive from P0 failed at step 2")
                .hasMessageContaining("P2 lost");
            assertThat(TimeUnit.NANOSECONDS.toMillis(failedAt[0] - lostAt[0])).as("detected within the message timeout + slack")
                .isLessThan(MESSAGE_TIMEOUT_MS + 2_000);
        }
    }
}
