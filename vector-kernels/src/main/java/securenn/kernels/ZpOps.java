package securenn.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Arithmetic in Z_p, p = 67, over bytes holding reduced values in [0, 67), and the local steps of PrivateCompare.
 * Outputs of the element-wise ops may be the same segment as an input.
 */
public interface ZpOps
{
    void add(MemorySegment a, MemorySegment b, MemorySegment out, long n);

    void sub(MemorySegment a, MemorySegment b, MemorySegment out, long n);

    void mul(MemorySegment a, MemorySegment b, MemorySegment out, long n);

    /**
     * One party's shares of PrivateCompare's vector c for {@code n} comparisons of 64 bits each (Algorithm 3,
     * steps 2–5, as its correctness argument derives them; the listing's sign of (x − r) is a typo).
     *
     * <p>Inputs: {@code xBits[64·e + i]}, this party's Z_p share of bit i of x_e; {@code comparand[e]}, the public
     * ℓ-bit value compared against (r when β = 0, r + 1 when β = 1 — the caller handles r = 2^64 − 1 with β = 1);
     * {@code beta[e]} ∈ {0, 1}. With j = 0 for P0 and j = 1 for P1 and t the comparand's bits:
     * <pre>
     *   w[k] = x[k] + j·t[k] − 2·t[k]·x[k]                      (a share of x[k] ⊕ t[k])
     *   c[i] = (−1)^β · (j·t[i] − x[i]) + j + Σ_{k&gt;i} w[k]   (mod 67)
     * </pre>
     * Reconstructed, c[i] = 0 for some i iff x &gt; r (β = 0), or iff x &lt; r + 1 (β = 1).
     */
    void privateCompareVector(MemorySegment xBits, MemorySegment comparand, MemorySegment beta, int party,
        MemorySegment out, long n);

    /** {@code out[e] = 1} iff any of the 64 bytes {@code d[64·e .. 64·e + 63]} is zero (P2's test). */
    void containsZero(MemorySegment d, MemorySegment out, long n);

    /**
     * Gathers each group of 64 bytes through its own permutation: {@code out[64·e + i] = in[64·e + perm[64·e + i]]},
     * where each group of {@code perm} is a permutation of 0..63. Output must not overlap the input.
     */
    void permuteGroups(MemorySegment in, MemorySegment perm, MemorySegment out, long n);

    /**
     * The filter step of rejection sampling of Z_67 values: maps each random byte b below the acceptance limit (201
     * for Z_67, 198 for Z_67*) to b mod 67 (or 1 + b mod 66), in order, and writes the first
     * min(accepted, cap) of them to {@code out} from its start. {@code out} must hold cap + 64 bytes (vector stores may
     * run past the last value). Returns the number written. The result does not depend on the implementation, so
     * parties whose machines choose different kernels consume their common streams identically.
     */
    int residues(MemorySegment random, int count, MemorySegment out, int cap, boolean nonZero);

    /** Choices this implementation made for this CPU, for the kernels' log line (empty: none). */
    default String choices()
    {
        return "";
    }

    /** Scalar reference of {@link #residues} for one byte: the value, or −1 if rejected. */
    static int residue(final int b, final boolean nonZero)
    {
        if (nonZero)
        {
            return b < 198 ? 1 + b % 66 : -1;
        }
        return b < 201 ? b % 67 : -1;
    }

    /**
     * Rotates each group of 64 bytes by its own amount: {@code out[64·e + i] = in[64·e + ((i + shift[e]) mod 64)]}.
     * Output must not overlap the input.
     */
    void rotateGroups(MemorySegment in, MemorySegment shifts, MemorySegment out, long n);

    static void checkGroups(final String op, final MemorySegment in, final MemorySegment perGroup, final long perGroupBytes,
        final MemorySegment out, final long n)
    {
        final long bytes = Math.multiplyExact(n, Ring.BITS);
        final String shape = op + " over n=" + n + " groups of 64 bytes";
        KernelChecks.requireNonNegative("n", n);
        KernelChecks.requireBytes("in", in, bytes, shape);
        KernelChecks.requireBytes(perGroupBytes == 1 ? "shifts" : "perm", perGroup, n * perGroupBytes, shape);
        KernelChecks.requireBytes("out", out, bytes, shape);
        if (bytes > 0)
        {
            KernelChecks.requireDisjoint("out", out.asSlice(0, bytes), "in", in.asSlice(0, bytes));
        }
    }

    static void check(final String op, final MemorySegment a, final MemorySegment b, final MemorySegment out, final long n)
    {
        final String shape = op + " over n=" + n + " Z_p bytes";
        KernelChecks.requireNonNegative("n", n);
        KernelChecks.requireBytes("a", a, n, shape);
        if (b != null)
        {
            KernelChecks.requireBytes("b", b, n, shape);
        }
        KernelChecks.requireBytes("out", out, n, shape);
    }

    static void checkCompare(final MemorySegment xBits, final MemorySegment comparand, final MemorySegment beta,
        final int party, final MemorySegment out, final long n)
    {
        final String shape = "privateCompareVector over n=" + n + " comparisons of 64 bits";
        KernelChecks.requireNonNegative("n", n);
        if (n > Long.MAX_VALUE / Ring.BITS)
        {
            throw new IllegalArgumentException(shape + " is too large");
        }
        if (party != 0 && party != 1)
        {
            throw new IllegalArgumentException("party must be 0 (P0) or 1 (P1) but was " + party);
        }
        KernelChecks.requireBytes("xBits", xBits, n * Ring.BITS, shape);
        KernelChecks.requireLongs("comparand", comparand, n, shape);
        KernelChecks.requireBytes("beta", beta, n, shape);
        KernelChecks.requireBytes("out", out, n * Ring.BITS, shape);
    }

    /** Scalar reference: (a + b) mod 67 for reduced inputs. */
    static int add(final int a, final int b)
    {
        final int s = a + b;
        return s >= Ring.P ? s - Ring.P : s;
    }

    /** Scalar reference: (a − b) mod 67 for reduced inputs. */
    static int sub(final int a, final int b)
    {
        final int d = a - b;
        return d < 0 ? d + Ring.P : d;
    }
}
