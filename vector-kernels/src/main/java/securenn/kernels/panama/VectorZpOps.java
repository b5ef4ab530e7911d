package securenn.kernels.panama;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import securenn.kernels.Ring;
import securenn.kernels.ZpOps;
import securenn.kernels.scalar.ScalarZpOps;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Z_67 arithmetic on byte lanes. Values stay reduced in [0, 67) so a sum fits an unsigned byte and a difference a
 * signed one; an unsigned minimum reduces. Products are computed on the bytes viewed as shorts (even and odd bytes
 * separately) and reduce without division: {@code x = 256h + l ≡ 55h + l}, then {@code y = 64q + r ≡ r − 3q}
 * (mod 67), then one conditional +67.
 *
 * <p>PrivateCompare's vector takes one comparison per 512-bit byte vector — its 64 lanes are exactly the 64 bit
 * positions — so the suffix sum Σ_{k&gt;i} w[k] is an in-register scan of six shifted adds. The lane shifts are
 * {@code rearrange} with constant shuffles and zeroing masks built once: {@code slice(origin, zero)} computes its
 * shuffle on every call and measured 12× slower. On machines without 64 byte lanes the ops that need whole groups
 * use the scalar twin.
 */
final class VectorZpOps implements ZpOps
{
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
    private static final boolean GROUP_LANES = B.length() == Ring.BITS;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final byte P = (byte)Ring.P;
    private static final ByteVector ZERO = ByteVector.zero(B);
    private static final ByteVector IOTA = iota();
    // Lane shifts as static final constants: C2 folds them only from static final fields.
    private static final VectorShuffle<Byte> DOWN_1 = downShuffle(1);
    private static final VectorShuffle<Byte> DOWN_2 = downShuffle(2);
    private static final VectorShuffle<Byte> DOWN_4 = downShuffle(4);
    private static final VectorShuffle<Byte> DOWN_8 = downShuffle(8);
    private static final VectorShuffle<Byte> DOWN_16 = downShuffle(16);
    private static final VectorShuffle<Byte> DOWN_32 = downShuffle(32);
    private static final VectorMask<Byte> KEEP_1 = downMask(1);
    private static final VectorMask<Byte> KEEP_2 = downMask(2);
    private static final VectorMask<Byte> KEEP_4 = downMask(4);
    private static final VectorMask<Byte> KEEP_8 = downMask(8);
    private static final VectorMask<Byte> KEEP_16 = downMask(16);
    private static final VectorMask<Byte> KEEP_32 = downMask(32);

    private final ScalarZpOps scalar = new ScalarZpOps();
    /** Whether {@link #residues} compacts accepted lanes with a vector compress (see {@link CpuFeatures#byteCompress}). */
    private final boolean byteCompress;

    /** @param byteCompress true: compact with {@code ByteVector.compress}; false: by the accept mask's bits, in place */
    VectorZpOps(final boolean byteCompress)
    {
        this.byteCompress = byteCompress;
    }

    @Override
    public String choices()
    {
        return "Z_67 sampling compacts with " + (byteCompress ? "vector byte compress (vpcompressb)"
            : "the accept mask's bits (no vpcompressb on this CPU: the Vector API would run Java code)");
    }

    @Override
    public void add(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        ZpOps.check("zp add", a, b, out, n);
        final long bound = B.loopBound(n);
        long i = 0;
        for (; i < bound; i += B.length())
        {
            addMod(ByteVector.fromMemorySegment(B, a, i, LE), ByteVector.fromMemorySegment(B, b, i, LE))
                .intoMemorySegment(out, i, LE);
        }
        for (; i < n; i++)
        {
            out.set(Ring.BYTE, i, (byte)ZpOps.add(a.get(Ring.BYTE, i), b.get(Ring.BYTE, i)));
        }
    }

    @Override
    public void sub(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        ZpOps.check("zp sub", a, b, out, n);
        final long bound = B.loopBound(n);
        long i = 0;
        for (; i < bound; i += B.length())
        {
            subMod(ByteVector.fromMemorySegment(B, a, i, LE), ByteVector.fromMemorySegment(B, b, i, LE))
                .intoMemorySegment(out, i, LE);
        }
        for (; i < n; i++)
        {
            out.set(Ring.BYTE, i, (byte)ZpOps.sub(a.get(Ring.BYTE, i), b.get(Ring.BYTE, i)));
        }
    }

    @Override
    public void mul(final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        ZpOps.check("zp mul", a, b, out, n);
        final long bound = B.loopBound(n);
        long i = 0;
        for (; i < bound; i += B.length())
        {
            mulMod(ByteVector.fromMemorySegment(B, a, i, LE), ByteVector.fromMemorySegment(B, b, i, LE))
                .intoMemorySegment(out, i, LE);
        }
        for (; i < n; i++)
        {
            out.set(Ring.BYTE, i, (byte)(a.get(Ring.BYTE, i) * b.get(Ring.BYTE, i) % Ring.P));
        }
    }

    @Override
    public void privateCompareVector(final MemorySegment xBits, final MemorySegment comparand, final MemorySegment beta,
        final int party, final MemorySegment out, final long n)
    {
        if (!GROUP_LANES)
        {
            scalar.privateCompareVector(xBits, comparand, beta, party, out, n);
            return;
        }
        ZpOps.checkCompare(xBits, comparand, beta, party, out, n);
        final ByteVector j = ByteVector.broadcast(B, (byte)party);
        for (long e = 0; e < n; e++)
        {
            final long base = e * Ring.BITS;
            final ByteVector x = ByteVector.fromMemorySegment(B, xBits, base, LE);
            final VectorMask<Byte> t = VectorMask.fromLong(B, comparand.getAtIndex(Ring.LONG, e));
            ByteVector d = subMod(ZERO.blend(j, t), x);                 // j·t[i] − x[i]
            if (beta.get(Ring.BYTE, e) != 0)
            {
                d = subMod(ZERO, d);
            }
            final ByteVector w = x.blend(subMod(j, x), t);              // share of x[i] ⊕ t[i]
            ByteVector s = w.rearrange(DOWN_1, KEEP_1);                 // lane i ← w[i + 1]
            s = addMod(s, s.rearrange(DOWN_1, KEEP_1));
            s = addMod(s, s.rearrange(DOWN_2, KEEP_2));
            s = addMod(s, s.rearrange(DOWN_4, KEEP_4));
            s = addMod(s, s.rearrange(DOWN_8, KEEP_8));
            s = addMod(s, s.rearrange(DOWN_16, KEEP_16));
            s = addMod(s, s.rearrange(DOWN_32, KEEP_32));               // lane i = Σ_{k>i} w[k]
            addMod(addMod(d, j), s).intoMemorySegment(out, base, LE);
        }
    }

    /**
     * a·b mod 67 for values in [0, 67), without widening conversions (a profile of secure training showed them in
     * the Vector API's Java fallback): the bytes viewed as shorts give the even bytes (low halves) and the odd bytes
     * (high halves) as two short products below 67² = 4489, each reduced without division, then recombined.
     */
    private static ByteVector mulMod(final ByteVector a, final ByteVector b)
    {
        final ShortVector x = a.reinterpretAsShorts();
        final ShortVector y = b.reinterpretAsShorts();
        final ShortVector low = reduceProduct(x.and((short)0xFF).mul(y.and((short)0xFF)));
        final ShortVector high = reduceProduct(x.lanewise(VectorOperators.LSHR, 8).mul(y.lanewise(VectorOperators.LSHR, 8)));
        return low.or(high.lanewise(VectorOperators.LSHL, 8)).reinterpretAsBytes();
    }

    /** x mod 67 for 0 ≤ x &lt; 4489, in short lanes. */
    private static ShortVector reduceProduct(final ShortVector x)
    {
        final ShortVector y = x.lanewise(VectorOperators.LSHR, 8).mul((short)55).add(x.and((short)0xFF));
        final ShortVector z = y.and((short)63).sub(y.lanewise(VectorOperators.LSHR, 6).mul((short)3));
        return z.lanewise(VectorOperators.UMIN, z.add((short)Ring.P));
    }

    @Override
    public void containsZero(final MemorySegment d, final MemorySegment out, final long n)
    {
        if (!GROUP_LANES)
        {
            scalar.containsZero(d, out, n);
            return;
        }
        ZpOps.check("containsZero", out, null, out, n);
        ZpOps.check("containsZero", d, null, d, Math.multiplyExact(n, Ring.BITS));
        for (long e = 0; e < n; e++)
        {
            final boolean zero = ByteVector.fromMemorySegment(B, d, e * Ring.BITS, LE).compare(VectorOperators.EQ, 0).anyTrue();
            out.set(Ring.BYTE, e, (byte)(zero ? 1 : 0));
        }
    }

    @Override
    public void permuteGroups(final MemorySegment in, final MemorySegment perm, final MemorySegment out, final long n)
    {
        if (!GROUP_LANES)
        {
            scalar.permuteGroups(in, perm, out, n);
            return;
        }
        ZpOps.checkGroups("permuteGroups", in, perm, Ring.BITS, out, n);
        for (long e = 0; e < n; e++)
        {
            final long base = e * Ring.BITS;
            final ByteVector idx = ByteVector.fromMemorySegment(B, perm, base, LE);
            if (idx.compare(VectorOperators.UGE, (byte)Ring.BITS).anyTrue())
            {
                throw new IllegalArgumentException("perm group " + e + " holds an index outside [0, 63]");
            }
            idx.selectFrom(ByteVector.fromMemorySegment(B, in, base, LE)).intoMemorySegment(out, base, LE);
        }
    }

    @Override
    public void rotateGroups(final MemorySegment in, final MemorySegment shifts, final MemorySegment out, final long n)
    {
        if (!GROUP_LANES)
        {
            scalar.rotateGroups(in, shifts, out, n);
            return;
        }
        ZpOps.checkGroups("rotateGroups", in, shifts, 1, out, n);
        for (long e = 0; e < n; e++)
        {
            final long base = e * Ring.BITS;
            final ByteVector idx = IOTA.add(shifts.get(Ring.BYTE, e)).and((byte)(Ring.BITS - 1));
            idx.selectFrom(ByteVector.fromMemorySegment(B, in, base, LE)).intoMemorySegment(out, base, LE);
        }
    }

    @Override
    public int residues(final MemorySegment random, final int count, final MemorySegment out, final int cap,
        final boolean nonZero)
    {
        ZpOps.check("residues", random, null, random, count);
        securenn.kernels.KernelChecks.requireBytes("out", out, cap + 64L, "residues with cap " + cap);
        final int lanes = B.length();
        final byte limit = (byte)(nonZero ? 198 : 201);
        final byte size = (byte)(nonZero ? 66 : 67);
        int k = 0;
        int i = 0;
        for (; i + lanes <= count && k < cap; i += lanes)
        {
            final ByteVector b = ByteVector.fromMemorySegment(B, random, i, LE);
            final VectorMask<Byte> accept = b.compare(VectorOperators.ULT, limit);
            ByteVector v = b.lanewise(VectorOperators.UMIN, b.sub(size));             // b mod size for b < 3·size:
            v = v.lanewise(VectorOperators.UMIN, v.sub(size));                         // at most two subtractions
            if (nonZero)
            {
                v = v.add((byte)1);
            }
            if (byteCompress)
            {
                v.compress(accept).intoMemorySegment(out, k, LE);
                k = Math.min(cap, k + accept.trueCount());
            }
            else
            {
                k = Math.min(cap, k + compactInPlace(v, accept.toLong(), out, k));
            }
        }
        for (; i < count && k < cap; i++)
        {
            final int v = ZpOps.residue(random.get(Ring.BYTE, i) & 0xFF, nonZero);
            if (v >= 0)
            {
                out.set(Ring.BYTE, k++, (byte)v);
            }
        }
        return k;
    }

    /**
     * Stores all lanes of {@code v} at {@code out[k..]}, then moves the accepted ones (set bits of {@code bits}) down in
     * order; returns how many. In place is safe: the c-th accepted lane comes from lane j ≥ c, which no earlier move
     * has overwritten. Costs one store and a move per accepted lane — against the Java fallback of compress on CPUs
     * without vpcompressb, a per-lane loop with allocation.
     */
    private static int compactInPlace(final ByteVector v, final long bits, final MemorySegment out, final int k)
    {
        v.intoMemorySegment(out, k, LE);
        int c = 0;
        for (long rest = bits; rest != 0; rest &= rest - 1)
        {
            out.set(Ring.BYTE, k + c, out.get(Ring.BYTE, k + Long.numberOfTrailingZeros(rest)));
            c++;
        }
        return c;
    }

    /**
     * (a + b) mod 67 without masked operations (those fall back to Java code on this JDK): for s = a + b in [0, 133],
     * s − 67 wraps to ≥ 189 exactly when s &lt; 67, so the unsigned minimum of s and s − 67 is the reduced sum.
     */
    private static ByteVector addMod(final ByteVector a, final ByteVector b)
    {
        final ByteVector s = a.add(b);
        return s.lanewise(VectorOperators.UMIN, s.sub(P));
    }

    /** (a − b) mod 67: d = a − b in [−66, 66]; unsigned, min(d, d + 67) picks d when d ≥ 0 and d + 67 otherwise. */
    private static ByteVector subMod(final ByteVector a, final ByteVector b)
    {
        final ByteVector d = a.sub(b);
        return d.lanewise(VectorOperators.UMIN, d.add(P));
    }

    private static ByteVector iota()
    {
        final byte[] lanes = new byte[B.length()];
        for (int i = 0; i < lanes.length; i++)
        {
            lanes[i] = (byte)i;
        }
        return ByteVector.fromArray(B, lanes, 0);
    }

    /** Lane i ← lane (i + k) mod lanes; paired with {@link #downMask} it shifts lanes down, zero-filling the top. */
    private static VectorShuffle<Byte> downShuffle(final int k)
    {
        final int[] index = new int[B.length()];
        for (int i = 0; i < index.length; i++)
        {
            index[i] = (i + k) % index.length;
        }
        return VectorShuffle.fromArray(B, index, 0);
    }

    private static VectorMask<Byte> downMask(final int k)
    {
        final boolean[] valid = new boolean[B.length()];
        for (int i = 0; i < valid.length; i++)
        {
            valid[i] = i + k < valid.length;
        }
        return VectorMask.fromArray(B, valid, 0);
    }
}
