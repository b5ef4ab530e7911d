package securenn.train;

import securenn.data.Mnist;
import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.mpc.SecretSplitter;
import securenn.nn.FloatNetwork;
import securenn.nn.FloatTrainer;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.nn.Sgd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The same training in double precision ({@link FloatTrainer}): starts from the same fixed-point model, takes the same
 * batches and schedule, so its accuracy beside the fixed-point twin's shows what fixed point costs.
 */
public final class FloatTraining implements TrainingEngine
{
    private final NetworkSpec spec;
    private final FixedPoint fp;
    private final double[][] params;
    private final double[][] velocity;
    private final Sgd rule;

    public FloatTraining(final ModelFile.SharedModel[] start, final Sgd rule)
    {
        this.spec = start[0].spec();
        this.fp = new FixedPoint(start[0].fractionBits());
        this.rule = rule;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment[] fixed = ModelFile.openFixedPoint(start[0], start[1], arena);
            params = new double[fixed.length][];
            for (int t = 0; t < fixed.length; t++)
            {
                params[t] = decode(fixed[t]);
            }
        }
        this.velocity = FloatTrainer.velocity(rule, params);
    }

    private double[] decode(final MemorySegment s)
    {
        final double[] d = new double[(int)(s.byteSize() / Long.BYTES)];
        for (int i = 0; i < d.length; i++)
        {
            d[i] = fp.decode(s.getAtIndex(Ring.LONG, i));
        }
        return d;
    }

    @Override
    public long step(final MemorySegment images, final MemorySegment labels, final int n, final int shift,
        final SecretSplitter owner)
    {
        final double loss = FloatTrainer.step(spec, params, decode(images), decode(labels), n, shift, rule, velocity);
        return (long)Math.scalb(loss, 2 * fp.fractionBits()); // the scale the command divides by
    }

    @Override
    public double accuracy(final Mnist test, final SecretSplitter client)
    {
        return FloatNetwork.accuracy(new Model(spec, params), test);
    }

    @Override
    public ModelFile.SharedModel[] shares(final Arena arena, final SecretSplitter splitter)
    {
        return ModelFile.split(new Model(spec, params), fp, arena, splitter);
    }

    @Override
    public MemorySegment[] plaintext(final Arena arena)
    {
        final MemorySegment[] out = new MemorySegment[params.length];
        for (int t = 0; t < params.length; t++)
        {
            out[t] = arena.allocate(Math.max(1, params[t].length) * 8L).asSlice(0, params[t].length * 8L);
            for (int i = 0; i < params[t].length; i++)
            {
                out[t].setAtIndex(Ring.LONG, i, fp.encode(params[t][i]));
            }
        }
        return out;
    }

    @Override
    public void close()
    {
    }
}
