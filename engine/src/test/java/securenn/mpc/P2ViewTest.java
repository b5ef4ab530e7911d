package securenn.mpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/**
 * View tests: P2's view is simulatable without the data. With P2's keys held fixed (k02, k12 and its private key, so
 * P2's randomness is the same in every run) and everything P2 does not know drawn fresh per run (k01, P0's and P1's
 * private keys, the split of the input into shares), each message P2 receives must have the same distribution for two
 * different inputs, and so must two combinations of P0's and P1's messages of one step: their sum (what P2 opens)
 * and their difference (their ratio, for PrivateCompare's Z_67 vectors). {@value ViewTestBase#RUNS} runs per input; the
 * statistics are {@link ViewTestBase}'s, shared with {@link P0P1ViewTest}.
 *
 * <p>Inputs reach the protocols through a Beaver product first: P2 dealt that product's masks, so it knows both
 * output shares as a function of the plaintext (Z_j = A_j·F + E·B_j + C_j with E, F determined by the plaintext and
 * masks P2 drew). A share split fresh by the data owner would hide a message that forwards a share unmasked; a
 * product's output share does not.
 *
 * <p>The test sees single words and these two combinations, not every joint dependence: it caught both leaks it was
 * tried on (P1's raw index share in the MaxPool derivative; PrivateCompare without its pad, through the ratio, in
 * the DReLU tests), but passing it is evidence, not a proof; the proofs are in the protocols' javadoc.
 */
class P2ViewTest extends ViewTestBase
{
    @Test
    void p2sViewOfTheMaxPoolDerivativeShouldNotDependOnTheArgmax()
    {
        assertMaxPoolDerivativeView(Role.P2, 31);
    }

    @ParameterizedTest
    @EnumSource(DRelu.Method.class)
    void p2sViewOfDReluShouldNotDependOnTheSign(final DRelu.Method method)
    {
        assertDReluView(Role.P2, method, 32);
    }

    @Test
    void p2sViewOfDivisionShouldNotDependOnTheQuotient()
    {
        assertDivisionView(Role.P2, 33);
    }

    /** Products and assisted truncation send P2 nothing: its view is empty whatever the data. */
    @Test
    void p2ShouldReceiveNothingInProductsAndTruncation()
    {
        final int n = 64;
        final long[] values = new long[n];
        java.util.Arrays.fill(values, 5L << 20);
        final SharedInput x = SharedInput.of(arena, values, new SplittableRandom(34));
        assertReceivesNothing(Role.P2, "products, truncation and selection", 34, p ->
        {
            final boolean h = p.role().holdsShares();
            final MemorySegment y = h ? longs(n) : null;
            MatMul.hadamard(p, x.of(p), x.of(p), y, n);
            MatMul.multiply(p, x.of(p), securenn.kernels.Transpose.NO, x.of(p), securenn.kernels.Transpose.NO,
                h ? longs(64) : null, 8, 8, 8);
            Truncation.assisted(p, y, h ? longs(n) : null, 20, n);
            Truncation.local(p, y, h ? longs(n) : null, 20, n);
            SelectShare.select(p, x.of(p), x.of(p), x.of(p), h ? longs(n) : null, n);
            return null;
        });
    }
}
