package securenn.bench.serve;

import securenn.data.Mnist;
import securenn.kernels.Kernels;
import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.PlainRingBackend;
import securenn.nn.RingNetwork;
import securenn.nn.SecureInference;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The fixed-point twin's predictions for a model on sample images: what every secure answer must equal. */
final class FixedPointTwin
{
    private FixedPointTwin()
    {
    }

    static int[] predict(final Model model, final Mnist images, final FixedPoint fp)
    {
        final int n = images.count();
        final int k = model.spec().output().size();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment[] params = new MemorySegment[model.params().length];
            for (int t = 0; t < params.length; t++)
            {
                params[t] = encode(arena, model.params()[t], fp);
            }
            final MemorySegment x = encode(arena, FloatNetwork.images(images, 0, n), fp);
            final MemorySegment y = arena.allocate((long)n * k * 8);
            RingNetwork.forward(new PlainRingBackend(Kernels.best()), model.spec(), params, x, y, n, fp.fractionBits());
            return SecureInference.argmax(y.toArray(Ring.LONG), n, k);
        }
    }

    private static MemorySegment encode(final Arena arena, final double[] values, final FixedPoint fp)
    {
        final MemorySegment s = arena.allocate(values.length * 8L, 64);
        for (int i = 0; i < values.length; i++)
        {
            s.setAtIndex(Ring.LONG, i, fp.encode(values[i]));
        }
        return s;
    }
}
