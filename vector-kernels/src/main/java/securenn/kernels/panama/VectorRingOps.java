package securenn.kernels.panama;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import securenn.kernels.Ring;
import securenn.kernels.RingOps;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Element-wise Z_{2^64} arithmetic with the Vector API. Each op is the house shape: a vector body up to
 * {@code loopBound(n)}, then a scalar tail. These ops are memory-bound; the vector form mainly guarantees that
 * the 64-bit multiply and the shifts are issued eight lanes at a time whatever the JIT's auto-vectoriser decides.
 */
final class VectorRingOps implements RingOps
{
    private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final long STEP = (long)L * Long.BYTES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public void add(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        RingOps.check("add", a, b, out, n);
        final long bound = S.loopBound(n) * Long.BYTES;
        long o = 0;
        for (; o < bound; o += STEP)
        {
            load(a, o).add(load(b, o)).intoMemorySegment(out, o, LE);
        }
        for (long i = o / Long.BYTES; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, a.getAtIndex(Ring.LONG, i) + b.getAtIndex(Ring.LONG, i));
        }
    }

    @Override
    public void sub(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        RingOps.check("sub", a, b, out, n);
        final long bound = S.loopBound(n) * Long.BYTES;
        long o = 0;
        for (; o < bound; o += STEP)
        {
            load(a, o).sub(load(b, o)).intoMemorySegment(out, o, LE);
        }
        for (long i = o / Long.BYTES; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, a.getAtIndex(Ring.LONG, i) - b.getAtIndex(Ring.LONG, i));
        }
    }

    @Override
    public void neg(final MemorySegment a, final MemorySegment out, final long n)
    {
        RingOps.check("neg", a, null, out, n);
        final long bound = S.loopBound(n) * Long.BYTES;
        long o = 0;
        for (; o < bound; o += STEP)
        {
            load(a, o).neg().intoMemorySegment(out, o, LE);
        }
        for (long i = o / Long.BYTES; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, -a.getAtIndex(Ring.LONG, i));
        }
    }

    @Override
    public void mul(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        RingOps.check("mul", a, b, out, n);
        final long bound = S.loopBound(n) * Long.BYTES;
        long o = 0;
        for (; o < bound; o += STEP)
        {
            load(a, o).mul(load(b, o)).intoMemorySegment(out, o, LE);
        }
        for (long i = o / Long.BYTES; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, a.getAtIndex(Ring.LONG, i) * b.getAtIndex(Ring.LONG, i));
        }
    }

    @Override
    public void mulScalar(final MemorySegment a, final long scalar, final MemorySegment out, final long n)
    {
        RingOps.check("mulScalar", a, null, out, n);
        final LongVector s = LongVector.broadcast(S, scalar);
        final long bound = S.loopBound(n) * Long.BYTES;
        long o = 0;
        for (; o < bound; o += STEP)
        {
            load(a, o).mul(s).intoMemorySegment(out, o, LE);
        }
        for (long i = o / Long.BYTES; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, a.getAtIndex(Ring.LONG, i) * scalar);
        }
    }

    @Override
    public void addScalar(final MemorySegment a, final long scalar, final MemorySegment out, final long n)
    {
        RingOps.check("addScalar", a, null, out, n);
        final LongVector s = LongVector.broadcast(S, scalar);
        final long bound = S.loopBound(n) * Long.BYTES;
        long o = 0;
        for (; o < bound; o += STEP)
        {
            load(a, o).add(s).intoMemorySegment(out, o, LE);
        }
        for (long i = o / Long.BYTES; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, a.getAtIndex(Ring.LONG, i) + scalar);
        }
    }

    @Override
    public void shiftRight(final MemorySegment a, final int d, final MemorySegment out, final long n)
    {
        RingOps.check("shiftRight", a, null, out, n);
        RingOps.checkShift(d);
        final long bound = S.loopBound(n) * Long.BYTES;
        long o = 0;
        for (; o < bound; o += STEP)
        {
            load(a, o).lanewise(VectorOperators.ASHR, d).intoMemorySegment(out, o, LE);
        }
        for (long i = o / Long.BYTES; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, a.getAtIndex(Ring.LONG, i) >> d);
        }
    }

    @Override
    public void truncateShare(final MemorySegment a, final int d, final boolean partyOne, final MemorySegment out, final long n)
    {
        RingOps.check("truncateShare", a, null, out, n);
        RingOps.checkShift(d);
        if (!partyOne)
        {
            shiftRight(a, d, out, n);
            return;
        }
        final long bound = S.loopBound(n) * Long.BYTES;
        long o = 0;
        for (; o < bound; o += STEP)
        {
            load(a, o).neg().lanewise(VectorOperators.ASHR, d).neg().intoMemorySegment(out, o, LE);
        }
        for (long i = o / Long.BYTES; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, -((-a.getAtIndex(Ring.LONG, i)) >> d));
        }
    }

    private static LongVector load(final MemorySegment s, final long offset)
    {
        return LongVector.fromMemorySegment(S, s, offset, LE);
    }
}
