package securenn.transport;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-chunk AES-GCM: a round trip works, and every change to the stream of chunks is refused. */
class ChunkCipherTest
{
    private final Arena arena = Arena.ofAuto();

    private MemorySegment[] sealChunks(final int count)
    {
        return sealChunks(count, ChunkCipher.sealing(EncryptedUdpTransportTest.key(0, 1), 0, 1));
    }

    private MemorySegment[] sealChunks(final int count, final ChunkCipher sealer)
    {
        final MemorySegment[] out = new MemorySegment[count];
        for (int i = 0; i < count; i++)
        {
            final MemorySegment header = header(i);
            final MemorySegment plain = AbstractTransportTest.pattern(arena, 1000, 0, 1, i);
            final MemorySegment sealed = arena.allocate(1000 + ChunkCipher.TAG_BYTES);
            sealer.seal(header, plain, sealed);
            assertThat(sealed.asSlice(0, 1000).mismatch(plain)).as("ciphertext differs from plaintext").isNotEqualTo(-1);
            out[i] = sealed;
        }
        return out;
    }

    private MemorySegment header(final int i)
    {
        final MemorySegment h = arena.allocate(MessageHeader.LENGTH);
        h.set(ValueLayout.JAVA_INT_UNALIGNED, MessageHeader.SEQUENCE_OFFSET, i);
        return h;
    }

    private static ChunkCipher opener()
    {
        return ChunkCipher.opening(EncryptedUdpTransportTest.key(0, 1), 0, 1);
    }

    @Test
    void chunksInOrderShouldOpenToTheirPlaintext()
    {
        final MemorySegment[] sealed = sealChunks(3);
        final ChunkCipher opener = opener();
        for (int i = 0; i < 3; i++)
        {
            final MemorySegment out = arena.allocate(1000);
            assertThat(opener.open(header(i), sealed[i], out)).isTrue();
            assertThat(out.mismatch(AbstractTransportTest.pattern(arena, 1000, 0, 1, i))).isEqualTo(-1);
        }
    }

    @Test
    void chunksOfChangingSizesShouldOpenToTheirPlaintextAndMatchAStandardGcm() throws Exception
    {
        final int[] sizes = {1000, 70_000, 10, 0, 65_504, 1};
        final ChunkCipher sealer = ChunkCipher.sealing(EncryptedUdpTransportTest.key(2, 1), 2, 1);
        final ChunkCipher opener = ChunkCipher.opening(EncryptedUdpTransportTest.key(2, 1), 2, 1);
        for (int i = 0; i < sizes.length; i++)
        {
            final MemorySegment plain = AbstractTransportTest.pattern(arena, sizes[i], 2, 1, i);
            final MemorySegment sealed = arena.allocate(sizes[i] + ChunkCipher.TAG_BYTES);
            sealer.seal(header(i), plain, sealed);
            // the same chunk by the JDK's AES-GCM on direct buffers, with this chunk's nonce (sender, receiver, 0, 0, the
            // chunk's position little-endian)
            final byte[] nonce = new byte[12];
            nonce[0] = 2;
            nonce[1] = 1;
            for (int k = 0; k < 8; k++)
            {
                nonce[4 + k] = (byte)((long)i >>> (8 * k));
            }
            final javax.crypto.Cipher gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(javax.crypto.Cipher.ENCRYPT_MODE, EncryptedUdpTransportTest.key(2, 1),
                new javax.crypto.spec.GCMParameterSpec(128, nonce));
            gcm.updateAAD(header(i).asByteBuffer());
            final MemorySegment reference = arena.allocate(sizes[i] + ChunkCipher.TAG_BYTES);
            gcm.doFinal(plain.asByteBuffer(), reference.asByteBuffer());
            assertThat(sealed.mismatch(reference)).as("chunk %d of %d bytes against AES-GCM", i, sizes[i]).isEqualTo(-1);
            final MemorySegment out = arena.allocate(sizes[i]);
            assertThat(opener.open(header(i), sealed, out)).as("chunk %d of %d bytes", i, sizes[i]).isTrue();
            assertThat(out.mismatch(plain)).isEqualTo(-1);
        }
    }

    @Test
    void aChunkWithABadTagShouldLeaveTheOutputUntouched()
    {
        final MemorySegment[] sealed = sealChunks(1);
        final long last = sealed[0].byteSize() - 1;
        sealed[0].set(ValueLayout.JAVA_BYTE, last, (byte)(sealed[0].get(ValueLayout.JAVA_BYTE, last) ^ 1));
        final MemorySegment out = arena.allocate(1000).fill((byte)0x55);
        assertThat(opener().open(header(0), sealed[0], out)).isFalse();
        for (long b = 0; b < out.byteSize(); b++)
        {
            assertThat(out.get(ValueLayout.JAVA_BYTE, b)).as("byte %d", b).isEqualTo((byte)0x55);
        }
    }

    @Test
    void aReplayedChunkShouldFail()
    {
        final MemorySegment[] sealed = sealChunks(2);
        final ChunkCipher opener = opener();
        assertThat(opener.open(header(0), sealed[0], arena.allocate(1000))).isTrue();
        assertThat(opener.open(header(0), sealed[0], arena.allocate(1000))).isFalse();
    }

    @Test
    void reorderedOrDroppedChunksShouldFail()
    {
        final MemorySegment[] sealed = sealChunks(3);
        assertThat(opener().open(header(1), sealed[1], arena.allocate(1000))).as("chunk 1 first").isFalse();
        final ChunkCipher opener = opener();
        assertThat(opener.open(header(0), sealed[0], arena.allocate(1000))).isTrue();
        assertThat(opener.open(header(2), sealed[2], arena.allocate(1000))).as("chunk 1 dropped").isFalse();
    }

    @Test
    void anyFlippedBitInHeaderCiphertextOrTagShouldFail()
    {
        final MemorySegment[] sealed = sealChunks(1);
        for (final long at : new long[] {0, 500, 999, 1000, 1015})
        {
            final MemorySegment copy = arena.allocate(sealed[0].byteSize());
            copy.copyFrom(sealed[0]);
            copy.set(ValueLayout.JAVA_BYTE, at, (byte)(copy.get(ValueLayout.JAVA_BYTE, at) ^ 4));
            assertThat(opener().open(header(0), copy, arena.allocate(1000))).as("bit flipped at %d", at).isFalse();
        }
        final MemorySegment header = header(0);
        header.set(ValueLayout.JAVA_INT_UNALIGNED, MessageHeader.STEP_OFFSET, 1);
        assertThat(opener().open(header, sealed[0], arena.allocate(1000))).as("header changed").isFalse();
    }

    @Test
    void theOtherDirectionsKeyStreamShouldNotOpenIt()
    {
        final MemorySegment[] sealed = sealChunks(1);
        final ChunkCipher reverse = ChunkCipher.opening(EncryptedUdpTransportTest.key(0, 1), 1, 0); // same key, other label
        assertThat(reverse.open(header(0), sealed[0], arena.allocate(1000))).isFalse();
    }

    @Test
    void bothEndsShouldReplaceTheKeyAtTheSameChunk()
    {
        final MemorySegment[] sealed = sealChunks(7, ChunkCipher.sealing(EncryptedUdpTransportTest.key(0, 1), 0, 1, 3));
        final ChunkCipher opener = ChunkCipher.opening(EncryptedUdpTransportTest.key(0, 1), 0, 1, 3);
        for (int i = 0; i < 7; i++)
        {
            final MemorySegment out = arena.allocate(1000);
            assertThat(opener.open(header(i), sealed[i], out)).as("chunk %d", i).isTrue();
            assertThat(out.mismatch(AbstractTransportTest.pattern(arena, 1000, 0, 1, i))).isEqualTo(-1);
        }
        assertThat(opener.rekeys()).isEqualTo(2);
        final ChunkCipher neverRekeys = opener();
        for (int i = 0; i < 3; i++)
        {
            assertThat(neverRekeys.open(header(i), sealed[i], arena.allocate(1000))).as("chunk %d, first key", i).isTrue();
        }
        assertThat(neverRekeys.open(header(3), sealed[3], arena.allocate(1000)))
            .as("chunk 3 is sealed under the second key").isFalse();
    }
}
