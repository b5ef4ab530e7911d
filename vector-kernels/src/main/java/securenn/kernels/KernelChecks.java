package securenn.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Argument checks at kernel entry. Every kernel validates shapes and segment sizes once, before its loops,
 * so that a bad call fails with an {@link IllegalArgumentException} naming the argument and the shape
 * instead of overrunning memory or silently computing on part of the data.
 */
public final class KernelChecks
{
    private KernelChecks()
    {
    }

    public static void requireNonNegative(final String name, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(name + " must be >= 0 but was " + value);
        }
    }

    public static void requirePositive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + " must be > 0 but was " + value);
        }
    }

    /** Requires {@code segment} to hold at least {@code count} longs; {@code shape} describes where the count came from. */
    public static void requireLongs(final String name, final MemorySegment segment, final long count, final String shape)
    {
        requireElements(name, segment, count, Long.BYTES, "longs", shape);
    }

    /** Requires {@code segment} to hold at least {@code count} bytes; {@code shape} describes where the count came from. */
    public static void requireBytes(final String name, final MemorySegment segment, final long count, final String shape)
    {
        requireElements(name, segment, count, 1, "bytes", shape);
    }

    private static void requireElements(
        final String name, final MemorySegment segment, final long count, final int width, final String unit, final String shape)
    {
        if (segment == null)
        {
            throw new IllegalArgumentException(name + " is null (needs " + count + " " + unit + " for " + shape + ")");
        }
        if (count < 0)
        {
            throw new IllegalArgumentException(name + ": negative element count " + count + " for " + shape);
        }
        if (count > segment.byteSize() / width)
        {
            throw new IllegalArgumentException(
                name + " holds " + segment.byteSize() / width + " " + unit + " but " + shape + " needs " + count);
        }
    }

    /** Requires the output not to overlap an input (kernels that read inputs after writing output). */
    public static void requireDisjoint(final String outName, final MemorySegment out, final String inName, final MemorySegment in)
    {
        if (out.asOverlappingSlice(in).isPresent())
        {
            throw new IllegalArgumentException(outName + " overlaps " + inName + "; this kernel needs a separate output");
        }
    }

    public static void requireIntCount(final String name, final long count)
    {
        if (count > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(name + " = " + count + " exceeds " + Integer.MAX_VALUE);
        }
    }
}
