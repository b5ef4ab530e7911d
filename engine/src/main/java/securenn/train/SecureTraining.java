package securenn.train;

import securenn.data.Mnist;
import securenn.mpc.LocalSession;
import securenn.mpc.SecretSplitter;
import securenn.mpc.Shares;
import securenn.nn.FloatNetwork;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.nn.RingTrainer;
import securenn.nn.SecureInference;
import securenn.nn.SecureRingBackend;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** Secure training by three parties in this JVM over Aeron IPC; P0 and P1 hold only shares of model and batches. */
public final class SecureTraining implements TrainingEngine
{
    private final LocalSession session;
    private final ModelFile.SharedModel[] model;
    private final NetworkSpec spec;
    private final int f;

    private final securenn.nn.Sgd rule;
    private final Arena velocityArena = Arena.ofShared();
    private final MemorySegment[][] velocity = new MemorySegment[3][];

    /** @param keys the parties' keys: fresh ones, or seeded ones where the twin must replay the run */
    public SecureTraining(final ModelFile.SharedModel[] model, final securenn.mpc.Randomness[] keys, final securenn.nn.Sgd rule)
    {
        this.rule = rule;
        for (final securenn.mpc.Role r : securenn.mpc.Role.values())
        {
            velocity[r.id()] = rule.velocity(model[0].spec(), r.holdsShares(), velocityArena);
        }
        // long steps: waiters park (measured 3.7 → 3.1 s for C with backoff against yield)
        this.session = new LocalSession(LocalSession.ipcConfig("backoff"), keys);
        this.model = model;
        this.spec = model[0].spec();
        this.f = model[0].fractionBits();
    }

    @Override
    public long step(final MemorySegment images, final MemorySegment labels, final int n, final int shift,
        final SecretSplitter owner)
    {
        final long xs = (long)n * spec.input().size();
        final long ys = (long)n * spec.output().size();
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment[] x = {arena.allocate(xs * 8), arena.allocate(xs * 8)};
            final MemorySegment[] y = {arena.allocate(ys * 8), arena.allocate(ys * 8)};
            Shares.split(images, x[0], x[1], xs, owner);
            Shares.split(labels, y[0], y[1], ys, owner);
            final List<Long> errors = session.run(p ->
            {
                final int id = p.role().id();
                final boolean h = p.role().holdsShares();
                return RingTrainer.step(SecureRingBackend.forTraining(p), spec,
                    h ? model[id].params() : new MemorySegment[spec.parameterCount()], h ? x[id] : null, h ? y[id] : null,
                    n, f, shift, rule, velocity[id]);
            });
            return errors.get(0) + errors.get(1);
        }
    }

    @Override
    public double accuracy(final Mnist test, final SecretSplitter client)
    {
        int correct = 0;
        final int chunk = 100;
        for (int from = 0; from < test.count(); from += chunk)
        {
            final int n = Math.min(chunk, test.count() - from);
            final SecureInference.Result r = SecureInference.classify(session, model, FloatNetwork.images(spec, test, from, n), n, client);
            for (int s = 0; s < n; s++)
            {
                correct += r.predictions()[s] == test.label(from + s) ? 1 : 0;
            }
        }
        return (double)correct / test.count();
    }

    @Override
    public ModelFile.SharedModel[] shares(final Arena arena, final SecretSplitter splitter)
    {
        final String id = splitter.newModelId(); // the parties' own shares, as they hold them, as a pair of their own
        return new ModelFile.SharedModel[]{new ModelFile.SharedModel(spec, model[0].party(), f, id, model[0].params()),
            new ModelFile.SharedModel(spec, model[1].party(), f, id, model[1].params())};
    }

    @Override
    public MemorySegment[] plaintext(final Arena arena)
    {
        return ModelFile.openFixedPoint(model[0], model[1], arena);
    }

    @Override
    public void close()
    {
        session.close();
        velocityArena.close();
    }
}
