package securenn.cli;

import securenn.kernels.KernelSelfCheck;
import securenn.kernels.Kernels;

import java.io.PrintStream;
import java.util.List;

/** Every Vector API kernel against its scalar oracle on random inputs, with timings (demo --kernels-check). */
final class KernelCheck
{
    private final long seed;

    KernelCheck(final long seed)
    {
        this.seed = seed;
    }

    int run(final PrintStream out)
    {
        final Kernels kernels = Kernels.best();
        out.printf("securenn kernel self-check: %s kernels (%d-bit vectors) vs scalar oracle, seed %d, %d cores%n",
            kernels.name(), kernels.vectorBits(), seed, Runtime.getRuntime().availableProcessors());
        final List<KernelSelfCheck.Result> results = new KernelSelfCheck(kernels, seed).run();
        out.printf("%-24s %-22s %-7s %11s %11s %8s%n", "kernel", "shape", "agrees", "scalar ms", kernels.name() + " ms",
            "speedup");
        int failed = 0;
        for (final KernelSelfCheck.Result r : results)
        {
            out.printf("%-24s %-22s %-7s %11.3f %11.3f %7.1fx%n", r.kernel(), r.shape(), r.agrees() ? "yes" : "NO",
                r.scalarMillis(), r.candidateMillis(), r.speedup());
            failed += r.agrees() ? 0 : 1;
        }
        if (failed > 0)
        {
            out.printf("FAILED: %d of %d kernels disagree with the scalar oracle (seed %d)%n", failed, results.size(), seed);
            return 1;
        }
        out.printf("OK: all %d kernels agree with the scalar oracle%n", results.size());
        return 0;
    }
}
