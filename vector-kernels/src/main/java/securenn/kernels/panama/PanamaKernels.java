package securenn.kernels.panama;

import jdk.incubator.vector.LongVector;
import securenn.kernels.Compaction;
import securenn.kernels.Kernels;

/**
 * Factory of the Vector API kernel set. Loaded reflectively by {@link Kernels#vector()}: this package is the only
 * code that links against {@code jdk.incubator.vector}.
 */
public final class PanamaKernels
{
    private PanamaKernels()
    {
    }

    /** The kernels for this CPU: the Z_67 compaction from {@link CpuFeatures#compaction()}. */
    public static Kernels create()
    {
        return create(CpuFeatures.compaction());
    }

    /** With the Z_67 sampler's compaction chosen (tests run every choice on every CPU: they must agree byte for byte). */
    public static Kernels create(final Compaction compaction)
    {
        final int bits = LongVector.SPECIES_PREFERRED.vectorBitSize();
        return new Kernels("vector", bits, new VectorGemm(), new VectorRingOps(), new VectorCompareOps(),
            new VectorZpOps(compaction));
    }
}
