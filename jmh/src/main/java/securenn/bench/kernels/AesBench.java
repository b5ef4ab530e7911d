package securenn.bench.kernels;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import securenn.kernels.random.AesCtrPrg;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** AES-CTR pseudorandom fill of a 16 MiB off-heap segment (the source of shares, masks and triples). */
@State(Scope.Benchmark)
public class AesBench
{
    public static final long BYTES = 1L << 24;

    private Arena arena;
    private MemorySegment out;
    private AesCtrPrg prg;

    @Setup(Level.Trial)
    public void setUp()
    {
        arena = Arena.ofShared();
        out = arena.allocate(BYTES, 64);
        prg = new AesCtrPrg(new byte[16], 1);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        arena.close();
    }

    @Benchmark
    public MemorySegment fill()
    {
        prg.fill(out);
        return out;
    }
}
