package securenn.bench.kernels;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import securenn.kernels.Kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The comparison kernels at the sizes of one DReLU over a 128×128 layer ({@value #WORDS} values): bit
 * decomposition into 64 bit-bytes, wrap detection, the PrivateCompare vector and Z_67 products over 64 bytes each.
 */
@State(Scope.Benchmark)
public class CompareBench
{
    public static final int WORDS = 1 << 14;

    @Param({"scalar", "vector"})
    public String impl;

    private Arena arena;
    private Kernels kernels;
    private MemorySegment x;
    private MemorySegment y;
    private MemorySegment bits;
    private MemorySegment zp;
    private MemorySegment zq;
    private MemorySegment beta;
    private MemorySegment out;

    @Setup(Level.Trial)
    public void setUp()
    {
        kernels = impl.equals("scalar") ? Kernels.scalar() : Kernels.vector();
        arena = Arena.ofShared();
        x = BenchData.random(arena, WORDS, 1);
        y = BenchData.random(arena, WORDS, 2);
        bits = arena.allocate(WORDS * 64L, 64);
        zp = BenchData.randomZp(arena, WORDS * 64L, 3);
        zq = BenchData.randomZp(arena, WORDS * 64L, 4);
        beta = arena.allocate(WORDS, 64);
        out = arena.allocate(WORDS * 64L, 64);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        arena.close();
    }

    @Benchmark
    public MemorySegment decompose()
    {
        kernels.compare().decompose(x, bits, WORDS);
        return bits;
    }

    @Benchmark
    public MemorySegment wrap()
    {
        kernels.compare().wrap(x, y, out, WORDS);
        return out;
    }

    @Benchmark
    public MemorySegment privateCompareVector()
    {
        kernels.zp().privateCompareVector(zp, x, beta, 1, out, WORDS);
        return out;
    }

    @Benchmark
    public MemorySegment zpMul()
    {
        kernels.zp().mul(zp, zq, out, WORDS * 64L);
        return out;
    }
}
