package securenn.kernels.panama;

import jdk.incubator.vector.LongVector;
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

    public static Kernels create()
    {
        final int bits = LongVector.SPECIES_PREFERRED.vectorBitSize();
        return new Kernels("vector", bits, new VectorGemm(), new VectorRingOps(), new VectorCompareOps(), new VectorZpOps());
    }
}
