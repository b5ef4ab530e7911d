package securenn.kernels.panama;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import securenn.kernels.Compaction;
import securenn.kernels.Ring;
import securenn.kernels.ZpOps;
import securenn.kernels.scalar.ScalarZpOps;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Z_67 arithmetic on byte lanes. Values stay reduced in [0, 67) so a sum fits an unsigned byte and a difference a
 * signed one; an unsigned minimum reduces. Products are computed on the bytes viewed as shorts (even and odd bytes
 * separately; widening conversions ran the Java fallback in a profile of secure training) and reduce without division: {@code x = 256h + l ≡ 55h + l}, then {@code y = 64q + r ≡ r − 3q}
 * (mod 67), then one conditional +67.
 *
 * <p>The group ops (PrivateCompare's vector, containsZero, rotateGroups) work on one comparison's 64 bit positions at
 * a time, as {@code PARTS} byte vectors: one 512-bit vector with AVX-512, two 256-bit halves with AVX2, four 128-bit
 * quarters with 16-lane vectors; with fewer than 16 byte lanes the group ops run in the scalar twin. For any number
 * of parts the suffix sum Σ_{k&gt;i} w[k] is a scalar loop over the vector-computed terms ({@link #suffixSums}).
 * With one 512-bit part it used to be an in-register scan of six shifted adds ({@code rearrange}
 * with constant shuffles); NoVectorFallbackTest caught that scan boxing Byte512Vector in two of six runs on an AMD
 * EPYC Zen 5 (C2 compiled the scan or addMod apart from the kernel), so one path serves every CPU. Before this, CPUs without 64 byte
 * lanes ran these ops in the scalar twin: on an AMD EPYC Zen 3 (AVX2) that was a fifth of a DReLU's time.
 */
final class VectorZpOps implements ZpOps
{
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
    private static final int L = B.length();
    /** Byte vectors per 64-position group: 1 with 512-bit vectors, 2 with 256-bit ones. */
    private static final int PARTS = Ring.BITS / L;
    /** Whether the group ops run here: 64 bit positions split evenly into parts of at least 16 lanes. */
    private static final boolean GROUP_LANES = L >= 16 && Ring.BITS % L == 0;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfLong UNALIGNED_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);
    private static final byte P = (byte)Ring.P;
    private static final ByteVector ZERO = ByteVector.zero(B);
    private static final ByteVector IOTA = iota();
    /** MOD_P[v] = v mod 67 for every sum of 63 bytes (valid shares sum to at most 63·66). */
    private static final byte[] MOD_P = modTable((Ring.BITS - 1) * 255 + 1);

    private final ScalarZpOps scalar = new ScalarZpOps();
    /** How {@link #residues} moves accepted lanes together (see {@link CpuFeatures#compaction}). */
    private final Compaction compaction;

    VectorZpOps(final Compaction compaction)
    {
        this.compaction = compaction;
    }

    @Override
    public String choices()
    {
        return "Z_67 sampling compacts with " + switch (compaction)
        {
            case VECTOR_COMPRESS -> "vector byte compress (vpcompressb)";
            case BIT_EXTRACT -> "Long.compress, 8 lanes at a time (pext; no vpcompressb on this CPU)";
            case LANE_MOVES -> "one move per accepted lane (no vpcompressb or fast pext on this CPU)";
        };
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
            // the products and their reduction written out here, not in helpers: C2 compiled a hot helper on its own,
            // then found it "already compiled into a big method" and called it with boxed vectors (NoVectorFallbackTest
            // caught Short256Vector allocations in the old reduceProduct; the self-check timed Z_67 mul at 0.1× scalar)
            final ShortVector x = ByteVector.fromMemorySegment(B, a, i, LE).reinterpretAsShorts();
            final ShortVector y = ByteVector.fromMemorySegment(B, b, i, LE).reinterpretAsShorts();
            ShortVector lo = x.and((short)0xFF).mul(y.and((short)0xFF));                       // even bytes, < 67²
            ShortVector hi = x.lanewise(VectorOperators.LSHR, 8).mul(y.lanewise(VectorOperators.LSHR, 8)); // odd bytes
            lo = lo.lanewise(VectorOperators.LSHR, 8).mul((short)55).add(lo.and((short)0xFF));  // 256h + l ≡ 55h + l
            hi = hi.lanewise(VectorOperators.LSHR, 8).mul((short)55).add(hi.and((short)0xFF));
            lo = lo.and((short)63).sub(lo.lanewise(VectorOperators.LSHR, 6).mul((short)3));     // 64q + r ≡ r − 3q
            hi = hi.and((short)63).sub(hi.lanewise(VectorOperators.LSHR, 6).mul((short)3));
            lo = lo.lanewise(VectorOperators.UMIN, lo.add((short)Ring.P));                       // one conditional +67
            hi = hi.lanewise(VectorOperators.UMIN, hi.add((short)Ring.P));
            lo.or(hi.lanewise(VectorOperators.LSHL, 8)).reinterpretAsBytes().intoMemorySegment(out, i, LE);
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
        final byte[] w = new byte[Ring.BITS];
        final byte[] suffix = new byte[Ring.BITS];
        for (long e = 0; e < n; e++)
        {
            final long t = comparand.getAtIndex(Ring.LONG, e);
            // (−1)^β as a lane mask, not a branch: a vector assigned on one path of a branch reaches C2 as a phi, and a
            // suite run caught the kernel allocating Byte256Vector there (boxed at the merge)
            final byte flipLanes = (byte)(beta.get(Ring.BYTE, e) != 0 ? -1 : 0);
            for (int part = 0; part < PARTS; part++)
            {
                final ByteVector x = ByteVector.fromMemorySegment(B, xBits, e * Ring.BITS + (long)part * L, LE);
                final VectorMask<Byte> tm = VectorMask.fromLong(B, t >>> (part * L));
                x.blend(subMod(j, x), tm).intoArray(w, part * L);          // share of x[i] ⊕ t[i]
            }
            suffixSums(w, suffix);
            for (int part = 0; part < PARTS; part++)
            {
                final long base = e * Ring.BITS + (long)part * L;
                final ByteVector x = ByteVector.fromMemorySegment(B, xBits, base, LE);
                final VectorMask<Byte> tm = VectorMask.fromLong(B, t >>> (part * L));
                final ByteVector d = subMod(ZERO.blend(j, tm), x);          // j·t[i] − x[i]
                final ByteVector flip = ByteVector.broadcast(B, flipLanes); // broadcast here: no vector lives across loops
                final ByteVector signed = subMod(ZERO, d).and(flip).or(d.and(flip.not())); // (−1)^β (j·t[i] − x[i])
                final ByteVector s = ByteVector.fromArray(B, suffix, part * L); // lane i = Σ_{k>i} w[k]
                addMod(addMod(signed, j), s).intoMemorySegment(out, base, LE);
            }
        }
    }

    /**
     * suffix[i] = Σ_{k&gt;i} w[k] mod 67 for one group, scalar: the sum runs unreduced (at most 63·66) and a table
     * reduces it, so the loop's only dependency is one add. With 32 byte lanes the in-register scan needs ten
     * cross-lane byte shuffles per group, and measured three times slower than this loop on an AMD EPYC Zen 3.
     */
    private static void suffixSums(final byte[] w, final byte[] suffix)
    {
        int sum = 0;
        for (int i = Ring.BITS - 1; i >= 0; i--)
        {
            suffix[i] = MOD_P[sum];
            sum += w[i] & 0xFF; // < 67 for valid shares; any byte from a faulty peer still indexes the table
        }
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
            ByteVector least = ByteVector.fromMemorySegment(B, d, e * Ring.BITS, LE);
            for (int part = 1; part < PARTS; part++)
            {
                least = least.lanewise(VectorOperators.UMIN, ByteVector.fromMemorySegment(B, d, e * Ring.BITS + (long)part * L, LE));
            }
            out.set(Ring.BYTE, e, (byte)(least.compare(VectorOperators.EQ, 0).anyTrue() ? 1 : 0));
        }
    }

    @Override
    public void permuteGroups(final MemorySegment in, final MemorySegment perm, final MemorySegment out, final long n)
    {
        if (PARTS != 1) // not on the protocol path (PrivateCompare rotates); a cross-part select is not worth its code
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
            if (PARTS == 1)
            {
                final ByteVector idx = IOTA.add(shifts.get(Ring.BYTE, e)).and((byte)(Ring.BITS - 1));
                idx.selectFrom(ByteVector.fromMemorySegment(B, in, base, LE)).intoMemorySegment(out, base, LE);
            }
            else
            {
                rotateParts(in, base, shifts.get(Ring.BYTE, e) & (Ring.BITS - 1), out);
            }
        }
    }

    /**
     * out[base + i] = in[base + (i + shift) mod 64] on the group's eight longs: shift = 8q + r bytes, so out long i is
     * long i + q shifted down r bytes with the next long's low bytes above (mod 8). With fewer than 64 byte lanes a
     * vector select cannot reach across parts, {@code selectFrom} on 32 byte lanes runs the Vector API's Java fallback
     * on AVX2 (found by {@code NoVectorFallbackTest} on an AMD EPYC Zen 3), and two block copies per group measured
     * slower than the scalar twin there.
     */
    private static void rotateParts(final MemorySegment in, final long base, final int shift, final MemorySegment out)
    {
        final int q = shift >>> 3;
        final int r = (shift & 7) * Byte.SIZE;
        for (int i = 0; i < Long.BYTES; i++)
        {
            final long lo = in.get(UNALIGNED_LONG, base + Long.BYTES * (long)((i + q) & 7));
            final long hi = in.get(UNALIGNED_LONG, base + Long.BYTES * (long)((i + q + 1) & 7));
            out.set(UNALIGNED_LONG, base + Long.BYTES * (long)i, r == 0 ? lo : lo >>> r | hi << (Long.SIZE - r));
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
        final long[] words = new long[lanes / Long.BYTES];
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
            final int accepted = switch (compaction)
            {
                case VECTOR_COMPRESS ->
                {
                    v.compress(accept).intoMemorySegment(out, k, LE);
                    yield accept.trueCount();
                }
                case BIT_EXTRACT -> compactByBitExtract(v, accept.toLong(), out, k, words);
                case LANE_MOVES -> compactInPlace(v, accept.toLong(), out, k);
            };
            k = Math.min(cap, k + accepted);
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
     * Packs the accepted lanes of {@code v} (set bits of {@code bits}) at {@code out[k..]} eight at a time:
     * {@code Long.expand} turns eight mask bits into a byte mask ({@code pdep}), {@code Long.compress} gathers those
     * bytes to the low end in order ({@code pext}), and one unaligned 8-byte store writes them (the bytes past the
     * accepted ones are overwritten by the next store or lie in the caller's 64-byte slack). Returns how many.
     */
    private static int compactByBitExtract(final ByteVector v, final long bits, final MemorySegment out, final int k,
        final long[] words)
    {
        v.reinterpretAsLongs().intoArray(words, 0);
        int c = 0;
        for (int w = 0; w < words.length; w++)
        {
            final long lanes = (bits >>> (w * Long.BYTES)) & 0xFF;
            final long byteMask = Long.expand(lanes, 0x0101010101010101L) * 0xFF;
            out.set(UNALIGNED_LONG, k + c, Long.compress(words[w], byteMask));
            c += Long.bitCount(lanes);
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

    private static byte[] modTable(final int size)
    {
        final byte[] t = new byte[size];
        for (int v = 0; v < size; v++)
        {
            t[v] = (byte)(v % Ring.P);
        }
        return t;
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
}
