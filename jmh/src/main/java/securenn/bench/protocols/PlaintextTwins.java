package securenn.bench.protocols;

import securenn.kernels.Kernels;
import securenn.nn.FloatNetwork;
import securenn.nn.Model;
import securenn.nn.NetworkSpec;
import securenn.nn.PlainRingBackend;
import securenn.nn.RingNetwork;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Times the plaintext twins (fixed point with the vector kernels, and float) of each inference row, in this JVM. */
public final class PlaintextTwins
{
    private PlaintextTwins()
    {
    }

    public static void addTo(final List<Map<String, Object>> rows, final boolean quick)
    {
        for (final Map<String, Object> row : rows)
        {
            final String name = ((String)row.get("protocol")).substring("Network ".length());
            final int batch = InferenceCases.batchOf((String)row.get("dims"));
            final securenn.nn.Sgd rule = InferenceCases.trainingRule((String)row.get("dims"));
            final NetworkSpec spec = NetworkSpec.builtIn(name);
            final Model model = Model.random(spec, 1);
            final double[] x = new double[batch * spec.input().size()];
            Arrays.fill(x, 0.5);
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment[] params = new MemorySegment[spec.parameterCount()];
                for (int t = 0; t < params.length; t++)
                {
                    params[t] = arena.allocate(Math.max(1, model.params()[t].length) * 8L);
                }
                final MemorySegment in = arena.allocate((long)x.length * 8);
                final MemorySegment out = arena.allocate((long)batch * spec.output().size() * 8);
                final PlainRingBackend backend = new PlainRingBackend(Kernels.best());
                row.put("fixedPointTwinMs", median(quick ? 3 : 10, () -> RingNetwork.forward(backend, spec, params, in, out, batch, 13)));
                row.put("floatTwinMs", median(quick ? 2 : 5, () -> FloatNetwork.forward(model, x, batch)));
            }
        }
    }

    /** Times one SGD step of the fixed-point twin (the secure step's arithmetic in the clear) for each training row. */
    public static void addTrainingTo(final List<Map<String, Object>> rows, final boolean quick)
    {
        for (final Map<String, Object> row : rows)
        {
            final String name = ((String)row.get("protocol")).substring("Training ".length());
            final int batch = InferenceCases.batchOf((String)row.get("dims"));
            final securenn.nn.Sgd rule = InferenceCases.trainingRule((String)row.get("dims"));
            final NetworkSpec spec = NetworkSpec.builtIn(name);
            final Model model = Model.random(spec, 1);
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment[] params = model.fixedPoint(securenn.mpc.FixedPoint.DEFAULT, arena);
                final MemorySegment in = arena.allocate((long)batch * spec.input().size() * 8);
                in.fill((byte)0);
                final MemorySegment labels = arena.allocate((long)batch * spec.output().size() * 8);
                labels.fill((byte)0);
                for (int s = 0; s < batch; s++)
                {
                    labels.setAtIndex(securenn.kernels.Ring.LONG, (long)s * spec.output().size() + s % spec.output().size(), 1 << 13);
                }
                final PlainRingBackend backend = new PlainRingBackend(Kernels.best());
                final MemorySegment[] velocity = rule.velocity(spec, true, arena);
                row.put("fixedPointTwinMs", median(quick ? 2 : 5,
                    () -> securenn.nn.RingTrainer.step(backend, spec, params, in, labels, batch, 13, 14, rule, velocity)));
            }
        }
    }

    private static double median(final int reps, final Runnable body)
    {
        return medianMs(body, reps, 0);
    }

    /** Median of {@code reps} timed runs after {@code reps} warm-up runs, and at least {@code warmNanos} of warm-up. */
    static double medianMs(final Runnable body, final int reps, final long warmNanos)
    {
        final long warmUntil = System.nanoTime() + warmNanos;
        for (int i = 0; i < reps || System.nanoTime() < warmUntil; i++)
        {
            body.run();
        }
        final double[] ms = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            final long t0 = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }
}
