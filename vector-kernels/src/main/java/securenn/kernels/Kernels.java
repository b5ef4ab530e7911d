package securenn.kernels;

import securenn.kernels.scalar.ScalarKernels;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * One set of kernel implementations: GEMM, element-wise ring ops, comparison bit ops and Z_p ops.
 *
 * <p>{@link #best()} chooses once, at first use, between the Vector API implementation and the scalar one and
 * logs the choice in one line. The Vector API implementation is loaded reflectively so that nothing outside
 * {@code securenn.kernels.panama} links against {@code jdk.incubator.vector}; if the module is not readable
 * (the JVM was started without {@code --add-modules jdk.incubator.vector}) or the system property
 * {@value #PROVIDER_PROP} says {@code scalar}, the scalar implementation is used.
 */
public record Kernels(String name, int vectorBits, Gemm gemm, RingOps ring, CompareOps compare, ZpOps zp)
{
    /** System property choosing the implementation: {@code auto} (default), {@code vector} or {@code scalar}. */
    public static final String PROVIDER_PROP = "securenn.kernels";

    private static final Logger LOG = System.getLogger(Kernels.class.getName());

    /** The scalar implementation: plain loops, the oracle for every test. */
    public static Kernels scalar()
    {
        return ScalarHolder.SCALAR;
    }

    /** The fastest implementation this JVM supports, chosen once. */
    public static Kernels best()
    {
        return BestHolder.BEST;
    }

    /**
     * The Vector API implementation.
     *
     * @throws IllegalStateException naming the cause if {@code jdk.incubator.vector} is not available
     */
    public static Kernels vector()
    {
        return load(new Class<?>[0]);
    }

    /**
     * The Vector API implementation with the Z_67 sampler's compaction forced. For tests: every choice must produce
     * the same bytes on every CPU, and the fast one for this CPU is what {@link #best()} picks.
     */
    public static Kernels vector(final Compaction compaction)
    {
        return load(new Class<?>[]{Compaction.class}, compaction);
    }

    /**
     * The Vector API GEMM with its micro-kernel forced: {@code laneMultiply64} true uses {@code LongVector.mul} (an
     * instruction only with AVX-512 DQ), false the 32-bit-halves kernel. For tests: both must match the scalar twin
     * on every CPU.
     *
     * @throws IllegalStateException naming the cause if {@code jdk.incubator.vector} is not available
     */
    public static Gemm vectorGemm(final boolean laneMultiply64)
    {
        requireVectorModule();
        try
        {
            return (Gemm)Class.forName("securenn.kernels.panama.PanamaKernels")
                .getMethod("gemm", boolean.class).invoke(null, laneMultiply64);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException("cannot load the Vector API GEMM: " + ex, ex);
        }
    }

    private static void requireVectorModule()
    {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty())
        {
            throw new IllegalStateException(
                "the Vector API is not available: start the JVM with --add-modules jdk.incubator.vector");
        }
    }

    private static Kernels load(final Class<?>[] types, final Object... args)
    {
        requireVectorModule();
        try
        {
            return (Kernels)Class.forName("securenn.kernels.panama.PanamaKernels")
                .getMethod("create", types).invoke(null, args);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException("cannot load the Vector API kernels: " + ex, ex);
        }
    }

    private static final class ScalarHolder
    {
        static final Kernels SCALAR = ScalarKernels.create();
    }

    private static final class BestHolder
    {
        static final Kernels BEST = choose();

        private static Kernels choose()
        {
            final String wanted = System.getProperty(PROVIDER_PROP, "auto");
            final Kernels chosen;
            switch (wanted)
            {
                case "scalar" -> chosen = scalar();
                case "vector" -> chosen = vector();
                case "auto" -> chosen = tryVector();
                default -> throw new IllegalArgumentException(
                    "-D" + PROVIDER_PROP + "=" + wanted + " is not one of auto, vector, scalar");
            }
            LOG.log(Level.INFO, "securenn kernels: " + chosen.name()
                + (chosen.vectorBits() > 0 ? " (" + chosen.vectorBits() + "-bit vectors)" : "")
                + (chosen.gemm().choices().isEmpty() ? "" : "; " + chosen.gemm().choices())
                + (chosen.zp().choices().isEmpty() ? "" : "; " + chosen.zp().choices()));
            return chosen;
        }

        private static Kernels tryVector()
        {
            try
            {
                return vector();
            }
            catch (final IllegalStateException ex)
            {
                LOG.log(Level.WARNING, "securenn kernels: falling back to scalar: " + ex.getMessage());
                return scalar();
            }
        }
    }
}
