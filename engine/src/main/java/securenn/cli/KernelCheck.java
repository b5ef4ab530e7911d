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
        out.printf("securenn kernel self-check: %s kernels (%d-bit vectors) vs scalar oracle, seed %d, %d cores%s%n",
            kernels.name(), kernels.vectorBits(), seed, Runtime.getRuntime().availableProcessors(),
            (kernels.gemm().choices().isEmpty() ? "" : "; " + kernels.gemm().choices())
                + (kernels.zp().choices().isEmpty() ? "" : "; " + kernels.zp().choices()));
        final List<KernelSelfCheck.Result> results = new KernelSelfCheck(kernels, seed).run();
        out.printf("%-24s %-22s %-7s %11s %11s %8s%n", "kernel", "shape", "agrees", "scalar ms", kernels.name() + " ms",
            "speedup");
        int failed = 0;
        int slower = 0;
        for (final KernelSelfCheck.Result r : results)
        {
            // a vector op slower than its scalar twin is the sign of a Vector API fallback to Java code on this CPU
            final boolean slow = r.speedup() < 0.9; // 10%: memory-bound ops run at the same speed either way
            out.printf("%-24s %-22s %-7s %11.3f %11.3f %7.1fx%s%n", r.kernel(), r.shape(), r.agrees() ? "yes" : "NO",
                r.scalarMillis(), r.candidateMillis(), r.speedup(), slow ? "  SLOWER THAN SCALAR" : "");
            failed += r.agrees() ? 0 : 1;
            slower += slow ? 1 : 0;
        }
        if (slower > 0)
        {
            out.printf("WARNING: %d of %d vector kernels are slower than their scalar twins on this CPU (a Vector API "
                + "operation without an instruction here runs as Java code); report the lines marked above%n", slower,
                results.size());
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
