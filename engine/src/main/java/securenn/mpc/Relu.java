package securenn.mpc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Algorithm 7: ReLU(a) = ReLU′(a)·a, one {@link DRelu} and one element-wise Beaver product (5·8 bytes per element). */
public final class Relu
{
    private Relu()
    {
    }

    /**
     * P0/P1: a (n shares) to out (n shares of ReLU(a)); {@code derivative}, if not null, receives the shares of
     * ReLU′(a) for backpropagation. P2: nulls.
     */
    public static void run(final Party p, final MemorySegment a, final MemorySegment out, final MemorySegment derivative,
        final long n)
    {
        if (p.role() == Role.P2)
        {
            DRelu.run(p, null, null, n);
            MatMul.hadamard(p, null, null, null, n);
            return;
        }
        try (Arena arena = p.scratch())
        {
            final MemorySegment bits = derivative != null ? derivative : Party.longs(arena, n);
            DRelu.run(p, a, bits, n);
            MatMul.hadamard(p, bits, a, out, n);
        }
    }
}
