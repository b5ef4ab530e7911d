package securenn.nn;

import java.util.SplittableRandom;

/**
 * A plaintext model as its owner holds it: a network and its parameters as doubles, in layer order, weights then
 * bias for every fc and conv layer (layouts in {@link NetworkSpec}).
 */
public record Model(NetworkSpec spec, double[][] params)
{
    public Model
    {
        int i = 0;
        for (final NetworkSpec.Layer l : spec.layers())
        {
            for (final long size : l.parameterSizes())
            {
                if (i >= params.length || params[i].length != size)
                {
                    throw new IllegalArgumentException(spec.name() + ": parameter tensor " + i + " of " + l + " must hold "
                        + size + " values but " + (i >= params.length ? "is missing" : "holds " + params[i].length));
                }
                i++;
            }
        }
        if (i != params.length)
        {
            throw new IllegalArgumentException(spec.name() + ": " + params.length + " parameter tensors for " + i + " expected");
        }
    }

    /**
     * He-initialised weights (normal, variance 2/fan-in) and zero biases, from a seed. A non-cryptographic generator
     * is right here: this is the model owner's plaintext starting point, reproducible from the seed, and it is split
     * into shares with {@link securenn.mpc.SecretSplitter}, never with this generator.
     */
    /**
     * The parameters in fixed point, one segment per tensor in {@code arena} (64-byte aligned): the plaintext twin's
     * weights, which the model owner would split into shares.
     */
    public java.lang.foreign.MemorySegment[] fixedPoint(final securenn.mpc.FixedPoint fp, final java.lang.foreign.Arena arena)
    {
        final java.lang.foreign.MemorySegment[] out = new java.lang.foreign.MemorySegment[params.length];
        for (int t = 0; t < out.length; t++)
        {
            out[t] = arena.allocate(Math.max(1, params[t].length) * 8L, 64).asSlice(0, params[t].length * 8L);
            for (int i = 0; i < params[t].length; i++)
            {
                out[t].setAtIndex(securenn.kernels.Ring.LONG, i, fp.encode(params[t][i]));
            }
        }
        return out;
    }

    public static Model random(final NetworkSpec spec, final long seed)
    {
        final SplittableRandom rnd = new SplittableRandom(seed);
        final double[][] params = new double[spec.parameterCount()][];
        int i = 0;
        for (final NetworkSpec.Layer l : spec.layers())
        {
            final long[] sizes = l.parameterSizes();
            if (sizes.length == 0)
            {
                continue;
            }
            final int fanIn = l instanceof NetworkSpec.Conv c ? c.patchSize() : l.in().size();
            final double[] w = new double[(int)sizes[0]];
            final double scale = Math.sqrt(2.0 / fanIn);
            for (int k = 0; k < w.length; k++)
            {
                w[k] = gaussian(rnd) * scale;
            }
            params[i++] = w;
            params[i++] = new double[(int)sizes[1]];
        }
        return new Model(spec, params);
    }

    private static double gaussian(final SplittableRandom rnd)
    {
        final double u = 1 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
