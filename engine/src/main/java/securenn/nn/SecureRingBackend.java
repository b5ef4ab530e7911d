package securenn.nn;

import securenn.kernels.Kernels;
import securenn.kernels.Transpose;
import securenn.mpc.Division;
import securenn.mpc.Factor;
import securenn.mpc.LinearMap;
import securenn.mpc.MatMul;
import securenn.mpc.MaxPool;
import securenn.mpc.MaxPoolDerivative;
import securenn.mpc.Party;
import securenn.mpc.Relu;
import securenn.mpc.Truncation;

import java.lang.foreign.MemorySegment;

/**
 * The network's operations as SecureNN protocols run by one party (P2 passes nulls and only assists). Inference
 * truncates locally (Algorithm 11, free, failure probability ≈ |x|/2^63 per value); training needs
 * {@link Truncation#assisted}, because thousands of steps over gradient products make a local failure certain.
 */
public final class SecureRingBackend implements RingBackend
{
    private final Party party;
    private final Truncation.Mode truncation;

    public SecureRingBackend(final Party party, final Truncation.Mode truncation)
    {
        this.party = party;
        this.truncation = truncation;
    }

    /** Local truncation: for inference. */
    public static SecureRingBackend forInference(final Party party)
    {
        return new SecureRingBackend(party, Truncation.Mode.LOCAL);
    }

    /** P2-assisted truncation: for training. */
    public static SecureRingBackend forTraining(final Party party)
    {
        return new SecureRingBackend(party, Truncation.Mode.ASSISTED);
    }

    @Override
    public java.lang.foreign.Arena scratch()
    {
        return party.scratch();
    }

    @Override
    public boolean holdsData()
    {
        return party.role().holdsShares();
    }

    @Override
    public Kernels kernels()
    {
        return party.kernels();
    }

    @Override
    public Factor[] open(final java.lang.foreign.Arena arena, final long[] sizes, final MemorySegment... values)
    {
        return MatMul.open(party, arena, sizes, values);
    }

    @Override
    public void matmul(final Factor a, final Transpose ta, final Factor b, final Transpose tb, final MemorySegment c,
        final int m, final int k, final int n, final LinearMap post)
    {
        MatMul.multiply(party, a, ta, b, tb, c, m, k, n, post);
    }

    @Override
    public void truncate(final MemorySegment x, final int f, final long n)
    {
        switch (truncation)
        {
            case LOCAL -> Truncation.local(party, x, x, f, n);
            case ASSISTED -> Truncation.assisted(party, x, x, f, n);
        }
    }

    @Override
    public void relu(final MemorySegment x, final MemorySegment out, final long n)
    {
        Relu.run(party, x, out, null, n);
    }

    @Override
    public void maxPool(final MemorySegment windows, final MemorySegment out, final long groups, final int size)
    {
        MaxPool.max(party, windows, out, groups, size);
    }

    @Override
    public void maxPool(final MemorySegment windows, final MemorySegment out, final MemorySegment index, final long groups,
        final int size)
    {
        MaxPool.run(party, windows, out, index, groups, size);
    }

    @Override
    public void maxPoolDerivative(final MemorySegment index, final MemorySegment out, final long groups, final int size)
    {
        MaxPoolDerivative.run(party, index, out, groups, size);
    }

    @Override
    public void relu(final MemorySegment x, final MemorySegment out, final MemorySegment derivative, final long n)
    {
        Relu.run(party, x, out, derivative, n);
    }

    @Override
    public void addConstant(final MemorySegment x, final long constant, final long n)
    {
        if (party.role() == securenn.mpc.Role.P0)
        {
            party.kernels().ring().addScalar(x, constant, x, n);
        }
    }

    @Override
    public void hadamard(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        MatMul.hadamard(party, a, b, out, n);
    }

    @Override
    public void divide(final MemorySegment x, final MemorySegment y, final MemorySegment out, final int f, final long n)
    {
        Division.run(party, x, y, out, f, n);
    }
}
