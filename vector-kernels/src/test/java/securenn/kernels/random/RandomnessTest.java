package securenn.kernels.random;

import org.junit.jupiter.api.Test;
import securenn.kernels.Ring;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RandomnessTest
{
    private static final byte[] KEY = HexFormat.of().parseHex("2b7e151628aed2a6abf7158809cf4f3c");

    /** The stream is AES_k(streamId ‖ counter) for counter = 0, 1, 2, …, checked against AES-ECB block by block. */
    @Test
    void streamShouldBeTheAesCounterModeKeystream() throws Exception
    {
        final long streamId = 0xf0f1f2f3f4f5f6f7L;
        final AesCtrPrg prg = new AesCtrPrg(KEY, streamId);
        final Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"));
        try (Arena arena = Arena.ofConfined())
        {
            final int blocks = 5000; // crosses the 64 KiB buffer boundary
            final MemorySegment out = arena.allocate(blocks * 16L);
            prg.fill(out.asSlice(0, 7));
            prg.fill(out.asSlice(7, blocks * 16L - 7));
            for (int b = 0; b < blocks; b++)
            {
                final byte[] expected = ecb.doFinal(ByteBuffer.allocate(16).putLong(streamId).putLong(b).array());
                assertThat(out.asSlice(b * 16L, 16).toArray(Ring.BYTE)).as("block %d", b).isEqualTo(expected);
            }
        }
    }

    @Test
    void sameKeyAndStreamShouldGiveTheSameBytesAndOtherStreamsDiffer()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment a = arena.allocate(1 << 20);
            final MemorySegment b = arena.allocate(1 << 20);
            final MemorySegment c = arena.allocate(1 << 20);
            new AesCtrPrg(KEY, 1).fill(a);
            final AesCtrPrg second = new AesCtrPrg(KEY, 1);
            for (long i = 0; i < (1 << 20) / 8; i++)
            {
                b.setAtIndex(Ring.LONG, i, second.nextLong());
            }
            new AesCtrPrg(KEY, 2).fill(c);
            assertThat(a.mismatch(b)).isEqualTo(-1);
            assertThat(a.mismatch(c)).isNotEqualTo(-1);
        }
    }

    @Test
    void zpSamplesShouldBeUniform()
    {
        final int n = 670_000;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(n);
            ZpSampler.uniform(new AesCtrPrg(KEY, 3), out, n);
            final long[] counts = new long[Ring.P];
            for (int i = 0; i < n; i++)
            {
                counts[out.get(Ring.BYTE, i)]++;
            }
            assertThat(chiSquare(counts, n)).as("chi-square, 66 degrees of freedom").isLessThan(107.3); // p = 0.001

            ZpSampler.uniformNonZero(new AesCtrPrg(KEY, 4), out, n);
            final long[] nz = new long[Ring.P - 1];
            for (int i = 0; i < n; i++)
            {
                final byte v = out.get(Ring.BYTE, i);
                assertThat(v).isBetween((byte)1, (byte)(Ring.P - 1));
                nz[v - 1]++;
            }
            assertThat(chiSquare(nz, n)).as("chi-square, 65 degrees of freedom").isLessThan(106.0);
        }
    }

    @Test
    void permutationsShouldBeValidAndUniform()
    {
        final int groups = 60_000;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(groups * 64L);
            Permutations.fill(new AesCtrPrg(KEY, 5), out, groups / 64, 64);
            for (int g = 0; g < groups / 64; g++)
            {
                long seen = 0;
                for (int i = 0; i < 64; i++)
                {
                    seen |= 1L << out.get(Ring.BYTE, g * 64L + i);
                }
                assertThat(seen).as("group %d is a permutation", g).isEqualTo(-1L);
            }
            Permutations.fill(new AesCtrPrg(KEY, 6), out, groups, 3);
            final long[] counts = new long[6];
            for (int g = 0; g < groups; g++)
            {
                final int a = out.get(Ring.BYTE, g * 3L), b = out.get(Ring.BYTE, g * 3L + 1);
                counts[a * 2 + (b > a ? b - 1 : b)]++;
            }
            assertThat(chiSquare(counts, groups)).as("chi-square over the 6 permutations of 3").isLessThan(20.5);
        }
    }

    @Test
    void shouldRejectBadKeys()
    {
        assertThatThrownBy(() -> new AesCtrPrg(new byte[15], 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("16, 24 or 32 bytes but was 15 bytes");
    }

    private static double chiSquare(final long[] counts, final long total)
    {
        final double expected = (double)total / counts.length;
        double sum = 0;
        for (final long c : counts)
        {
            sum += (c - expected) * (c - expected) / expected;
        }
        return sum;
    }
}
