package securenn.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The training rule beyond the learning rate: the output error ({@link OutputLoss}) and optional momentum. Momentum
 * μ = 1 − 2^−m keeps a velocity per parameter, v ← v − v/2^m + rate·g, and steps by it, W ← W − v: linear, so each
 * party updates its shares locally; v/2^m is one more truncation (P2-assisted in secure training) per parameter and
 * step. m = 0 means plain SGD, the paper's.
 */
public record Sgd(OutputLoss loss, int momentumShift)
{
    /** The whitepaper's rule: ASM output error, no momentum. */
    public static final Sgd PAPER = new Sgd(OutputLoss.ASM, 0);

    public Sgd
    {
        if (momentumShift < 0 || momentumShift > 16)
        {
            throw new IllegalArgumentException("momentum shift must be in [0, 16] (μ = 1 − 2^−m; 0: no momentum) but was "
                + momentumShift);
        }
    }

    public boolean hasMomentum()
    {
        return momentumShift > 0;
    }

    /** "ASM output error" or "squared-error output error, momentum 0.875": how `train` names the rule in its header. */
    public String describe()
    {
        return loss.label() + " output error" + (hasMomentum() ? ", momentum " + mu() : "");
    }

    /** μ as a number, for messages. */
    public double mu()
    {
        return momentumShift == 0 ? 0 : 1 - Math.pow(2, -momentumShift);
    }

    /**
     * Zero velocities shaped like {@code spec}'s parameters for a party that holds data (zero is a valid sharing of
     * zero), or an array of nulls for P2; null without momentum.
     */
    public MemorySegment[] velocity(final NetworkSpec spec, final boolean holdsData, final Arena arena)
    {
        if (!hasMomentum())
        {
            return null;
        }
        final MemorySegment[] v = new MemorySegment[spec.parameterCount()];
        if (holdsData)
        {
            int t = 0;
            for (final NetworkSpec.Layer l : spec.layers())
            {
                for (final long size : l.parameterSizes())
                {
                    v[t++] = arena.allocate(size * Long.BYTES, 64); // zero-filled
                }
            }
        }
        return v;
    }
}
