package securenn.kernels;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Memory layout constants shared by every kernel.
 *
 * <p>Ring elements of Z_{2^64} are stored as little-endian 64-bit words; Z_p values (p = 67) and single bits
 * are stored one per byte. Unaligned layouts are used so that any slice of a segment is a valid argument:
 * on x86-64 an unaligned access costs nothing extra.
 */
public final class Ring
{
    /** One element of Z_{2^64}: a little-endian long, any alignment. */
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One Z_p value or one bit. */
    public static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    /** Number of bits of a ring element, the paper's ℓ. */
    public static final int BITS = 64;

    /** The small prime of PrivateCompare: the paper's p = 67, the smallest prime above ℓ + 2. */
    public static final int P = 67;

    private Ring()
    {
    }
}
