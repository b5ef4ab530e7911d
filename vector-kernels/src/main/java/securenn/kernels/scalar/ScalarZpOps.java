package securenn.kernels.scalar;

import securenn.kernels.Ring;
import securenn.kernels.ZpOps;

import java.lang.foreign.MemorySegment;

/** Z_67 arithmetic and PrivateCompare's local steps, one byte per iteration. */
public final class ScalarZpOps implements ZpOps
{
    @Override
    public void add(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        ZpOps.check("zp add", a, b, out, n);
        for (long i = 0; i < n; i++)
        {
            out.set(Ring.BYTE, i, (byte)ZpOps.add(a.get(Ring.BYTE, i), b.get(Ring.BYTE, i)));
        }
    }

    @Override
    public void sub(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        ZpOps.check("zp sub", a, b, out, n);
        for (long i = 0; i < n; i++)
        {
            out.set(Ring.BYTE, i, (byte)ZpOps.sub(a.get(Ring.BYTE, i), b.get(Ring.BYTE, i)));
        }
    }

    @Override
    public void mul(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        ZpOps.check("zp mul", a, b, out, n);
        for (long i = 0; i < n; i++)
        {
            out.set(Ring.BYTE, i, (byte)(a.get(Ring.BYTE, i) * b.get(Ring.BYTE, i) % Ring.P));
        }
    }

    @Override
    public void privateCompareVector(final MemorySegment xBits, final MemorySegment comparand, final MemorySegment beta,
        final int party, final MemorySegment out, final long n)
    {
        ZpOps.checkCompare(xBits, comparand, beta, party, out, n);
        for (long e = 0; e < n; e++)
        {
            final long t = comparand.getAtIndex(Ring.LONG, e);
            final boolean flip = beta.get(Ring.BYTE, e) != 0;
            int suffix = 0; // Σ_{k>i} w[k]
            for (int i = Ring.BITS - 1; i >= 0; i--)
            {
                final long at = e * Ring.BITS + i;
                final int x = xBits.get(Ring.BYTE, at);
                final int tBit = (int)((t >>> i) & 1);
                int d = ZpOps.sub(party * tBit, x);
                if (flip)
                {
                    d = ZpOps.sub(0, d);
                }
                out.set(Ring.BYTE, at, (byte)ZpOps.add(ZpOps.add(d, party), suffix));
                final int w = tBit == 0 ? x : ZpOps.sub(party, x);
                suffix = ZpOps.add(suffix, w);
            }
        }
    }

    @Override
    public void containsZero(final MemorySegment d, final MemorySegment out, final long n)
    {
        ZpOps.check("containsZero", out, null, out, n);
        ZpOps.check("containsZero", d, null, d, Math.multiplyExact(n, Ring.BITS));
        for (long e = 0; e < n; e++)
        {
            byte found = 0;
            for (int i = 0; i < Ring.BITS; i++)
            {
                if (d.get(Ring.BYTE, e * Ring.BITS + i) == 0)
                {
                    found = 1;
                }
            }
            out.set(Ring.BYTE, e, found);
        }
    }

    @Override
    public void permuteGroups(final MemorySegment in, final MemorySegment perm, final MemorySegment out, final long n)
    {
        ZpOps.checkGroups("permuteGroups", in, perm, Ring.BITS, out, n);
        for (long e = 0; e < n; e++)
        {
            final long base = e * Ring.BITS;
            for (int i = 0; i < Ring.BITS; i++)
            {
                final int src = perm.get(Ring.BYTE, base + i);
                if (src < 0 || src >= Ring.BITS)
                {
                    throw new IllegalArgumentException("perm[" + (base + i) + "] = " + src + " is not in [0, 63]");
                }
                out.set(Ring.BYTE, base + i, in.get(Ring.BYTE, base + src));
            }
        }
    }

    @Override
    public void rotateGroups(final MemorySegment in, final MemorySegment shifts, final MemorySegment out, final long n)
    {
        ZpOps.checkGroups("rotateGroups", in, shifts, 1, out, n);
        for (long e = 0; e < n; e++)
        {
            final int shift = shifts.get(Ring.BYTE, e) & (Ring.BITS - 1);
            final long base = e * Ring.BITS;
            for (int i = 0; i < Ring.BITS; i++)
            {
                out.set(Ring.BYTE, base + i, in.get(Ring.BYTE, base + ((i + shift) & (Ring.BITS - 1))));
            }
        }
    }

    @Override
    public int residues(final MemorySegment random, final int count, final MemorySegment out, final int cap,
        final boolean nonZero)
    {
        ZpOps.check("residues", random, null, random, count);
        securenn.kernels.KernelChecks.requireBytes("out", out, cap + 64L, "residues with cap " + cap);
        int k = 0;
        for (int i = 0; i < count && k < cap; i++)
        {
            final int v = ZpOps.residue(random.get(Ring.BYTE, i) & 0xFF, nonZero);
            if (v >= 0)
            {
                out.set(Ring.BYTE, k++, (byte)v);
            }
        }
        return k;
    }
}
