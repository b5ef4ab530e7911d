package securenn.transport;

import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.lang.foreign.Arena;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole transport suite again over UDP with every link encrypted, plus what encryption must refuse. */
class EncryptedUdpTransportTest extends AbstractTransportTest
{
    @Override
    protected TransportConfig config()
    {
        return TransportConfig.udpLoopback(TestPorts.base());
    }

    @Override
    protected void prepare(final LocalParties connected)
    {
        for (int p = 0; p < 3; p++)
        {
            for (int q = 0; q < 3; q++)
            {
                if (p != q)
                {
                    connected.party(p).secure(q, key(p, q), key(q, p));
                }
            }
        }
    }

    @Override
    protected int chunkPayload()
    {
        return super.chunkPayload() - ChunkCipher.TAG_BYTES;
    }

    static SecretKey key(final int sender, final int receiver)
    {
        final byte[] k = new byte[32];
        k[0] = (byte)sender;
        k[1] = (byte)receiver;
        k[31] = 0x5a;
        return new SecretKeySpec(k, "AES");
    }

    @Test
    void linksShouldReportThemselvesEncrypted()
    {
        assertThat(parties.party(0).link(1).isEncrypted()).isTrue();
        assertThat(parties.party(2).link(0).isEncrypted()).isTrue();
    }

    @Test
    void aChunkUnderAnotherKeyShouldFailAuthenticationNotDeliverData() throws Exception
    {
        parties.party(0).secure(1, key(9, 9), key(1, 0)); // P0 now seals for P1 with a key P1 does not expect
        final List<Throwable> failures = PartyThreads.runAll(parties, 30, party ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                if (party.self() == 0)
                {
                    party.link(1).send(5, pattern(arena, 5000, 0, 1, 5));
                }
                else if (party.self() == 1)
                {
                    party.link(0).receive(5, arena.allocate(5000));
                }
            }
        });
        assertThat(failures.get(1)).isInstanceOf(TransportException.class)
            .hasMessageContaining("P1 receive from P0 failed at step 5")
            .hasMessageContaining("chunk #0 failed authentication");
    }

    @Test
    void aPlaintextChunkOnAnEncryptedLinkShouldBeRefused() throws Exception
    {
        final List<Throwable> failures = PartyThreads.runAll(parties, 30, party ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                if (party.self() == 2)
                {
                    party.link(0).secure(null, ChunkCipher.opening(key(0, 2), 0, 2)); // P2 "forgets" to encrypt
                    party.link(0).send(6, pattern(arena, 100, 2, 0, 6));
                }
                else if (party.self() == 0)
                {
                    party.link(2).receive(6, arena.allocate(100));
                }
            }
        });
        assertThat(failures.get(0)).isInstanceOf(TransportException.class).hasMessageContaining("failed authentication");
    }
}
