package securenn.mpc;

import org.junit.jupiter.api.Test;
import securenn.kernels.Transpose;
import securenn.transport.LinkCounters;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Communication cost as a contract: bytes on every directed link and rounds (the Lamport depth of the longest
 * message chain) for each protocol on n elements, against the formulas documented on each protocol class and never
 * above the whitepaper's Tables 1 and 2 (ℓ = 64 bits, log p = 8 bits as we send one Z_67 value per byte).
 */
class CostContractTest extends ProtocolTestBase
{
    private static final int N = 1000;

    /** bytes[from][to] sent during the protocol, and its rounds. */
    record Cost(long[][] bytes, long rounds)
    {
        long link(final Role from, final Role to)
        {
            return bytes[from.id()][to.id()];
        }

        long total()
        {
            long t = 0;
            for (final long[] row : bytes)
            {
                for (final long b : row)
                {
                    t += b;
                }
            }
            return t;
        }
    }

    Cost measure(final LocalSession.Program<Object> program)
    {
        barrier();
        final long[][] before = snapshot();
        final long roundsBefore = maxRounds();
        session.run(program);
        final long[][] after = snapshot();
        final long[][] delta = new long[3][3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                delta[i][j] = after[i][j] - before[i][j];
            }
        }
        return new Cost(delta, maxRounds() - roundsBefore);
    }

    /** Every party sends one byte to each other and receives theirs: afterwards all round clocks are equal. */
    private void barrier()
    {
        session.run(p ->
        {
            final MemorySegment one = bytes(1);
            for (final Role r : Role.values())
            {
                if (r != p.role())
                {
                    p.send(r, Step.BARRIER, one);
                }
            }
            for (final Role r : Role.values())
            {
                if (r != p.role())
                {
                    p.receive(r, Step.BARRIER, bytes(1));
                }
            }
            return null;
        });
    }

    private long[][] snapshot()
    {
        final long[][] out = new long[3][3];
        for (final Role r : Role.values())
        {
            for (final LinkCounters c : session.party(r).transport().counters())
            {
                out[c.self()][c.peer()] = c.bytesSent();
            }
        }
        return out;
    }

    private long maxRounds()
    {
        long max = 0;
        for (final Role r : Role.values())
        {
            max = Math.max(max, session.party(r).transport().rounds());
        }
        return max;
    }

    private SharedInput input(final int n, final long bits)
    {
        final SplittableRandom rnd = new SplittableRandom(n + bits);
        final long[] v = new long[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = bits == 1 ? rnd.nextInt(2) : rnd.nextLong() >> (64 - bits);
        }
        return SharedInput.of(arena, v, rnd);
    }

    private static void assertLinks(final Cost c, final long p0p1, final long p1p0, final long p0p2, final long p1p2,
        final long p2p0, final long p2p1)
    {
        assertThat(c.link(Role.P0, Role.P1)).as("P0→P1 bytes").isEqualTo(p0p1);
        assertThat(c.link(Role.P1, Role.P0)).as("P1→P0 bytes").isEqualTo(p1p0);
        assertThat(c.link(Role.P0, Role.P2)).as("P0→P2 bytes").isEqualTo(p0p2);
        assertThat(c.link(Role.P1, Role.P2)).as("P1→P2 bytes").isEqualTo(p1p2);
        assertThat(c.link(Role.P2, Role.P0)).as("P2→P0 bytes").isEqualTo(p2p0);
        assertThat(c.link(Role.P2, Role.P1)).as("P2→P1 bytes").isEqualTo(p2p1);
    }

    @Test
    void matMulShouldSendTheMaskedOperandsAndOneCorrection()
    {
        final int m = 20, k = 30, n = 40;
        final SharedInput x = input(m * k, 40);
        final SharedInput y = input(k * n, 40);
        final Cost c = measure(p ->
        {
            MatMul.multiply(p, x.of(p), Transpose.NO, y.of(p), Transpose.NO, p.role().holdsShares() ? longs(m * n) : null, m, k, n);
            return null;
        });
        final long opened = 8L * (m * k + k * n);
        assertLinks(c, opened, opened, 0, 0, 0, 8L * m * n);
        assertThat(c.rounds()).isEqualTo(1);
        assertThat(c.total() * 8).as("≤ Table 1, MatMul with PRF: (2mn + 2nv + mv)ℓ bits")
            .isLessThanOrEqualTo((2L * m * k + 2L * k * n + (long)m * n) * 64);
    }

    @Test
    void factorsShouldBeOpenedOnceAndEachLaterProductCostOnlyItsCorrection()
    {
        final int m = 20, k = 30, n = 40;
        final SharedInput x = input(m * k, 40);
        final SharedInput y = input(k * n, 40);
        final Factor[][] factors = new Factor[3][];
        final Cost opening = measure(p ->
        {
            factors[p.role().id()] = MatMul.open(p, arena, new long[]{(long)m * k, (long)k * n}, x.of(p), y.of(p));
            return null;
        });
        assertLinks(opening, 8L * (m * k + k * n), 8L * (m * k + k * n), 0, 0, 0, 0);
        assertThat(opening.rounds()).isEqualTo(1);
        final Cost products = measure(p ->
        {
            final Factor[] f = factors[p.role().id()];
            final boolean h = p.role().holdsShares();
            MatMul.multiply(p, f[0], Transpose.NO, f[1], Transpose.NO, h ? longs(m * n) : null, m, k, n);
            MatMul.multiply(p, f[0], Transpose.YES, f[0], Transpose.NO, h ? longs(k * k) : null, k, m, k);
            return null;
        });
        assertLinks(products, 0, 0, 0, 0, 0, 8L * (m * n + k * k));
    }

    @Test
    void assistedTruncationShouldOpenOneMaskedValueAndDealTwoCorrections()
    {
        final SharedInput a = input(N, 50);
        final Cost c = measure(p ->
        {
            Truncation.assisted(p, a.of(p), p.role().holdsShares() ? longs(N) : null, 13, N);
            return null;
        });
        assertLinks(c, 8L * N, 8L * N, 0, 0, 0, 16L * N);
        assertThat(c.rounds()).isEqualTo(1);
    }

    @Test
    void selectShareShouldCostFiveRingElementsPerElement()
    {
        final SharedInput a = input(N, 1);
        final SharedInput x = input(N, 40);
        final SharedInput y = input(N, 40);
        final Cost c = measure(p ->
        {
            SelectShare.select(p, a.of(p), x.of(p), y.of(p), p.role().holdsShares() ? longs(N) : null, N);
            return null;
        });
        assertLinks(c, 16L * N, 16L * N, 0, 0, 0, 8L * N);
        assertThat(c.rounds()).isEqualTo(1).isLessThanOrEqualTo(2);
        assertThat(c.total()).as("Table 1: 5ℓ").isEqualTo(5L * 8 * N);
    }

    @Test
    void shareConvertComputeMsbAndDReluShouldMatchTheirFormulas()
    {
        useDRelu(DRelu.Method.PAPER);
        final SharedInput a = input(N, 50);
        final Cost sc = measure(p ->
        {
            ShareConvert.run(p, a.of(p), p.role().holdsShares() ? longs(N) : null, N);
            return null;
        });
        assertLinks(sc, 0, 0, 72L * N, 72L * N, 0, 80L * N);
        assertThat(sc.rounds()).isEqualTo(4);
        assertThat(sc.total() * 8).as("≤ Table 1: 4ℓ log p + 6ℓ").isLessThanOrEqualTo((4L * 64 * 8 + 6 * 64) * N);

        final Cost msb = measure(p ->
        {
            final MemorySegment in = p.role().holdsShares() ? longs(N) : null;
            ComputeMsb.run(p, in, p.role().holdsShares() ? longs(N) : null, N);
            return null;
        });
        assertLinks(msb, 24L * N, 24L * N, 64L * N, 64L * N, 0, 96L * N);
        assertThat(msb.rounds()).isEqualTo(5);
        assertThat(msb.total() * 8).as("≤ Table 1: 4ℓ log p + 13ℓ").isLessThanOrEqualTo((4L * 64 * 8 + 13 * 64) * N);

        final Cost drelu = measure(p ->
        {
            DRelu.run(p, a.of(p), p.role().holdsShares() ? longs(N) : null, N);
            return null;
        });
        assertLinks(drelu, 24L * N, 24L * N, 136L * N, 136L * N, 0, 176L * N);
        assertThat(drelu.rounds()).as("Table 2: 8 rounds").isEqualTo(8);
        assertThat(drelu.total()).isEqualTo(496L * N);
        assertThat(drelu.total() * 8).as("≤ Table 2: 8ℓ log p + 19ℓ").isLessThanOrEqualTo((8L * 64 * 8 + 19 * 64) * N);
    }

    @Test
    void oneCompareDReluShouldOpenOnceAndCompareOnce()
    {
        useDRelu(DRelu.Method.ONE_COMPARE);
        final SharedInput a = input(N, 64);
        final Cost drelu = measure(p ->
        {
            DRelu.run(p, a.of(p), p.role().holdsShares() ? longs(N) : null, N);
            return null;
        });
        assertLinks(drelu, 8L * N, 8L * N, 64L * N, 64L * N, 0, 72L * N);
        assertThat(drelu.rounds()).as("opening beside dealing, PrivateCompare, γ").isEqualTo(3);
        assertThat(drelu.total()).isEqualTo(216L * N);

        final Cost relu = measure(p ->
        {
            Relu.run(p, a.of(p), p.role().holdsShares() ? longs(N) : null, null, N);
            return null;
        });
        assertThat(relu.total()).as("DReLU + 5ℓ").isEqualTo(256L * N);
        assertThat(relu.rounds()).isEqualTo(4);
    }

    @Test
    void privateCompareShouldSendOneZ67ValuePerBitFromEachParty()
    {
        final MemorySegment bits = bytes(64L * N);
        final MemorySegment r = longs(N);
        final MemorySegment beta = bytes(N);
        final Cost c = measure(p ->
        {
            PrivateCompare.run(p, p.role().holdsShares() ? bits : null, p.role().holdsShares() ? r : null,
                p.role().holdsShares() ? beta : null, p.role().holdsShares() ? null : bytes(N), N);
            return null;
        });
        assertLinks(c, 0, 0, 64L * N, 64L * N, 0, 0);
        assertThat(c.rounds()).isEqualTo(1);
    }

    @Test
    void reluMaxPoolDerivativeAndDivisionShouldStayWithinTable2()
    {
        useDRelu(DRelu.Method.PAPER);
        final SharedInput a = input(N, 50);
        final Cost relu = measure(p ->
        {
            Relu.run(p, a.of(p), p.role().holdsShares() ? longs(N) : null, null, N);
            return null;
        });
        assertThat(relu.total()).as("DReLU + 5ℓ").isEqualTo(536L * N);
        assertThat(relu.rounds()).as("Table 2: DReLU 8 + ReLU 2").isLessThanOrEqualTo(10);

        final int pool = 4;
        final int groups = N / pool;
        final Cost mp = measure(p ->
        {
            final boolean h = p.role().holdsShares();
            MaxPool.run(p, a.of(p), h ? longs(groups) : null, h ? longs(groups) : null, groups, pool);
            return null;
        });
        assertThat(mp.total()).as("(n − 1) comparisons of DReLU + a selection of value and index, β opened once")
            .isEqualTo((496L + 64) * (pool - 1) * groups);
        assertThat(mp.total() * 8).as("≤ Table 2: (8ℓ log p + 29ℓ)(n − 1)")
            .isLessThanOrEqualTo((8L * 64 * 8 + 29 * 64) * (pool - 1) * groups);
        assertThat(mp.rounds()).as("⌈log2 n⌉ levels of DReLU + select, ≤ 9(n − 1)").isEqualTo(2 * 9).isLessThanOrEqualTo(9 * (pool - 1));

        final Cost values = measure(p ->
        {
            MaxPool.max(p, a.of(p), p.role().holdsShares() ? longs(groups) : null, groups, pool);
            return null;
        });
        assertThat(values.total()).as("without the index: (n − 1)·(DReLU + one selection)").isEqualTo((496L + 40) * (pool - 1) * groups);

        final SharedInput index = input(groups, 2);
        final Cost dmp = measure(p ->
        {
            MaxPoolDerivative.run(p, index.of(p), p.role().holdsShares() ? longs(N) : null, groups, pool);
            return null;
        });
        assertLinks(dmp, 0, 0, 8L * groups, 8L * groups, 0, 8L * pool * groups);
        assertThat(dmp.rounds()).isEqualTo(2);

        final int f = 4;
        final SharedInput x = input(N, 20);
        final SharedInput y = input(N, 20);
        final Cost div = measure(p ->
        {
            Division.run(p, x.of(p), y.of(p), p.role().holdsShares() ? longs(N) : null, f, N);
            return null;
        });
        assertThat(div.total()).as("per bit: DReLU + one product").isEqualTo(536L * f * N);
        assertThat(div.total() * 8).as("≤ Table 2: (8ℓ log p + 24ℓ)·f").isLessThanOrEqualTo((8L * 64 * 8 + 24 * 64) * f * N);
        assertThat(div.rounds()).as("≤ 10 f").isLessThanOrEqualTo(10L * f);
    }

    @Test
    void roundsShouldNotDependOnTheTensorSize()
    {
        final List<Integer> sizes = List.of(1, 100, 10_000);
        long first = -1;
        for (final int n : sizes)
        {
            final SharedInput a = input(n, 40);
            final long rounds = measure(p ->
            {
                Relu.run(p, a.of(p), p.role().holdsShares() ? longs(n) : null, null, n);
                return null;
            }).rounds();
            if (first < 0)
            {
                first = rounds;
            }
            assertThat(rounds).as("ReLU rounds for n=%d", n).isEqualTo(first);
        }
    }
}
