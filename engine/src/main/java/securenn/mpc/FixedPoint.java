package securenn.mpc;

/**
 * Fixed-point encoding of reals in Z_{2^64}: x ↦ round(x·2^f) as a two's-complement long. The paper uses f = 13.
 * Products carry 2f fractional bits and are truncated by f after each multiplication.
 */
public record FixedPoint(int fractionBits)
{
    public static final FixedPoint DEFAULT = new FixedPoint(13);

    public FixedPoint
    {
        if (fractionBits < 0 || fractionBits > 30)
        {
            throw new IllegalArgumentException("fraction bits must be in [0, 30] but was " + fractionBits);
        }
    }

    /** round(x·2^f); NaN, ±∞ and values beyond ±2^(62 − f) are refused (a NaN would otherwise encode as 0). */
    public long encode(final double x)
    {
        final double scaled = Math.rint(x * (1L << fractionBits));
        if (!(Math.abs(scaled) < 0x1p62)) // false for NaN too
        {
            throw new IllegalArgumentException(Double.isNaN(x) ? "NaN cannot be encoded in fixed point"
                : x + " is outside the supported range ±2^" + (62 - fractionBits));
        }
        return (long)scaled;
    }

    public double decode(final long v)
    {
        return (double)v / (1L << fractionBits);
    }

    public long one()
    {
        return 1L << fractionBits;
    }
}
