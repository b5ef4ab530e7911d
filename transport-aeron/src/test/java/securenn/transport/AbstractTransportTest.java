package securenn.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One suite, run over every way three parties can be connected inside one JVM (IPC, UDP on loopback). */
abstract class AbstractTransportTest
{
    protected LocalParties parties;

    protected abstract TransportConfig config();

    @BeforeEach
    void start()
    {
        parties = LocalParties.start(config().messageTimeout(2, TimeUnit.SECONDS));
        prepare(parties);
    }

    /** Runs before each test on the connected parties (e.g. to secure the links). */
    protected void prepare(final LocalParties connected)
    {
    }

    /** Payload bytes of one chunk. */
    protected int chunkPayload()
    {
        return config().mtu() - 32 - MessageHeader.LENGTH;
    }

    @AfterEach
    void stop()
    {
        if (parties != null)
        {
            parties.close();
        }
    }

    @Test
    void everyPartyShouldExchangeWithBothOthersInOneRound() throws Exception
    {
        PartyThreads.run(parties, 30, party ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                for (int round = 0; round < 50; round++)
                {
                    for (int peer = 0; peer < 3; peer++)
                    {
                        if (peer != party.self())
                        {
                            party.link(peer).send(round, pattern(arena, 1000 + round, party.self(), peer, round));
                        }
                    }
                    for (int peer = 0; peer < 3; peer++)
                    {
                        if (peer != party.self())
                        {
                            final MemorySegment in = arena.allocate(1000 + round);
                            party.link(peer).receive(round, in);
                            assertThat(in.mismatch(pattern(arena, 1000 + round, peer, party.self(), round))).isEqualTo(-1);
                        }
                    }
                }
                assertThat(party.rounds()).isEqualTo(50);
                for (final LinkCounters c : party.counters())
                {
                    final long bytes = 50 * 1000 + 49 * 50 / 2;
                    assertThat(c.messagesSent()).isEqualTo(50);
                    assertThat(c.messagesReceived()).isEqualTo(50);
                    assertThat(c.bytesSent()).isEqualTo(bytes);
                    assertThat(c.bytesReceived()).isEqualTo(bytes);
                }
            }
        });
    }

    @Test
    void messagesAroundChunkBoundariesAndEmptyMessagesShouldArriveIntact() throws Exception
    {
        final int chunk = chunkPayload();
        final long[] sizes = {0, 1, 7, chunk - 1, chunk, chunk + 1, 2L * chunk, 3L * chunk + 5, 0, 1 << 20};
        PartyThreads.run(parties, 30, party ->
        {
            if (party.self() == 2)
            {
                return;
            }
            final Link link = party.link(1 - party.self());
            try (Arena arena = Arena.ofConfined())
            {
                for (int i = 0; i < sizes.length; i++)
                {
                    if (party.self() == 0)
                    {
                        link.send(100 + i, pattern(arena, sizes[i], 0, 1, i));
                    }
                    else
                    {
                        final MemorySegment in = arena.allocate(Math.max(1, sizes[i])).asSlice(0, sizes[i]);
                        link.receive(100 + i, in);
                        assertThat(in.mismatch(pattern(arena, sizes[i], 0, 1, i))).as("size %d", sizes[i]).isEqualTo(-1);
                    }
                }
            }
        });
    }

    /**
     * Both parties send 64 MiB to each other before either receives: the sends must keep draining the incoming link
     * or both would block on full windows.
     */
    @Test
    void largeTransfersInBothDirectionsAtOnceShouldNotDeadlockAndArriveIntact() throws Exception
    {
        final long size = 64L << 20;
        PartyThreads.run(parties, 120, party ->
        {
            if (party.self() == 2)
            {
                return;
            }
            final int peer = 1 - party.self();
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment out = random(arena, size, party.self());
                final MemorySegment in = arena.allocate(size);
                party.link(peer).send(1, out);
                party.link(peer).receive(1, in);
                assertThat(checksum(in)).isEqualTo(checksum(random(arena, size, peer)));
            }
        });
    }

    @Test
    void receiveExpectingAnotherStepShouldFailNamingBothSteps() throws Exception
    {
        final List<Throwable> failures = PartyThreads.runAll(parties, 30, party ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                if (party.self() == 0)
                {
                    party.link(1).send(8, arena.allocate(64));
                }
                else if (party.self() == 1)
                {
                    party.link(0).receive(7, arena.allocate(64));
                }
            }
        });
        assertThat(failures.get(1)).isInstanceOf(TransportException.class)
            .hasMessageContaining("P1 receive from P0 failed at step 7")
            .hasMessageContaining("expected message #0 of step 7 with 64 bytes")
            .hasMessageContaining("got message #0 of step 8");
    }

    @Test
    void receiveExpectingAnotherLengthShouldFail() throws Exception
    {
        final List<Throwable> failures = PartyThreads.runAll(parties, 30, party ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                if (party.self() == 2)
                {
                    party.link(0).send(3, arena.allocate(640));
                }
                else if (party.self() == 0)
                {
                    party.link(2).receive(3, arena.allocate(800));
                }
            }
        });
        assertThat(failures.get(0)).isInstanceOf(TransportException.class)
            .hasMessageContaining("with 800 bytes").hasMessageContaining("with 640 bytes");
    }

    @Test
    void receiveFromASilentPeerShouldFailWithinTheTimeout() throws Exception
    {
        final long start = System.nanoTime();
        final List<Throwable> failures = PartyThreads.runAll(parties, 30, party ->
        {
            if (party.self() == 0)
            {
                try (Arena arena = Arena.ofConfined())
                {
                    party.link(2).receive(42, arena.allocate(8));
                }
            }
        });
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(failures.get(0)).isInstanceOf(TransportException.class)
            .hasMessageContaining("P0 receive from P2 failed at step 42").hasMessageContaining("nothing arrived for 2000 ms");
        assertThat(elapsedMs).isBetween(1900L, 6000L);
    }

    @Test
    void shouldRefuseALinkToItself()
    {
        assertThatThrownBy(() -> parties.party(1).link(1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("P1 has no link to itself");
    }

    static MemorySegment pattern(final Arena arena, final long size, final int from, final int to, final int tag)
    {
        final MemorySegment s = arena.allocate(Math.max(1, size)).asSlice(0, size);
        for (long i = 0; i < size; i++)
        {
            s.set(ValueLayout.JAVA_BYTE, i, (byte)(i * 31 + from * 7 + to * 3 + tag));
        }
        return s;
    }

    static MemorySegment random(final Arena arena, final long size, final long seed)
    {
        final MemorySegment s = arena.allocate(size, 8);
        final SplittableRandom rnd = new SplittableRandom(seed);
        for (long i = 0; i < size / 8; i++)
        {
            s.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i, rnd.nextLong());
        }
        return s;
    }

    static long checksum(final MemorySegment s)
    {
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(s.asByteBuffer());
        return crc.getValue();
    }
}
