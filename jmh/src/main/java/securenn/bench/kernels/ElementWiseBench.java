package securenn.bench.kernels;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import securenn.kernels.Kernels;
import securenn.kernels.RingOps;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Element-wise ring ops over 16M longs (128 MiB per operand) beside {@code copy}, a plain {@code MemorySegment.copy}
 * of one operand: the memory-bandwidth yardstick. Binary ops move 3 × 128 MiB, unary ops and copy 2 × 128 MiB.
 */
@State(Scope.Benchmark)
public class ElementWiseBench
{
    public static final int N = 1 << 24;

    @Param({"scalar", "vector"})
    public String impl;

    private Arena arena;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment out;
    private RingOps ops;

    @Setup(Level.Trial)
    public void setUp()
    {
        ops = impl.equals("scalar") ? Kernels.scalar().ring() : Kernels.vector().ring();
        arena = Arena.ofShared();
        a = BenchData.random(arena, N, 1);
        b = BenchData.random(arena, N, 2);
        out = arena.allocate((long)N * Long.BYTES, 64);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        arena.close();
    }

    @Benchmark
    public MemorySegment copy()
    {
        MemorySegment.copy(a, 0, out, 0, (long)N * Long.BYTES);
        return out;
    }

    @Benchmark
    public MemorySegment add()
    {
        ops.add(a, b, out, N);
        return out;
    }

    @Benchmark
    public MemorySegment mul()
    {
        ops.mul(a, b, out, N);
        return out;
    }

    @Benchmark
    public MemorySegment mulScalar()
    {
        ops.mulScalar(a, 0x9E3779B97F4A7C15L, out, N);
        return out;
    }

    @Benchmark
    public MemorySegment truncateShareP1()
    {
        ops.truncateShare(a, 13, true, out, N);
        return out;
    }
}
