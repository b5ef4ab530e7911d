package securenn.mpc;

import org.junit.jupiter.api.Test;
import securenn.kernels.Ring;
import securenn.kernels.ZpOps;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke tests of the invariant "no party sees a value it could learn the data from": what P2 receives in
 * PrivateCompare and ShareConvert, and what P0/P1 open in ComputeMSB and MatMul, must look the same whatever the
 * input. Chi-square tests at p = 0.001 with fixed seeds (deterministic, so they cannot flake).
 */
class PrivacySmokeTest extends ProtocolTestBase
{
    /** What P2 reconstructs in PrivateCompare has the same distribution for two very different inputs. */
    @Test
    void p2sViewOfPrivateCompareShouldNotDependOnTheInput()
    {
        final long[] a = p2PrivateCompareHistogram(5, 1000);
        final long[] b = p2PrivateCompareHistogram(1L << 40, 7);
        assertThat(chiSquareHomogeneity(a, b)).as("chi-square, %d degrees of freedom", Ring.P - 1)
            .isLessThan(107.3); // p = 0.001, 66 df
    }

    /** Each party's PrivateCompare message alone is uniform on Z_67: the common pad hides the individual shares. */
    @Test
    void eachPrivateCompareMessageP2ReceivesShouldBeUniform()
    {
        // constant input, and P0's bit shares all zero: without the pad P0's vector would be all zeros
        final List<byte[]> seen = p2PrivateCompareMessages(0, 0, true);
        assertThat(seen).hasSize(2);
        for (final byte[] message : seen)
        {
            final long[] hist = new long[Ring.P];
            for (final byte b : message)
            {
                hist[b]++;
            }
            final double expected = message.length / (double)Ring.P;
            double chi = 0;
            for (final long h : hist)
            {
                chi += (h - expected) * (h - expected) / expected;
            }
            assertThat(chi).as("chi-square of one party's message, 66 df").isLessThan(107.3);
        }
    }

    private long[] p2PrivateCompareHistogram(final long x, final long r)
    {
        final List<byte[]> seen = p2PrivateCompareMessages(x, r, false);
        final long[] hist = new long[Ring.P];
        for (int i = 0; i < seen.get(0).length; i++)
        {
            hist[ZpOps.add(seen.get(0)[i], seen.get(1)[i])]++;
        }
        return hist;
    }

    /** The two messages (from P0 and from P1) P2 receives in one PrivateCompare of 4,000 copies of (x, r). */
    private List<byte[]> p2PrivateCompareMessages(final long x, final long r, final boolean zeroSharesForP0)
    {
        final int n = 4000;
        final SplittableRandom rnd = new SplittableRandom(x ^ r);
        final MemorySegment bits0 = bytes(64L * n);
        final MemorySegment bits1 = bytes(64L * n);
        final MemorySegment rs = longs(n);
        final MemorySegment beta = bytes(n);
        for (int e = 0; e < n; e++)
        {
            rs.setAtIndex(Ring.LONG, e, r);
            beta.set(Ring.BYTE, e, (byte)rnd.nextInt(2));
            for (int i = 0; i < 64; i++)
            {
                final int s = zeroSharesForP0 ? 0 : rnd.nextInt(Ring.P);
                bits0.set(Ring.BYTE, e * 64L + i, (byte)s);
                bits1.set(Ring.BYTE, e * 64L + i, (byte)ZpOps.sub((int)((x >>> i) & 1), s));
            }
        }
        final List<byte[]> seen = tapP2(Step.PC_VECTOR);
        session.run(p ->
        {
            final boolean h = p.role().holdsShares();
            PrivateCompare.run(p, p.role() == Role.P0 ? bits0 : p.role() == Role.P1 ? bits1 : null, h ? rs : null,
                h ? beta : null, h ? null : bytes(n), n);
            return null;
        });
        return seen;
    }

    /** The masked values P2 receives in ShareConvert are uniform even for a constant input. */
    @Test
    void p2sViewOfShareConvertShouldBeUniform()
    {
        final int n = 20_000;
        final SharedInput zeros = SharedInput.of(arena, new long[n], new SplittableRandom(3));
        final List<byte[]> seen = tapP2(Step.SC_MASKED);
        session.run(p ->
        {
            ShareConvert.run(p, zeros.of(p), p.role().holdsShares() ? longs(n) : null, n);
            return null;
        });
        for (final byte[] message : seen)
        {
            assertThat(chiSquareTopByte(message)).as("chi-square of the top byte, 255 df").isLessThan(330.5);
        }
    }

    /** The value P0 and P1 open in ComputeMSB (2a + x) is uniform for a constant a. */
    @Test
    void openedValuesInComputeMsbAndMatMulShouldBeUniform()
    {
        final int n = 20_000;
        final List<byte[]> opened = new ArrayList<>();
        session.party(Role.P1).tap((from, step, data) ->
        {
            if (step == Step.MSB_OPEN || step == Step.MATMUL_OPEN)
            {
                opened.add(data.toArray(Ring.BYTE));
            }
        });
        final SharedInput ones = SharedInput.of(arena, filled(n, 1L << 13), new SplittableRandom(4));
        session.run(p ->
        {
            final boolean h = p.role().holdsShares();
            ComputeMsb.run(p, ones.of(p), h ? longs(n) : null, n);
            MatMul.hadamard(p, ones.of(p), ones.of(p), h ? longs(n) : null, n);
            return null;
        });
        assertThat(opened).hasSizeGreaterThanOrEqualTo(2);
        for (final byte[] message : opened)
        {
            assertThat(chiSquareTopByte(message)).as("chi-square of the top byte, 255 df").isLessThan(330.5);
        }
    }

    private static long[] filled(final int n, final long v)
    {
        final long[] out = new long[n];
        java.util.Arrays.fill(out, v);
        return out;
    }

    private List<byte[]> tapP2(final Step step)
    {
        final List<byte[]> seen = new ArrayList<>();
        session.party(Role.P2).tap((from, s, data) ->
        {
            if (s == step)
            {
                seen.add(data.toArray(Ring.BYTE));
            }
        });
        return seen;
    }

    /** Chi-square of the most significant byte of each little-endian long against uniform over 256 values. */
    private static double chiSquareTopByte(final byte[] longs)
    {
        final long[] hist = new long[256];
        for (int i = 7; i < longs.length; i += 8)
        {
            hist[longs[i] & 0xFF]++;
        }
        final double expected = longs.length / 8.0 / 256;
        double chi = 0;
        for (final long h : hist)
        {
            chi += (h - expected) * (h - expected) / expected;
        }
        return chi;
    }

    /** Two-sample chi-square test of homogeneity over the same bins. */
    private static double chiSquareHomogeneity(final long[] a, final long[] b)
    {
        long na = 0, nb = 0;
        for (int i = 0; i < a.length; i++)
        {
            na += a[i];
            nb += b[i];
        }
        double chi = 0;
        for (int i = 0; i < a.length; i++)
        {
            final double total = a[i] + b[i];
            if (total == 0)
            {
                continue;
            }
            final double ea = total * na / (na + nb);
            final double eb = total * nb / (na + nb);
            chi += (a[i] - ea) * (a[i] - ea) / ea + (b[i] - eb) * (b[i] - eb) / eb;
        }
        return chi;
    }
}
