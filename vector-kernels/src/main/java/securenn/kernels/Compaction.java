package securenn.kernels;

/**
 * How the Z_67 sampler's vector kernel moves the accepted bytes of a vector together ({@link ZpOps#residues}). All
 * three produce the same bytes from the same stream (tested on every CPU); they differ only in speed, and which is
 * fast depends on the CPU, so {@link Kernels#best()} chooses from the CPU's features and logs the choice.
 */
public enum Compaction
{
    /** {@code ByteVector.compress}: one instruction with AVX-512 VBMI2 ({@code vpcompressb}), Java code elsewhere. */
    VECTOR_COMPRESS,
    /**
     * Eight lanes at a time with {@code Long.compress} ({@code pext}, BMI2): fast on Intel since Haswell and AMD
     * since Zen 3; microcoded and slow on Zen 1 and 2.
     */
    BIT_EXTRACT,
    /** One move per accepted lane, in place: the portable choice. */
    LANE_MOVES
}
