package securenn.bench.protocols;

import securenn.nn.NetworkSpec;
import securenn.nn.OutputLoss;
import securenn.nn.Sgd;
import securenn.nn.RingTrainer;
import securenn.nn.SecureRingBackend;
import securenn.nn.SecureInference;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The whitepaper's Table 7: secure inference of networks A–D at batch 1 and 128 (LAN seconds and Comm MB as
 * published), on random shares of weights and inputs — the protocols' time does not depend on the values.
 */
public final class InferenceCases
{
    private static final double[][] PAPER = {
        // LAN s batch 1, batch 128; Comm MB batch 1, batch 128
        {0.043, 0.38, 2.1, 29}, {0.13, 7.18, 8.86, 1066}, {0.23, 10.82, 18.94, 1550}, {0.076, 2.6, 4.05, 317.7}};

    private InferenceCases()
    {
    }

    static List<ProtocolCase> table7()
    {
        final List<ProtocolCase> cases = new ArrayList<>();
        final String[] nets = {"A", "B", "C", "D"};
        for (int i = 0; i < nets.length; i++)
        {
            cases.add(network(nets[i], 1, PAPER[i][0] * 1000, PAPER[i][2], 20, 20));
        }
        for (int i = 0; i < nets.length; i++)
        {
            cases.add(network(nets[i], 128, PAPER[i][1] * 1000, PAPER[i][3], nets[i].equals("A") ? 10 : 2, nets[i].equals("A") ? 10 : 3));
        }
        return cases;
    }

    /** Batch-128 inference of A and C: run with plaintext and with encrypted links to price the encryption. */
    static List<ProtocolCase> encryption()
    {
        return List.of(network("A", 128, PAPER[0][1] * 1000, PAPER[0][3], 10, 10),
            network("C", 128, PAPER[2][1] * 1000, PAPER[2][3], 2, 5));
    }

    /** The rule `bin/secure-train` uses for network C: multiclass hinge loss and momentum 0.875. */
    static final Sgd SECURE_TRAIN_RULE = new Sgd(OutputLoss.HINGE, 3);

    /**
     * One secure SGD step at batch 128 of networks A, B and C under the paper's rule (ASM output error by Division),
     * and of C under {@link #SECURE_TRAIN_RULE}. The whitepaper's per-iteration LAN times come from its Tables 3 and 5:
     * 15 epochs of 468 iterations took 1.03 h (A), 17.4 h (B) and 29.95 h (C).
     */
    static List<ProtocolCase> training()
    {
        final double iterations = 15.0 * (60_000 / 128);
        return List.of(trainingStep("A", Sgd.PAPER, 1.03 * 3600e3 / iterations, 10, 15),
            trainingStep("B", Sgd.PAPER, 17.4 * 3600e3 / iterations, 2, 5),
            trainingStep("C", Sgd.PAPER, 29.95 * 3600e3 / iterations, 2, 5),
            trainingStep("C", SECURE_TRAIN_RULE, 29.95 * 3600e3 / iterations, 2, 5));
    }

    /** The dims of a training case: "batch 128", with the rule appended where it is not the paper's. */
    static String trainingDims(final int batch, final Sgd rule)
    {
        return "batch " + batch + (rule.equals(Sgd.PAPER) ? "" : ", " + rule.describe());
    }

    /** The rule of a training row, from its dims (see {@link #trainingDims}). */
    public static Sgd trainingRule(final String dims)
    {
        return dims.equals(trainingDims(batchOf(dims), SECURE_TRAIN_RULE)) ? SECURE_TRAIN_RULE : Sgd.PAPER;
    }

    /** The batch of a row's dims ("batch 128" or "batch 128, ..."). */
    public static int batchOf(final String dims)
    {
        return Integer.parseInt(dims.substring("batch ".length()).split(",")[0]);
    }

    private static ProtocolCase trainingStep(final String name, final Sgd rule, final double paperMs, final int warmups,
        final int reps)
    {
        return new ProtocolCase("Training " + name, trainingDims(128, rule), paperMs, Double.NaN, (p, arena) ->
        {
            final NetworkSpec spec = NetworkSpec.builtIn(name);
            final MemorySegment[] params = modelShares(p, arena, spec);
            final MemorySegment[] velocity = rule.velocity(spec, p.role().holdsShares(), arena);
            final MemorySegment input = ProtocolCase.shares(p, arena, 128L * spec.input().size());
            final MemorySegment labels = ProtocolCase.shares(p, arena, 128L * spec.output().size());
            return () -> RingTrainer.step(SecureRingBackend.forTraining(p), spec, params, input, labels, 128, 13, 14, rule,
                velocity);
        }, warmups, reps, null);
    }

    /** Random shares for every parameter tensor of the network (nulls for P2). */
    private static MemorySegment[] modelShares(final securenn.mpc.Party p, final java.lang.foreign.Arena arena,
        final NetworkSpec spec)
    {
        final MemorySegment[] params = new MemorySegment[spec.parameterCount()];
        int t = 0;
        for (final NetworkSpec.Layer l : spec.layers())
        {
            for (final long size : l.parameterSizes())
            {
                params[t++] = ProtocolCase.shares(p, arena, size);
            }
        }
        return params;
    }

    static ProtocolCase network(final String name, final int batch, final double paperMs, final double paperMb,
        final int warmups, final int reps)
    {
        return new ProtocolCase("Network " + name, "batch " + batch, paperMs, paperMb, (p, arena) ->
        {
            final NetworkSpec spec = NetworkSpec.builtIn(name);
            final MemorySegment[] params = modelShares(p, arena, spec);
            final MemorySegment input = ProtocolCase.shares(p, arena, (long)batch * spec.input().size());
            final MemorySegment output = ProtocolCase.out(p, arena, (long)batch * spec.output().size());
            return () -> SecureInference.forward(p, spec, params, input, output, batch, 13);
        }, warmups, reps, null);
    }
}
