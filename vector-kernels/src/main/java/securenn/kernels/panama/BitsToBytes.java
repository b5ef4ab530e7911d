package securenn.kernels.panama;

/**
 * Spreads the low 8 bits of a mask into 8 bytes of 0/1 (bit i → byte i, little-endian), so that a vector compare's
 * mask becomes eight output bit-bytes with one table load and one 64-bit store.
 */
final class BitsToBytes
{
    private static final long[] TABLE = new long[256];

    static
    {
        for (int m = 0; m < 256; m++)
        {
            long v = 0;
            for (int i = 0; i < 8; i++)
            {
                v |= (long)((m >>> i) & 1) << (8 * i);
            }
            TABLE[m] = v;
        }
    }

    private BitsToBytes()
    {
    }

    static long spread(final long mask8)
    {
        return TABLE[(int)(mask8 & 0xFF)];
    }
}
