package securenn.kernels.scalar;

import securenn.kernels.CompareOps;
import securenn.kernels.Ring;

import java.lang.foreign.MemorySegment;

/** Bit extraction, decomposition, wrap detection and Z_{2^64−1} arithmetic, one element per iteration. */
public final class ScalarCompareOps implements CompareOps
{
    @Override
    public void extractBit(final MemorySegment a, final int bit, final MemorySegment outBits, final long n)
    {
        CompareOps.checkBits("extractBit", a, null, outBits, n, 1);
        CompareOps.checkBit(bit);
        for (long i = 0; i < n; i++)
        {
            outBits.set(Ring.BYTE, i, (byte)((a.getAtIndex(Ring.LONG, i) >>> bit) & 1));
        }
    }

    @Override
    public void decompose(final MemorySegment a, final MemorySegment outBits, final long n)
    {
        CompareOps.checkBits("decompose", a, null, outBits, n, Ring.BITS);
        for (long i = 0; i < n; i++)
        {
            final long v = a.getAtIndex(Ring.LONG, i);
            for (int j = 0; j < Ring.BITS; j++)
            {
                outBits.set(Ring.BYTE, i * Ring.BITS + j, (byte)((v >>> j) & 1));
            }
        }
    }

    @Override
    public void wrap(final MemorySegment x, final MemorySegment y, final MemorySegment outBits, final long n)
    {
        CompareOps.checkBits("wrap", x, y, outBits, n, 1);
        for (long i = 0; i < n; i++)
        {
            final long xv = x.getAtIndex(Ring.LONG, i);
            final long s = xv + y.getAtIndex(Ring.LONG, i);
            outBits.set(Ring.BYTE, i, (byte)(Long.compareUnsigned(s, xv) < 0 ? 1 : 0));
        }
    }

    @Override
    public void addOdd(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        CompareOps.checkBits("addOdd", a, b, out, n, Long.BYTES);
        for (long i = 0; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, CompareOps.addOdd(a.getAtIndex(Ring.LONG, i), b.getAtIndex(Ring.LONG, i)));
        }
    }

    @Override
    public void subOdd(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        CompareOps.checkBits("subOdd", a, b, out, n, Long.BYTES);
        for (long i = 0; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, CompareOps.subOdd(a.getAtIndex(Ring.LONG, i), b.getAtIndex(Ring.LONG, i)));
        }
    }
}
