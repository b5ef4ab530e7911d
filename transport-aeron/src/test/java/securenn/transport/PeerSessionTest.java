package securenn.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A link belongs to one session of its peer. A peer that restarts its session on the same address and stream id
 * appears as a second Aeron image on the old subscription; its frames must never be delivered into the old session,
 * and the old session must end with a failure that says the peer left — not a forgery, not a header mismatch, not a
 * hang. Frames of an earlier session must not disturb a new link either.
 */
class PeerSessionTest
{
    private static final int STEP_OF_THE_NEXT_HELLO = 7;

    @Test
    void aStreamFromThePeersNextSessionShouldEndTheOldLinkNamingThePeerAsLeft() throws Exception
    {
        final TransportConfig config = TransportConfig.udpLoopback(TestPorts.base()).messageTimeout(2, TimeUnit.SECONDS);
        try (LocalParties parties = LocalParties.start(config);
             NextSession next = new NextSession(config, 2, 1))
        {
            final List<Throwable> failures = PartyThreads.runAll(parties, 60, party ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    if (party.self() == 2)
                    {
                        party.link(1).send(100, arena.allocate(8)); // pins P1's link to this session of P2
                        Thread.sleep(1_500); // meanwhile P2's next session starts talking to P1
                        party.link(1).send(101, arena.allocate(8)); // the old session's stream is still alive
                    }
                    else if (party.self() == 1)
                    {
                        party.link(2).receive(100, arena.allocate(8));
                        next.startAndSendItsFirstMessage(); // P2 "restarts": its next session's HELLO reaches P1
                        party.link(2).receive(101, arena.allocate(8));
                    }
                }
            });
            assertThat(failures.get(1)).as("P1's receive after P2's next session appeared").isInstanceOf(TransportException.class)
                .hasMessageContaining("P1 receive from P2 failed at step 101")
                .hasMessageContaining("P2 left this session");
        }
    }

    @Test
    void aLinkShouldDropFramesOfThePeersEarlierSessionAndPinItsFirstMessage() throws Exception
    {
        final TransportConfig config = TransportConfig.udpLoopback(TestPorts.base()).messageTimeout(2, TimeUnit.SECONDS);
        try (LocalParties parties = LocalParties.start(config);
             NextSession earlier = new NextSession(config, 2, 1))
        {
            // an older session of P2 is still sending mid-stream chunks (message #5) to P1's address
            earlier.start();
            earlier.send(42, 5, 8);
            // P1 polls until the stale chunk has reached it and been dropped, before P2's current session sends: in
            // one poll of both images Aeron's round robin may otherwise take the current session's first chunk first,
            // and a stale chunk after the pin is a foreign one ("P2 left this session"), not a dropped one
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (parties.party(1).link(2).stream().staleDropped() == 0 && System.nanoTime() - deadline < 0)
            {
                parties.party(1).pump();
                Thread.sleep(1);
            }
            PartyThreads.run(parties, 60, party ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    if (party.self() == 2)
                    {
                        final MemorySegment data = arena.allocate(8);
                        data.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0, 0x1234_5678L);
                        party.link(1).send(42, data);
                    }
                    else if (party.self() == 1)
                    {
                        final MemorySegment in = arena.allocate(8);
                        party.link(2).receive(42, in);
                        assertThat(in.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0)).isEqualTo(0x1234_5678L);
                    }
                }
            });
            assertThat(parties.party(1).link(2).stream().staleDropped()).as("the earlier session's chunk was dropped")
                .isGreaterThanOrEqualTo(1);
        }
    }

    /**
     * Another session of party {@code from} on a driver of its own: a fresh exclusive publication to {@code to}'s
     * address on {@code from}'s stream id, as a restarted party creates it.
     */
    private static final class NextSession implements AutoCloseable
    {
        private final TransportConfig config;
        private final int from;
        private final int to;
        private EmbeddedDriver driver;
        private Aeron aeron;
        private ExclusivePublication publication;

        NextSession(final TransportConfig config, final int from, final int to)
        {
            this.config = config;
            this.from = from;
            this.to = to;
        }

        void start() throws InterruptedException
        {
            final TransportConfig own = TransportConfig.udpLoopback(TestPorts.base()).messageTimeout(2, TimeUnit.SECONDS)
                .threadingMode(ThreadingMode.SHARED);
            driver = EmbeddedDriver.startShared(own);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.directory()));
            publication = aeron.addExclusivePublication("aeron:udp?endpoint=" + config.endpoint(to) + "|mtu=" + config.mtu()
                + "|term-length=" + config.termLength(), config.streamBase() + from);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!publication.isConnected())
            {
                assertThat(System.nanoTime()).as("the next session's publication never connected").isLessThan(deadline);
                Thread.sleep(10);
            }
        }

        void startAndSendItsFirstMessage() throws InterruptedException
        {
            start();
            send(STEP_OF_THE_NEXT_HELLO, 0, 96);
        }

        /** One chunk holding all of message #{@code sequence} of {@code step}, {@code bytes} long. */
        void send(final int step, final int sequence, final int bytes) throws InterruptedException
        {
            final ByteBuffer chunk = ByteBuffer.allocateDirect(MessageHeader.LENGTH + bytes).order(ByteOrder.LITTLE_ENDIAN);
            chunk.putInt(MessageHeader.STEP_OFFSET, step).putInt(MessageHeader.SEQUENCE_OFFSET, sequence)
                .putLong(MessageHeader.LENGTH_OFFSET, bytes).putLong(MessageHeader.CHUNK_OFFSET_OFFSET, 0)
                .putInt(MessageHeader.DEPTH_OFFSET, 1);
            final UnsafeBuffer buffer = new UnsafeBuffer(chunk);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (publication.offer(buffer, 0, chunk.capacity()) < 0)
            {
                assertThat(System.nanoTime()).as("the next session could not send").isLessThan(deadline);
                Thread.sleep(1);
            }
        }

        @Override
        public void close()
        {
            if (aeron != null)
            {
                aeron.close();
            }
            if (driver != null)
            {
                driver.close();
            }
        }
    }
}
