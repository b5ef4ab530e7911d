package securenn.api;

import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.mpc.SecretSplitter;
import securenn.mpc.Shares;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One party's additive share of a tensor over Z_2^64: P0's and P1's shares of the same tensor add up, element by
 * element mod 2^64, to its values in the fixed-point {@link #encoding()}. A share alone is uniformly random: it says
 * nothing about the values. The share lives off-heap (an automatic arena: freed when unreachable); the constructor
 * copies the segment it is given, so a tensor never changes and any thread may read it (a split or an inference briefly
 * holds its shares twice).
 *
 * @param party    P0 or P1, whose share this is
 * @param shape    the tensor's shape, the first dimension the batch (public: every party knows it)
 * @param encoding the fixed-point encoding of the values (public)
 * @param share    the share, one ring element (a long) per value in row-major order; read-only
 */
public record SharedTensor(Role party, int[] shape, FixedPoint encoding, MemorySegment share)
{
    public SharedTensor
    {
        if (party == null || shape == null || encoding == null || share == null)
        {
            throw new IllegalArgumentException("a shared tensor needs a party, a shape, an encoding and a share; got party "
                + party + ", shape " + (shape == null ? null : Arrays.toString(shape)) + ", encoding " + encoding
                + (share == null ? ", no share" : ""));
        }
        if (!party.holdsShares())
        {
            throw new IllegalArgumentException("only P0 and P1 hold shares, not " + party);
        }
        shape = Tensor.checkedShape(shape);
        final long size = Tensor.elements(shape);
        if (size > Long.MAX_VALUE / Long.BYTES || share.byteSize() != size * Long.BYTES)
        {
            throw new IllegalArgumentException("a share of shape " + Arrays.toString(shape) + " holds " + size
                + " ring elements but the segment holds " + share.byteSize() / Long.BYTES);
        }
        // a copy of our own: whoever built the segment cannot change the tensor afterwards, and any thread may read it
        final MemorySegment own = Arena.ofAuto().allocate(share.byteSize(), 64);
        own.copyFrom(share);
        share = own.asReadOnly();
    }

    /**
     * The client's first step: encodes {@code values} in {@code encoding} and splits them into P0's and P1's shares
     * with fresh randomness ({@link SecretSplitter#fresh}). Fails naming the element that cannot be encoded (NaN, ±∞,
     * out of range).
     */
    public static SharedTensor[] split(final Tensor values, final FixedPoint encoding)
    {
        return split(values, encoding, SecretSplitter.fresh());
    }

    /**
     * {@link #split(Tensor, FixedPoint)} with the masks drawn from {@code splitter}: for this package's tests, which
     * replay a split with a seeded one; not public, so that every split a user makes is fresh.
     */
    static SharedTensor[] split(final Tensor values, final FixedPoint encoding, final SecretSplitter splitter)
    {
        final double[] v = values.values();
        final MemorySegment s0 = Arena.ofAuto().allocate(8L * v.length, 64);
        final MemorySegment s1 = Arena.ofAuto().allocate(8L * v.length, 64);
        for (int i = 0; i < v.length; i++)
        {
            try
            {
                s1.setAtIndex(Ring.LONG, i, encoding.encode(v[i]));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("tensor " + values + ", element " + i + ": " + ex.getMessage(), ex);
            }
        }
        Shares.split(s1, s0, s1, v.length, splitter);
        return new SharedTensor[]{new SharedTensor(Role.P0, values.shape(), encoding, s0),
            new SharedTensor(Role.P1, values.shape(), encoding, s1)};
    }

    /** The client's last step: adds P0's and P1's shares and decodes the values. */
    public static Tensor reconstruct(final SharedTensor p0, final SharedTensor p1)
    {
        if (p0.party() != Role.P0 || p1.party() != Role.P1)
        {
            throw new IllegalArgumentException("reconstruct takes P0's share and P1's share, not " + p0.party() + "'s and "
                + p1.party() + "'s");
        }
        if (!Arrays.equals(p0.shape, p1.shape) || !p0.encoding.equals(p1.encoding))
        {
            throw new IllegalArgumentException("the shares differ in shape or encoding: shape " + Arrays.toString(p0.shape)
                + " in " + p0.encoding + " and shape " + Arrays.toString(p1.shape) + " in " + p1.encoding);
        }
        final int n = (int)(p0.share.byteSize() / Long.BYTES);
        final double[] v = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = p0.encoding.decode(p0.share.getAtIndex(Ring.LONG, i) + p1.share.getAtIndex(Ring.LONG, i));
        }
        return new Tensor(p0.shape, v);
    }

    /** The first dimension: how many inputs (or outputs) the share holds. */
    public int batch()
    {
        return shape[0];
    }

    /** Values per batch row. */
    public int width()
    {
        return (int)(share.byteSize() / Long.BYTES / shape[0]);
    }

    @Override
    public int[] shape()
    {
        return shape.clone();
    }

    /** Equal when party, shape, encoding and every share element are equal (not the segments' identity). */
    @Override
    public boolean equals(final Object o)
    {
        return o instanceof SharedTensor t && party == t.party && Arrays.equals(shape, t.shape) && encoding.equals(t.encoding)
            && share.mismatch(t.share) == -1;
    }

    @Override
    public int hashCode()
    {
        return 31 * (31 * party.hashCode() + Arrays.hashCode(shape)) + encoding.hashCode();
    }

    @Override
    public String toString()
    {
        return party + "'s share of a tensor " + Arrays.toString(shape) + " in fixed point with " + encoding.fractionBits()
            + " fraction bits";
    }
}
