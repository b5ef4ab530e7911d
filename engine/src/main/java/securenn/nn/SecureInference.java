package securenn.nn;

import securenn.kernels.Ring;
import securenn.mpc.FixedPoint;
import securenn.mpc.LocalSession;
import securenn.mpc.Party;
import securenn.mpc.Role;
import securenn.mpc.SecretSplitter;
import securenn.mpc.Shares;
import securenn.transport.LinkCounters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Secure inference end to end, as a client and the three servers see it: the client encodes its inputs in fixed
 * point and splits them into shares for P0 and P1; the servers run {@link RingNetwork} on {@link SecureRingBackend}
 * with the model's shares; the client alone adds the two output shares and takes the argmax.
 */
public final class SecureInference
{
    /** Predictions with the logits the client reconstructed and the session's cost for this batch. */
    public record Result(int[] predictions, long[] logits, double millis, long rounds, long bytes)
    {
    }

    private SecureInference()
    {
    }

    /**
     * Rows one forward pass of {@link #forwardInChunks} takes at a time: a public constant, the same in every party
     * (P0 tells P1 and P2 its value with the row count, and they refuse another), so that 10,000 inputs of a
     * convolutional network do not need their whole im2col matrices at once.
     */
    public static final int CHUNK = 512;

    /** The party program: P0/P1 pass their model and input shares; P2 passes nulls. One pass over all n rows. */
    public static void forward(final Party p, final NetworkSpec spec, final MemorySegment[] modelShares,
        final MemorySegment inputShares, final MemorySegment outputShares, final int n, final int f)
    {
        RingNetwork.forward(SecureRingBackend.forInference(p), spec, modelShares, inputShares, outputShares, n, f);
    }

    /**
     * {@link #forward} over rows {@code [from, from + chunk)} in turn, the last chunk partial; every party must pass
     * the same {@code n} and {@code chunk} (both public), or they fall out of step. Outputs land in row order.
     */
    public static void forwardInChunks(final Party p, final NetworkSpec spec, final MemorySegment[] modelShares,
        final MemorySegment inputShares, final MemorySegment outputShares, final int n, final int f, final int chunk)
    {
        if (chunk < 1 || n < 0)
        {
            throw new IllegalArgumentException("chunks must be at least 1 row and the row count at least 0, but were " + chunk
                + " and " + n);
        }
        final long in = spec.input().size() * 8L;
        final long out = spec.output().size() * 8L;
        // before the first message: a party that cannot take part fails here, not mid-protocol
        if (inputShares != null && inputShares.byteSize() < n * in || outputShares != null && outputShares.byteSize() < n * out)
        {
            throw new IllegalArgumentException(p.role() + " has " + (inputShares == null ? 0 : inputShares.byteSize() / in)
                + " input rows and room for " + (outputShares == null ? 0 : outputShares.byteSize() / out) + " output rows of network "
                + spec.name() + " but the batch has " + n);
        }
        for (long from = 0; from < n; from += chunk)
        {
            final int rows = (int)Math.min(chunk, n - from);
            forward(p, spec, modelShares, inputShares == null ? null : inputShares.asSlice(from * in, rows * in),
                outputShares == null ? null : outputShares.asSlice(from * out, rows * out), rows, f);
        }
    }

    /**
     * Runs {@link #forward} on the three parties of {@code session}: P0 and P1 with their model shares and their input
     * shares {@code x0}, {@code x1}; returns P0's and P1's output shares ({@code n × outputs}, allocated in
     * {@code arena}) at indices 0 and 1 (index 2, P2's, is null).
     */
    public static List<MemorySegment> run(final LocalSession session, final ModelFile.SharedModel[] model,
        final MemorySegment x0, final MemorySegment x1, final int n, final Arena arena)
    {
        return run(session, model, x0, x1, n, arena, CHUNK);
    }

    /** {@link #run} in chunks of {@code chunk} rows (tests use small ones to cover several chunks). */
    static List<MemorySegment> run(final LocalSession session, final ModelFile.SharedModel[] model,
        final MemorySegment x0, final MemorySegment x1, final int n, final Arena arena, final int chunk)
    {
        final NetworkSpec spec = model[0].spec();
        final int out = spec.output().size();
        return session.run(p ->
        {
            final boolean h = p.role().holdsShares();
            final MemorySegment y = h ? arena.allocate((long)n * out * 8, 64) : null;
            forwardInChunks(p, spec, h ? model[p.role().id()].params() : new MemorySegment[spec.parameterCount()],
                p.role() == Role.P0 ? x0 : p.role() == Role.P1 ? x1 : null, y, n, model[0].fractionBits(), chunk);
            return y;
        });
    }

    /**
     * Classifies {@code n} inputs (n × input size, in [0, 1]) with a model shared between P0 and P1 of the session;
     * the client splits the inputs with {@code client} ({@link SecretSplitter#fresh} outside tests).
     */
    public static Result classify(final LocalSession session, final ModelFile.SharedModel[] model, final double[] inputs,
        final int n, final SecretSplitter client)
    {
        return classify(session, model, inputs, n, client, CHUNK);
    }

    /** {@link #classify} in chunks of {@code chunk} rows (tests use small ones to cover several chunks). */
    static Result classify(final LocalSession session, final ModelFile.SharedModel[] model, final double[] inputs,
        final int n, final SecretSplitter client, final int chunk)
    {
        final NetworkSpec spec = model[0].spec();
        final FixedPoint fp = new FixedPoint(model[0].fractionBits());
        final int in = spec.input().size();
        final int out = spec.output().size();
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment plain = arena.allocate((long)n * in * 8);
            for (int i = 0; i < n * in; i++)
            {
                plain.setAtIndex(Ring.LONG, i, fp.encode(inputs[i]));
            }
            final MemorySegment x0 = arena.allocate((long)n * in * 8);
            final MemorySegment x1 = arena.allocate((long)n * in * 8);
            Shares.split(plain, x0, x1, (long)n * in, client);
            final long bytesBefore = totalBytes(session);
            final long roundsBefore = maxRounds(session);
            final long t0 = System.nanoTime();
            final List<MemorySegment> outs = run(session, model, x0, x1, n, arena, chunk);
            final double millis = (System.nanoTime() - t0) / 1e6;
            final long[] logits = new long[n * out];
            final MemorySegment opened = arena.allocate((long)n * out * 8);
            Shares.reconstruct(outs.get(0), outs.get(1), opened, (long)n * out);
            MemorySegment.copy(opened, Ring.LONG, 0, logits, 0, logits.length);
            return new Result(argmax(logits, n, out), logits, millis, maxRounds(session) - roundsBefore,
                totalBytes(session) - bytesBefore);
        }
    }

    public static int[] argmax(final long[] logits, final int n, final int k)
    {
        final int[] pred = new int[n];
        for (int s = 0; s < n; s++)
        {
            int best = 0;
            for (int i = 1; i < k; i++)
            {
                if (logits[s * k + i] > logits[s * k + best])
                {
                    best = i;
                }
            }
            pred[s] = best;
        }
        return pred;
    }

    private static long totalBytes(final LocalSession session)
    {
        long sum = 0;
        for (final Role r : Role.values())
        {
            for (final LinkCounters c : session.party(r).transport().counters())
            {
                sum += c.bytesSent();
            }
        }
        return sum;
    }

    private static long maxRounds(final LocalSession session)
    {
        long max = 0;
        for (final Role r : Role.values())
        {
            max = Math.max(max, session.party(r).transport().rounds());
        }
        return max;
    }
}
