package securenn.mpc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import securenn.kernels.Transpose;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/**
 * View tests for P0 and P1: each one's view is simulatable from its own input share, without the data. With the
 * receiver's keys held fixed (P0: k01, k02 and its private key; P1: k01, k12 and its private key — so every mask it
 * draws, alone or with a peer, is the same in every run) and everything it does not know drawn fresh per run (the
 * third pairwise key, k12 for P0 and k02 for P1; the other two parties' private keys; the data owner's split of the
 * input, so that the receiver's input share is independent of the data), each slot of its view must have the same
 * distribution for two clearly different inputs: its input share (the output of the product below), each message it
 * receives, and each half of an opening it receives summed with and subtracted from its own half (the sum is the
 * value it opens). {@value ViewTestBase#RUNS} runs per input; the statistics, and what they cannot see, are
 * {@link ViewTestBase}'s, shared with {@link P2ViewTest}. Every test runs once with P0 and once with P1 receiving.
 *
 * <p>What they receive. P0 receives only P1's halves of openings (MATMUL_OPEN, TRUNC_OPEN, DRELU_OPEN, MSB_OPEN),
 * masked by k12 or P2's private stream; P2 sends P0 nothing (P0's dealt values come from k02). P1 receives P0's halves,
 * masked by k02, and everything P2 deals (MATMUL_TRIPLE, TRUNC_DEAL, SC_BITS, SC_DELTA, SC_ETA, MSB_RANDOM, MSB_BETA,
 * DRELU_BITS, DRELU_GAMMA, DMP_UNIT), masked by P0's share from k02. Each is therefore uniform on its ring, and so is
 * each opened sum. A message masked by randomness the receiver holds, or not masked, becomes a function of the data
 * once combined with what the receiver knows, and fails; where that function is deterministic given the receiver's
 * fixed keys, each word that differs between the inputs adds about 2·{@value ViewTestBase#RUNS} with one degree of
 * freedom. PrivateCompare sends P0 and P1 nothing; it runs inside the DReLU tests, where P1 receives the bit shares it
 * compares and the shares of its result.
 *
 * <p>Inputs reach the protocols through a Beaver product with the shared constant 1, as in {@link P2ViewTest}, but not
 * for P2ViewTest's reason: P0 and P1 do not hold each other's triple shares. P0's output share
 * Z_0 = (A_0 + E)·F + E·B_0 + C_0 is a function of its own keys and of E and F, which it opens and which are uniform
 * because P1's masks are fresh; so Z_0 says nothing about x, and Z_1 = x − Z_0 hides x as a fresh split would. A
 * fresh split alone would test the same thing. The product stays because one harness serves all three receivers,
 * because its own messages (the opening and, for P1, the triple correction) join the view, and because Z_0's low bits
 * are not uniform (E·F, a product of two uniform ring elements, is even 3 times in 4): a message forwarding the other
 * share x − Z_0 unmasked can then fail even alone, where with a fresh split x − X_0 would be uniform and only the
 * pair with the receiver's own half would show it.
 *
 * <p>Power: the test caught both leaks it was tried on, each reintroduced by hand and then removed. P1 sending its
 * DReLU opening half without its mask r_1 failed every test that runs DReLU (ONE_COMPARE) for P0, through the opened
 * sum (constant for each input); P2 masking P1's DMP_UNIT with k12, which P1 holds, instead of k02 failed P1's MaxPool
 * derivative test (the message constant for each input). Truncation.local sends nothing; the tests check that P0 and
 * P1 receive nothing in it.
 */
class P0P1ViewTest extends ViewTestBase
{
    private static final int N = 32;

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"P0", "P1"})
    void theViewOfAMatrixProductShouldNotDependOnTheFactors(final Role receiver)
    {
        final int side = 8;
        final int size = side * side;
        final long[] positive = new long[2 * size];
        final long[] negative = new long[2 * size];
        for (int i = 0; i < 2 * size; i++)
        {
            positive[i] = (i + 1) * 1_000L;
            negative[i] = -(i + 3) * (1L << 30) - i;
        }
        assertSameView(receiver, "MatMul.multiply", seed(40, receiver), positive, negative, (p, xy) ->
            MatMul.multiply(p, part(xy, 0, size), Transpose.NO, part(xy, size, size), Transpose.NO,
                p.role().holdsShares() ? longs(size) : null, side, side, side));
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"P0", "P1"})
    void theViewOfAnElementWiseProductShouldNotDependOnTheFactors(final Role receiver)
    {
        final long[][] inputs = signs(2 * N);
        System.arraycopy(inputs[0], N, inputs[1], N, N); // x positive and y positive against x negative, y positive
        assertSameView(receiver, "MatMul.hadamard", seed(41, receiver), inputs[0], inputs[1],
            (p, xy) -> MatMul.hadamard(p, part(xy, 0, N), part(xy, N, N), p.role().holdsShares() ? longs(N) : null, N));
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"P0", "P1"})
    void theViewOfAssistedTruncationShouldNotDependOnTheValue(final Role receiver)
    {
        final long[] positive = new long[N];
        final long[] negative = new long[N];
        for (int i = 0; i < N; i++)
        {
            positive[i] = (i + 1) * ((1L << 40) + 12_345L);
            negative[i] = -positive[i] - 7;
        }
        assertSameView(receiver, "Truncation.assisted", seed(42, receiver), positive, negative,
            (p, x) -> Truncation.assisted(p, x, p.role().holdsShares() ? longs(N) : null, 20, N));
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"P0", "P1"})
    void localTruncationShouldSendNothing(final Role receiver)
    {
        final SharedInput x = SharedInput.of(arena, signs(N)[1], new SplittableRandom(43));
        assertReceivesNothing(receiver, "Truncation.local", seed(43, receiver), p ->
        {
            Truncation.local(p, x.of(p), p.role().holdsShares() ? longs(N) : null, 20, N);
            return null;
        });
    }

    /** Input: the selection bits α, then x, then y; out = α ? y : x. */
    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"P0", "P1"})
    void theViewOfSelectShareShouldNotDependOnTheChoice(final Role receiver)
    {
        final long[] first = new long[3 * N];
        final long[] second = new long[3 * N];
        final long[][] values = signs(N);
        for (int i = 0; i < N; i++)
        {
            first[i] = 0;
            second[i] = 1;
            first[N + i] = second[2 * N + i] = values[0][i];
            first[2 * N + i] = second[N + i] = values[1][i] << 20;
        }
        assertSameView(receiver, "SelectShare", seed(44, receiver), first, second, (p, in) ->
            SelectShare.select(p, part(in, 0, N), part(in, N, N), part(in, 2 * N, N),
                p.role().holdsShares() ? longs(N) : null, N));
    }

    @ParameterizedTest
    @CsvSource({"P0, PAPER", "P0, ONE_COMPARE", "P1, PAPER", "P1, ONE_COMPARE"})
    void theViewOfDReluShouldNotDependOnTheSign(final Role receiver, final DRelu.Method method)
    {
        assertDReluView(receiver, method, seed(method == DRelu.Method.PAPER ? 45 : 46, receiver));
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"P0", "P1"})
    void theViewOfShareConvertShouldNotDependOnTheValue(final Role receiver)
    {
        final long[][] inputs = signs(N);
        assertSameView(receiver, "ShareConvert", seed(47, receiver), inputs[0], inputs[1],
            (p, x) -> ShareConvert.run(p, x, p.role().holdsShares() ? longs(N) : null, N));
    }

    /** ComputeMSB takes shares over Z_{L−1}: the input goes through ShareConvert first. */
    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"P0", "P1"})
    void theViewOfComputeMsbShouldNotDependOnTheSign(final Role receiver)
    {
        final long[][] inputs = signs(N);
        assertSameView(receiver, "ShareConvert then ComputeMSB", seed(48, receiver), inputs[0], inputs[1], (p, x) ->
        {
            final MemorySegment odd = p.role().holdsShares() ? longs(N) : null;
            ShareConvert.run(p, x, odd, N);
            ComputeMsb.run(p, odd, p.role().holdsShares() ? longs(N) : null, N);
        });
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"P0", "P1"})
    void theViewOfReluShouldNotDependOnTheSign(final Role receiver)
    {
        final long[][] inputs = signs(N);
        assertSameView(receiver, "ReLU", seed(49, receiver), inputs[0], inputs[1], (p, x) ->
        {
            final boolean h = p.role().holdsShares();
            Relu.run(p, x, h ? longs(N) : null, h ? longs(N) : null, N);
        });
    }

    /** MaxPool.max, without the index (the derivative's test runs MaxPool with it). */
    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"P0", "P1"})
    void theViewOfMaxPoolShouldNotDependOnTheArgmax(final Role receiver)
    {
        final int groups = 16;
        final int pool = 4;
        final long[][] inputs = windows(groups, pool);
        assertSameView(receiver, "MaxPool.max", seed(50, receiver), inputs[0], inputs[1],
            (p, x) -> MaxPool.max(p, x, p.role().holdsShares() ? longs(groups) : null, groups, pool));
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"P0", "P1"})
    void theViewOfTheMaxPoolDerivativeShouldNotDependOnTheArgmax(final Role receiver)
    {
        assertMaxPoolDerivativeView(receiver, seed(51, receiver));
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"P0", "P1"})
    void theViewOfDivisionShouldNotDependOnTheQuotient(final Role receiver)
    {
        assertDivisionView(receiver, seed(52, receiver));
    }

    /** A receiver seed per test and receiver. */
    private static long seed(final int test, final Role receiver)
    {
        return 10L * test + receiver.id();
    }
}
