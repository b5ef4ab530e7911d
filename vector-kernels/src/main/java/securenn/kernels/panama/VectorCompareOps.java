package securenn.kernels.panama;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import securenn.kernels.CompareOps;
import securenn.kernels.Ring;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Comparison bit ops with the Vector API. Per-word bit results come out of a lane-wise compare as a mask; eight
 * mask bits become eight output bytes through {@link BitsToBytes} (one 64-bit store). Decomposition turns each word
 * directly into a byte mask ({@code VectorMask.fromLong}) and stores 0/1 bytes with one blend per 64 bits.
 */
final class VectorCompareOps implements CompareOps
{
    private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final long STEP = (long)L * Long.BYTES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteVector ZEROS = ByteVector.zero(B);

    @Override
    public void extractBit(final MemorySegment a, final int bit, final MemorySegment outBits, final long n)
    {
        CompareOps.checkBits("extractBit", a, null, outBits, n, 1);
        CompareOps.checkBit(bit);
        final long single = 1L << bit;
        final long bound = groupBound(n);
        long i = 0;
        for (; i < bound; i += 8)
        {
            outBits.set(Ring.LONG, i, BitsToBytes.spread(bits8(a, i, single)));
        }
        for (; i < n; i++)
        {
            outBits.set(Ring.BYTE, i, (byte)((a.getAtIndex(Ring.LONG, i) >>> bit) & 1));
        }
    }

    /** Mask of "bit set" for the 8 words from index i (L lanes at a time, L ≤ 8 dividing 8). */
    private static long bits8(final MemorySegment a, final long i, final long single)
    {
        long mask = 0;
        for (int part = 0; part < 8; part += L)
        {
            final LongVector v = LongVector.fromMemorySegment(S, a, (i + part) * Long.BYTES, LE);
            mask |= v.and(single).compare(VectorOperators.NE, 0).toLong() << part;
        }
        return mask;
    }

    @Override
    public void decompose(final MemorySegment a, final MemorySegment outBits, final long n)
    {
        CompareOps.checkBits("decompose", a, null, outBits, n, Ring.BITS);
        final int lanes = B.length();
        for (long i = 0; i < n; i++)
        {
            final long v = a.getAtIndex(Ring.LONG, i);
            final long base = i * Ring.BITS;
            for (int part = 0; part < Ring.BITS; part += lanes)
            {
                final VectorMask<Byte> set = VectorMask.fromLong(B, v >>> part);
                ZEROS.blend((byte)1, set).intoMemorySegment(outBits, base + part, LE);
            }
        }
    }

    @Override
    public void wrap(final MemorySegment x, final MemorySegment y, final MemorySegment outBits, final long n)
    {
        CompareOps.checkBits("wrap", x, y, outBits, n, 1);
        final long bound = groupBound(n);
        long i = 0;
        for (; i < bound; i += 8)
        {
            long mask = 0;
            for (int part = 0; part < 8; part += L)
            {
                final long off = (i + part) * Long.BYTES;
                final LongVector xv = LongVector.fromMemorySegment(S, x, off, LE);
                final LongVector sum = xv.add(LongVector.fromMemorySegment(S, y, off, LE));
                mask |= sum.compare(VectorOperators.ULT, xv).toLong() << part;
            }
            outBits.set(Ring.LONG, i, BitsToBytes.spread(mask));
        }
        for (; i < n; i++)
        {
            final long xv = x.getAtIndex(Ring.LONG, i);
            outBits.set(Ring.BYTE, i, (byte)(Long.compareUnsigned(xv + y.getAtIndex(Ring.LONG, i), xv) < 0 ? 1 : 0));
        }
    }

    @Override
    public void addOdd(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        CompareOps.checkBits("addOdd", a, b, out, n, Long.BYTES);
        final long bound = S.loopBound(n) * Long.BYTES;
        long o = 0;
        for (; o < bound; o += STEP)
        {
            final LongVector av = LongVector.fromMemorySegment(S, a, o, LE);
            LongVector s = av.add(LongVector.fromMemorySegment(S, b, o, LE));
            s = s.add(1L, s.compare(VectorOperators.ULT, av));       // carry: 2^64 ≡ 1
            s = s.blend(0L, s.compare(VectorOperators.EQ, -1L));     // 2^64 − 1 ≡ 0
            s.intoMemorySegment(out, o, LE);
        }
        for (long i = o / Long.BYTES; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, CompareOps.addOdd(a.getAtIndex(Ring.LONG, i), b.getAtIndex(Ring.LONG, i)));
        }
    }

    @Override
    public void subOdd(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        CompareOps.checkBits("subOdd", a, b, out, n, Long.BYTES);
        final long bound = S.loopBound(n) * Long.BYTES;
        long o = 0;
        for (; o < bound; o += STEP)
        {
            final LongVector av = LongVector.fromMemorySegment(S, a, o, LE);
            final LongVector bv = LongVector.fromMemorySegment(S, b, o, LE);
            av.sub(bv).sub(1L, av.compare(VectorOperators.ULT, bv)).intoMemorySegment(out, o, LE);
        }
        for (long i = o / Long.BYTES; i < n; i++)
        {
            out.setAtIndex(Ring.LONG, i, CompareOps.subOdd(a.getAtIndex(Ring.LONG, i), b.getAtIndex(Ring.LONG, i)));
        }
    }

    private static long groupBound(final long n)
    {
        return L <= 8 && 8 % L == 0 ? n & ~7L : 0;
    }
}
