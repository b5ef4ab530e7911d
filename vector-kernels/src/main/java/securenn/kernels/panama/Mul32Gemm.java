package securenn.kernels.panama;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import securenn.kernels.Ring;
import securenn.kernels.Transpose;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * The packing and micro-kernel of {@link VectorGemm} for CPUs without a lane-wise 64-bit multiply (AVX2 without
 * AVX-512 DQ's {@code vpmullq}, e.g. AMD Zen 3). There C2 compiles {@code LongVector.mul} to a 7-instruction
 * emulation ({@code vpshufd, vpmulld, vpshufd, vpaddd, vpsllq, vpmuludq, vpaddq}, ~1.0–1.24 ns per 4-lane vector
 * measured on an AMD EPYC Zen 3 at 2.45 GHz), and the 4×3 kernel of {@link VectorGemm} is bound by it.
 *
 * <p>Instead each product mod 2^64 is split into 32-bit halves, a·b = lo(a)·lo(b) + ((lo(a)·hi(b) + hi(a)·lo(b))
 * mod 2^32)·2^32, and the two parts are accumulated separately over the whole k loop. B is packed once per product
 * with each value's halves swapped (rotateLeft 32: as ints [hi(b), lo(b)]); per k step and B vector s:
 * <ul>
 * <li>{@code s.lanewise(LSHR, 32)} is lo(b), zero-extended ({@code vpsrlq}), shared by both rows;</li>
 * <li>lo(a)·lo(b), a full 64-bit product: {@code a.and(0xFFFFFFFFL).mul(lo(b))}, which C2 (JDK 25) recognises as
 *     unsigned 32-bit inputs and compiles to one {@code vpmuludq} (0.50–0.64 ns per vector). It recognises the mask
 *     only as a scalar argument of {@code and}; a {@code static final} mask vector is loaded from memory and the
 *     multiply is emulated again;</li>
 * <li>both cross terms with one 32-bit multiply ({@code IntVector.mul}, {@code vpmulld}, 0.47 ns per vector) of the
 *     broadcast a viewed as ints [lo(a), hi(a)] ({@code vpbroadcastq}, the view is free) against s viewed as ints:
 *     the two int lanes of a 64-bit lane accumulate lo(a)·hi(b) and hi(a)·lo(b) mod 2^32.</li>
 * </ul>
 * Once per tile, per 64-bit lane X = [x0, x1] of the cross sums, the high part (x0 + x1)·2^32 is
 * {@code (X << 32) + (X & 0xFFFFFFFF00000000L)} ({@code vpsllq, vpand, vpaddq}), added to the low part.
 *
 * <p>Why 2×2 vectors: 2 rows × 2 vectors × 2 accumulators (8 of AVX2's 16 registers), 8 multiplies per k step
 * against 2 loads of B and 2 broadcasts of A. Measured for the micro-kernel alone (128 rows, k = 800, 500 columns,
 * best of 40, noisy shared VM): 2×2 4.2–5.3 GMAC/s, 4×1 3.7–4.8, 2×3 3.1–4.4; hand-written C with intrinsics
 * ({@code gcc -O3 -march=znver3}) was also best at 2×2. Bigger kernels push C2 past {@code NodeCountInliningCutoff},
 * after which vectors are boxed (10–100× slower): even combining the tile inside this kernel did, which is why the
 * kernel hands its accumulators over in two small arrays and {@link #store} combines them.
 *
 * <p>Whole products, 1 thread, best of many after warm-up, on that Zen 3 (GMAC/s; the 4×3 {@code LongVector.mul}
 * kernel / this kernel / best hand-written C of the same method): 128×800·800×500 3.4–4.1 / 6.0 / 6.5–6.8,
 * 128×784·784×128 4.2–4.3 / 6.2–6.8 / 5.0, 128×500·500×100 4.0–4.2 / 6.8–7.0 / 6.8.
 *
 * <p>The kernel always computes a full 2×NR tile (B's panels are zero-padded, A's missing rows are zero); a full
 * tile is combined into C with vectors, a partial one element by element.
 */
final class Mul32Gemm
{
    static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> SI = S.withLanes(int.class);
    static final int L = S.length();
    static final int IL = SI.length();
    /** Rows per micro-kernel tile. */
    static final int MR = 2;
    /** Columns per packed panel of B: two vectors. */
    static final int NR = 2 * L;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final long HIGH = 0xFFFFFFFF00000000L;

    private Mul32Gemm()
    {
    }

    /**
     * Packs B (k×n logical) into ⌈n/NR⌉ zero-padded panels of k rows × NR columns, each value with its 32-bit halves
     * swapped: {@code out[panel·k·NR + r·NR + j]} = rotateLeft(B(r, j0 + j), 32). As two ints that is [hi, lo]; the
     * kernel gets lo back as the 64-bit lane shifted right by 32.
     */
    static void packB(final MemorySegment b, final Transpose tb, final int k, final int n, final long[] out)
    {
        final int panels = (n + NR - 1) / NR;
        for (int p = 0; p < panels; p++)
        {
            final int j0 = p * NR;
            final int cols = Math.min(NR, n - j0);
            for (int r = 0; r < k; r++)
            {
                final int dst = (p * k + r) * NR;
                for (int j = 0; j < cols; j++)
                {
                    out[dst + j] = Long.rotateLeft(b.getAtIndex(Ring.LONG, tb == Transpose.NO ? (long)r * n + j0 + j
                        : (long)(j0 + j) * k + r), 32);
                }
                java.util.Arrays.fill(out, dst + cols, dst + NR, 0L);
            }
        }
    }

    /**
     * Packs the row blocks [rb0, rb1) of A (m×k logical), each k-major at {@code (rb − rb0)·MR·k}:
     * {@code out[(rb − rb0)·MR·k + p·MR + r]} = A(rb·MR + r, p); rows past m are zero.
     */
    static void packA(final MemorySegment a, final Transpose ta, final int m, final int k, final int rb0,
        final int rb1, final long[] out)
    {
        for (int rb = rb0; rb < rb1; rb++)
        {
            final int base = (rb - rb0) * MR * k;
            for (int r = 0; r < MR; r++)
            {
                final int i = rb * MR + r;
                for (int p = 0; p < k; p++)
                {
                    out[base + p * MR + r] = i >= m ? 0L
                        : a.getAtIndex(Ring.LONG, ta == Transpose.YES ? (long)p * m + i : (long)i * k + p);
                }
            }
        }
    }

    /**
     * The 2×NR micro-kernel: the row block of packed A at {@code aStart} times the swapped panel of B at
     * {@code bStart}, as the low products' sums {@code lo[r·NR + j]} and the cross products' int sums
     * {@code cross[2·(r·NR + j)]}, {@code cross[2·(r·NR + j) + 1]}; {@link #store} or {@link #value} combines them.
     * Combining here, after the loop, pushed C2 past {@code NodeCountInliningCutoff} (measured: the fourth combine
     * was not inlined and its vectors boxed), so the tile goes through two small arrays instead.
     */
    static void kernel2x2(final long[] pa, final int aStart, final long[] pb, final int bStart, final int k,
        final long[] lo, final int[] cross)
    {
        LongVector l00 = LongVector.zero(S), l01 = l00, l10 = l00, l11 = l00;
        IntVector x00 = IntVector.zero(SI), x01 = x00, x10 = x00, x11 = x00;
        int bo = bStart;
        for (int p = 0, ao = aStart; p < k; p++, bo += NR, ao += MR)
        {
            final LongVector s0 = LongVector.fromArray(S, pb, bo);
            final LongVector s1 = LongVector.fromArray(S, pb, bo + L);
            final LongVector b0 = s0.lanewise(VectorOperators.LSHR, 32);
            final LongVector b1 = s1.lanewise(VectorOperators.LSHR, 32);
            final IntVector t0 = s0.reinterpretAsInts();
            final IntVector t1 = s1.reinterpretAsInts();
            LongVector a = LongVector.broadcast(S, pa[ao]);
            IntVector ai = a.reinterpretAsInts();
            a = a.and(0xFFFFFFFFL);
            l00 = a.mul(b0).add(l00);
            l01 = a.mul(b1).add(l01);
            x00 = ai.mul(t0).add(x00);
            x01 = ai.mul(t1).add(x01);
            a = LongVector.broadcast(S, pa[ao + 1]);
            ai = a.reinterpretAsInts();
            a = a.and(0xFFFFFFFFL);
            l10 = a.mul(b0).add(l10);
            l11 = a.mul(b1).add(l11);
            x10 = ai.mul(t0).add(x10);
            x11 = ai.mul(t1).add(x11);
        }
        l00.intoArray(lo, 0);
        l01.intoArray(lo, L);
        l10.intoArray(lo, NR);
        l11.intoArray(lo, NR + L);
        x00.intoArray(cross, 0);
        x01.intoArray(cross, IL);
        x10.intoArray(cross, 2 * NR);
        x11.intoArray(cross, 2 * NR + IL);
    }

    /** Stores a full tile of {@link #kernel2x2} into C at byte offset {@code cOffset}, row stride rowBytes. */
    static void store(final long[] lo, final int[] cross, final MemorySegment c, final long cOffset,
        final long rowBytes)
    {
        final long w = (long)L * Long.BYTES;
        combine(lo, cross, 0).intoMemorySegment(c, cOffset, LE);
        combine(lo, cross, L).intoMemorySegment(c, cOffset + w, LE);
        combine(lo, cross, NR).intoMemorySegment(c, cOffset + rowBytes, LE);
        combine(lo, cross, NR + L).intoMemorySegment(c, cOffset + rowBytes + w, LE);
    }

    /** lo + (x0 + x1)·2^32 per 64-bit lane X = [x0, x1] of the cross sums: vpsllq, vpand, two vpaddq. */
    private static LongVector combine(final long[] lo, final int[] cross, final int at)
    {
        final LongVector x = IntVector.fromArray(SI, cross, 2 * at).reinterpretAsLongs();
        return LongVector.fromArray(S, lo, at).add(x.lanewise(VectorOperators.LSHL, 32)).add(x.and(HIGH));
    }

    /** One element of a {@link #kernel2x2} tile, for partial tiles: row r, column j. */
    static long value(final long[] lo, final int[] cross, final int r, final int j)
    {
        final int at = r * NR + j;
        return lo[at] + ((long)(cross[2 * at] + cross[2 * at + 1]) << 32);
    }
}
