package securenn.mpc;

import securenn.kernels.Ring;
import securenn.kernels.random.AesCtrPrg;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The fixed-point twin's view of {@link Truncation#assisted}: it draws the same masks from the same two streams
 * P2 holds (P2's {@link Randomness}) and adds the same one-ulp carries, so that twin and secure training agree bit
 * for bit, call after call, as long as both truncate the same sizes in the same order. For tests and equivalence runs
 * with seeded keys; a deployment's P2 keys never leave P2.
 */
public final class TruncationReplay
{
    private final AesCtrPrg zero;
    private final AesCtrPrg one;

    /** @param dealer P2's randomness (it holds the truncation streams of both pairs) */
    public TruncationReplay(final Randomness dealer)
    {
        this.zero = dealer.truncationWith(Role.P0);
        this.one = dealer.truncationWith(Role.P1);
    }

    /** The replay of a session whose keys came from {@link Randomness#seededForTwinChecks} with this seed. */
    public static TruncationReplay fromSeed(final long seed)
    {
        return new TruncationReplay(Randomness.seededForTwinChecks(Role.P2, seed));
    }

    /** out = ⌊x/2^d⌋ + the carry the secure protocol would add; in place allowed. */
    public void truncate(final MemorySegment x, final MemorySegment out, final int d, final long n)
    {
        if (Truncation.trivial(x, out, d, n))
        {
            return;
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment r0 = Party.randomLongs(arena, zero, 3 * n);
            final MemorySegment r1 = Party.randomLongs(arena, one, n);
            final long mask = (1L << d) - 1;
            for (long i = 0; i < n; i++)
            {
                final long v = x.getAtIndex(Ring.LONG, i);
                final long r = (r0.getAtIndex(Ring.LONG, i) + r1.getAtIndex(Ring.LONG, i)) & mask;
                out.setAtIndex(Ring.LONG, i, (v >> d) + (((v & mask) + r) >>> d));
            }
        }
    }
}
