package securenn.train;

import securenn.mpc.Party;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.nn.RingTrainer;
import securenn.nn.SecureRingBackend;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One party's secure training loop, as a party process on its own host runs it ({@code securenn train-party}): the
 * batches of each epoch in the public order of {@link BatchOrder}, one {@link RingTrainer} step per batch on this
 * party's shares (P2 runs the same protocols without data), a checkpoint of this party's shares every
 * {@link TrainingPlan#checkpointEvery} iterations and at every epoch end.
 *
 * <p>Nothing is opened: the step's loss proxy stays a share in each party (a server that added shares would learn
 * it), and test accuracy is the model owner's to measure, from the checkpoint files ({@code securenn reconstruct
 * --data}) or by serving them. What the parties see is public: sizes, the plan, the batch order, timing.
 */
public final class PartyTrainer
{
    /** Where training is, for progress reports. */
    public record Position(long done, long total, int epoch, int epochs, int iteration, int perEpoch)
    {
    }

    /** Receives a report after each iteration. */
    @FunctionalInterface
    public interface Progress
    {
        void after(Position at, double imagesPerSecond, double etaSeconds);
    }

    private final Party party;
    private final NetworkSpec spec;
    private final int fractionBits;
    private final TrainingPlan plan;
    private final DataShares data;
    private final int rows;
    private final Checkpoints checkpoints;
    private final String modelId;

    /**
     * @param data        this party's data shares (P0, P1) or null (P2)
     * @param rows        the shared row count (agreed by {@link TrainingHandshake#agree})
     * @param modelId     the model id its checkpoints carry (the split's; null for P2)
     */
    public PartyTrainer(final Party party, final NetworkSpec spec, final int fractionBits, final TrainingPlan plan,
        final DataShares data, final int rows, final Checkpoints checkpoints, final String modelId)
    {
        if (party.role().holdsShares() != (data != null))
        {
            throw new IllegalArgumentException(party.role() + (data == null ? " needs its data shares" : " holds no data shares"));
        }
        requireFits(spec, fractionBits, data);
        this.party = party;
        this.spec = spec;
        this.fractionBits = fractionBits;
        this.plan = plan;
        this.data = data;
        this.rows = rows;
        this.checkpoints = checkpoints;
        this.modelId = modelId;
    }

    /** Fails unless {@code data}'s rows (if any) fit the network's input and output and its precision. */
    public static void requireFits(final NetworkSpec spec, final int fractionBits, final DataShares data)
    {
        if (data != null && (data.imageSize() != spec.input().size() || data.labelSize() != spec.output().size()
            || data.fractionBits() != fractionBits))
        {
            throw new IllegalArgumentException("the data shares hold rows of " + data.imageSize() + " values with labels of "
                + data.labelSize() + " at " + data.fractionBits() + " fraction bits, but network " + spec.name() + " takes "
                + spec.input().size() + " inputs and " + spec.output().size() + " outputs at " + fractionBits);
        }
    }

    /**
     * Trains from iteration {@code start} (0, or a checkpoint's) to the end of the plan, updating {@code params} (this
     * party's shares; null entries for P2) in place. Returns the number of iterations done in all.
     */
    public long run(final MemorySegment[] params, final long start, final Progress progress) throws IOException
    {
        final int perEpoch = plan.iterationsPerEpoch(rows);
        final long total = (long)perEpoch * plan.epochs();
        final boolean h = party.role().holdsShares();
        final int in = spec.input().size();
        final int out = spec.output().size();
        final int n = plan.batch();
        final BatchOrder batches = new BatchOrder(plan.orderSeed(), rows);
        int[] order = null;
        int orderEpoch = 0;
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment[] velocity = plan.rule().velocity(spec, h, arena);
            if (start > 0 && velocity != null && h)
            {
                checkpoints.loadVelocity(start, velocity, arena);
            }
            final MemorySegment x = h ? arena.allocate(8L * n * in, 64) : null;
            final MemorySegment y = h ? arena.allocate(8L * n * out, 64) : null;
            final long t0 = System.nanoTime();
            for (long g = start; g < total; g++)
            {
                final int epoch = (int)(g / perEpoch) + 1;
                final int it = (int)(g % perEpoch);
                while (orderEpoch < epoch)
                {
                    order = batches.nextEpoch();
                    orderEpoch++;
                }
                if (h)
                {
                    gather(order, it * n, n, data.images(), x, in);
                    gather(order, it * n, n, data.labels(), y, out);
                }
                RingTrainer.step(SecureRingBackend.forTraining(party), spec, params, x, y, n, fractionBits, plan.shift(epoch),
                    plan.rule(), velocity);
                final long done = g + 1;
                if (done % perEpoch == 0 || plan.checkpointEvery() > 0 && done % plan.checkpointEvery() == 0)
                {
                    checkpoints.save(done, h ? new ModelFile.SharedModel(spec, party.role(), fractionBits, modelId, params) : null,
                        h ? velocity : null);
                }
                final double seconds = (System.nanoTime() - t0) / 1e9;
                progress.after(new Position(done, total, epoch, plan.epochs(), it + 1, perEpoch), (done - start) * n / seconds,
                    seconds / (done - start) * (total - done));
            }
            return total;
        }
    }

    /** Copies rows order[from..from + n) of a row-major matrix of width {@code width} into {@code into}. */
    private static void gather(final int[] order, final int from, final int n, final MemorySegment all,
        final MemorySegment into, final int width)
    {
        final long bytes = 8L * width;
        for (int s = 0; s < n; s++)
        {
            MemorySegment.copy(all, order[from + s] * bytes, into, s * bytes, bytes);
        }
    }
}
