package securenn.bench.kernels;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import securenn.kernels.Gemm;
import securenn.kernels.Kernels;
import securenn.kernels.Transpose;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Mod-2^64 GEMM at the shapes networks A–D use: the scalar triple loop beside the vector kernel on 1 and 2 threads,
 * and both vector micro-kernels forced (64-bit lane multiply, 32-bit halves) on 1 thread: what the choice is made from.
 * Shapes are m×k·k×n; 73728×25·25×20 is network B's first convolution as im2col at batch 128 (row-major).
 */
@State(Scope.Benchmark)
public class GemmBench
{
    @Param({"128x784x128", "128x128x128", "128x800x500", "8192x500x50", "73728x25x20", "1x784x128", "1024x1024x1024"})
    public String shape;

    /** vector: this CPU's choice ({@code Kernels.vector()}); lanes64/halves32: the micro-kernel forced, 1 thread. */
    @Param({"scalar", "vector-1t", "vector-2t", "lanes64-1t", "halves32-1t"})
    public String impl;

    private Arena arena;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment c;
    private Gemm gemm;
    private int m;
    private int k;
    private int n;
    private int threads;

    @Setup(Level.Trial)
    public void setUp()
    {
        final int[] dims = BenchData.dims(shape);
        m = dims[0];
        k = dims[1];
        n = dims[2];
        gemm = switch (impl)
        {
            case "scalar" -> Kernels.scalar().gemm();
            case "lanes64-1t" -> Kernels.vectorGemm(true);
            case "halves32-1t" -> Kernels.vectorGemm(false);
            default -> Kernels.vector().gemm();
        };
        threads = impl.endsWith("2t") ? 2 : 1;
        arena = Arena.ofShared();
        a = BenchData.random(arena, (long)m * k, 1);
        b = BenchData.random(arena, (long)k * n, 2);
        c = arena.allocate((long)m * n * Long.BYTES, 64);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        arena.close();
    }

    @Benchmark
    public MemorySegment multiply()
    {
        gemm.multiply(a, Transpose.NO, b, Transpose.NO, c, m, k, n, false, threads);
        return c;
    }
}
