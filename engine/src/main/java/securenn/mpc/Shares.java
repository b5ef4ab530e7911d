package securenn.mpc;

import securenn.kernels.CompareOps;
import securenn.kernels.Ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Splitting and reconstructing additive shares (data owners, tests), and P2's share-dealing helpers. */
public final class Shares
{
    private Shares()
    {
    }

    /** P1's share over Z_{L−1} of bits b (one per byte), given P0's share s0: b − s0. */
    static MemorySegment oddShareForP1(final Arena arena, final MemorySegment bits, final MemorySegment s0, final long n)
    {
        final MemorySegment out = Party.longs(arena, n);
        for (long i = 0; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, CompareOps.subOdd(bits.get(Ring.BYTE, i), s0.getAtIndex(Ring.LONG, i)));
        }
        return out;
    }

    /** P1's share over Z_L of bits b (one per byte), given P0's share s0: b − s0. */
    static MemorySegment ringShareForP1(final Arena arena, final MemorySegment bits, final MemorySegment s0, final long n)
    {
        final MemorySegment out = Party.longs(arena, n);
        for (long i = 0; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, bits.get(Ring.BYTE, i) - s0.getAtIndex(Ring.LONG, i));
        }
        return out;
    }

    /**
     * Splits plaintext values into two additive shares over Z_L: share0 the splitter's masks (uniform), share1 = x −
     * share0. {@code share0} may not overlap {@code x}; {@code share1} may be {@code x} itself.
     */
    public static void split(final MemorySegment x, final MemorySegment share0, final MemorySegment share1, final long n,
        final SecretSplitter splitter)
    {
        splitter.masks(share0, n);
        for (long i = 0; i < n; i++)
        {
            share1.setAtIndex(Ring.LONG, i, x.getAtIndex(Ring.LONG, i) - share0.getAtIndex(Ring.LONG, i));
        }
    }

    /** x = share0 + share1 over Z_L. */
    public static void reconstruct(final MemorySegment share0, final MemorySegment share1, final MemorySegment x,
        final long n)
    {
        for (long i = 0; i < n; i++)
        {
            x.setAtIndex(Ring.LONG, i, share0.getAtIndex(Ring.LONG, i) + share1.getAtIndex(Ring.LONG, i));
        }
    }
}
