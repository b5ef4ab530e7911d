package securenn.mpc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Algorithm 2: shares of (1 − α)·x + α·y = x + α·(y − x) for a shared bit α, with one element-wise Beaver product.
 * One round; 5·8 bytes per element (2 each way between P0 and P1, 1 from P2).
 */
public final class SelectShare
{
    private SelectShare()
    {
    }

    /** out = α ? y : x, element-wise over n; P2 passes nulls. {@code out} may be x or y. */
    public static void select(final Party p, final MemorySegment alpha, final MemorySegment x, final MemorySegment y,
        final MemorySegment out, final long n)
    {
        if (p.role() == Role.P2)
        {
            MatMul.hadamard(p, null, null, null, n);
            return;
        }
        try (Arena arena = p.scratch())
        {
            final MemorySegment diff = Party.longs(arena, n);
            p.kernels().ring().sub(y, x, diff, n);
            final MemorySegment chosen = Party.longs(arena, n);
            MatMul.hadamard(p, alpha, diff, chosen, n);
            p.kernels().ring().add(x, chosen, out, n);
        }
    }
}
