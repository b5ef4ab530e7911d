package securenn.train;

import securenn.data.Mnist;
import securenn.kernels.Kernels;
import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.mpc.SecretSplitter;
import securenn.mpc.Shares;
import securenn.mpc.TruncationReplay;
import securenn.nn.FloatNetwork;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.nn.PlainRingBackend;
import securenn.nn.RingNetwork;
import securenn.nn.RingTrainer;
import securenn.nn.SecureInference;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The fixed-point twin of {@link SecureTraining}: the same {@link RingTrainer} code in the clear, with truncation
 * carries replayed from the session seed ({@link TruncationReplay}), so it equals secure training with that seed bit
 * for bit — at a small fraction of the cost.
 */
public final class TwinTraining implements TrainingEngine
{
    private final Arena arena = Arena.ofShared();
    private final NetworkSpec spec;
    private final int f;
    private final MemorySegment[] params;
    private final PlainRingBackend backend;
    private final PlainRingBackend inference = new PlainRingBackend(Kernels.best());

    private final securenn.nn.Sgd rule;
    private final MemorySegment[] velocity;

    public TwinTraining(final ModelFile.SharedModel[] start, final long sessionSeed, final securenn.nn.Sgd rule)
    {
        this.rule = rule;
        this.velocity = rule.velocity(start[0].spec(), true, arena);
        this.spec = start[0].spec();
        this.f = start[0].fractionBits();
        this.params = ModelFile.openFixedPoint(start[0], start[1], arena);
        this.backend = new PlainRingBackend(Kernels.best(), TruncationReplay.fromSeed(sessionSeed));
    }

    /** Replays the session's truncation carries only if the steps are the secure run's steps; see the class doc. */
    @Override
    public long step(final MemorySegment images, final MemorySegment labels, final int n, final int shift,
        final SecretSplitter owner)
    {
        // nothing is split: the secure run's result does not depend on its shares, only on the session's masks
        return RingTrainer.step(backend, spec, params, images, labels, n, f, shift, rule, velocity);
    }

    @Override
    public double accuracy(final Mnist test, final SecretSplitter client)
    {
        final FixedPoint fp = new FixedPoint(f);
        final int k = spec.output().size();
        int correct = 0;
        final int chunk = 100;
        for (int from = 0; from < test.count(); from += chunk)
        {
            final int n = Math.min(chunk, test.count() - from);
            try (Arena batch = Arena.ofConfined())
            {
                final double[] pixels = FloatNetwork.images(spec, test, from, n);
                final MemorySegment x = batch.allocate(pixels.length * 8L);
                for (int i = 0; i < pixels.length; i++)
                {
                    x.setAtIndex(Ring.LONG, i, fp.encode(pixels[i]));
                }
                final MemorySegment y = batch.allocate((long)n * k * 8);
                RingNetwork.forward(inference, spec, params, x, y, n, f);
                final int[] predictions = SecureInference.argmax(y.toArray(Ring.LONG), n, k);
                for (int s = 0; s < n; s++)
                {
                    correct += predictions[s] == test.label(from + s) ? 1 : 0;
                }
            }
        }
        return (double)correct / test.count();
    }

    @Override
    public ModelFile.SharedModel[] shares(final Arena out, final SecretSplitter splitter)
    {
        final MemorySegment[] s0 = new MemorySegment[params.length];
        final MemorySegment[] s1 = new MemorySegment[params.length];
        for (int t = 0; t < params.length; t++)
        {
            final long size = params[t].byteSize() / 8;
            s0[t] = out.allocate(Math.max(1, size) * 8).asSlice(0, size * 8);
            s1[t] = out.allocate(Math.max(1, size) * 8).asSlice(0, size * 8);
            Shares.split(params[t], s0[t], s1[t], size, splitter);
        }
        final String id = splitter.newModelId();
        return new ModelFile.SharedModel[]{new ModelFile.SharedModel(spec, Role.P0, f, id, s0),
            new ModelFile.SharedModel(spec, Role.P1, f, id, s1)};
    }

    @Override
    public MemorySegment[] plaintext(final Arena unused)
    {
        return params;
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
