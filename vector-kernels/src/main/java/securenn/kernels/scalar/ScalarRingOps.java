package securenn.kernels.scalar;

import securenn.kernels.Ring;
import securenn.kernels.RingOps;

import java.lang.foreign.MemorySegment;

/** Element-wise Z_{2^64} arithmetic, one element per iteration. */
public final class ScalarRingOps implements RingOps
{
    @Override
    public void add(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        RingOps.check("add", a, b, out, n);
        for (long i = 0; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, a.getAtIndex(Ring.LONG, i) + b.getAtIndex(Ring.LONG, i));
        }
    }

    @Override
    public void sub(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        RingOps.check("sub", a, b, out, n);
        for (long i = 0; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, a.getAtIndex(Ring.LONG, i) - b.getAtIndex(Ring.LONG, i));
        }
    }

    @Override
    public void neg(final MemorySegment a, final MemorySegment out, final long n)
    {
        RingOps.check("neg", a, null, out, n);
        for (long i = 0; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, -a.getAtIndex(Ring.LONG, i));
        }
    }

    @Override
    public void mul(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        RingOps.check("mul", a, b, out, n);
        for (long i = 0; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, a.getAtIndex(Ring.LONG, i) * b.getAtIndex(Ring.LONG, i));
        }
    }

    @Override
    public void mulScalar(final MemorySegment a, final long scalar, final MemorySegment out, final long n)
    {
        RingOps.check("mulScalar", a, null, out, n);
        for (long i = 0; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, a.getAtIndex(Ring.LONG, i) * scalar);
        }
    }

    @Override
    public void addScalar(final MemorySegment a, final long scalar, final MemorySegment out, final long n)
    {
        RingOps.check("addScalar", a, null, out, n);
        for (long i = 0; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, a.getAtIndex(Ring.LONG, i) + scalar);
        }
    }

    @Override
    public void shiftRight(final MemorySegment a, final int d, final MemorySegment out, final long n)
    {
        RingOps.check("shiftRight", a, null, out, n);
        RingOps.checkShift(d);
        for (long i = 0; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, a.getAtIndex(Ring.LONG, i) >> d);
        }
    }

    @Override
    public void truncateShare(final MemorySegment a, final int d, final boolean partyOne, final MemorySegment out, final long n)
    {
        RingOps.check("truncateShare", a, null, out, n);
        RingOps.checkShift(d);
        for (long i = 0; i < n; i++)
        {
            final long v = a.getAtIndex(Ring.LONG, i);
            out.setAtIndex(Ring.LONG, i, partyOne ? -((-v) >> d) : v >> d);
        }
    }
}
