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

    /** The kernels for this CPU: byte compress only where it has an instruction ({@link CpuFeatures#byteCompress}). */
    public static Kernels create()
    {
        return create(CpuFeatures.byteCompress());
    }

    /** With the Z_67 sampler's compaction chosen (tests run both on every CPU: they must agree byte for byte). */
    public static Kernels create(final boolean byteCompress)
    {
        final int bits = LongVector.SPECIES_PREFERRED.vectorBitSize();
        return new Kernels("vector", bits, new VectorGemm(), new VectorRingOps(), new VectorCompareOps(),
            new VectorZpOps(byteCompress));
    }
}
