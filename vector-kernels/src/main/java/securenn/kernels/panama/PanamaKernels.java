package securenn.kernels.panama;

import jdk.incubator.vector.LongVector;
import securenn.kernels.Compaction;
import securenn.kernels.Gemm;
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

    /**
     * The kernels for this CPU: the Z_67 compaction from {@link CpuFeatures#compaction()}, the GEMM's 64-bit lane
     * multiply only where it has an instruction ({@link CpuFeatures#laneMultiply64}).
     */
    public static Kernels create()
    {
        return create(CpuFeatures.compaction());
    }

    /**
     * The Vector API GEMM with its micro-kernel forced: {@code laneMultiply64} true multiplies 64-bit lanes
     * ({@code LongVector.mul}, one instruction only with AVX-512 DQ), false 32-bit halves. For tests: both must
     * match the scalar twin on every CPU.
     */
    public static Gemm gemm(final boolean laneMultiply64)
    {
        return new VectorGemm(laneMultiply64);
    }

    /** With the Z_67 sampler's compaction chosen (tests run every choice on every CPU: they must agree byte for byte). */
    public static Kernels create(final Compaction compaction)
    {
        final int bits = LongVector.SPECIES_PREFERRED.vectorBitSize();
        return new Kernels("vector", bits, new VectorGemm(), new VectorRingOps(), new VectorCompareOps(),
            new VectorZpOps(compaction));
    }
}
