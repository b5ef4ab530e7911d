package securenn.kernels.scalar;

import securenn.kernels.Kernels;

/** Factory of the scalar kernel set: plain loops, the oracle the vector kernels are tested against. */
public final class ScalarKernels
{
    private ScalarKernels()
    {
    }

    public static Kernels create()
    {
        return new Kernels("scalar", 0, new ScalarGemm(), new ScalarRingOps(), new ScalarCompareOps(), new ScalarZpOps());
    }
}
