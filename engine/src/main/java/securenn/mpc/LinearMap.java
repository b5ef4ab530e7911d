package securenn.mpc;

import java.lang.foreign.MemorySegment;

/**
 * A public linear map over Z_{2^64} applied to a product's result (e.g. col2im after a convolution's input gradient):
 * shares map to shares of the mapped value, so P2 can correct the triple in the mapped (smaller) space instead.
 */
public interface LinearMap
{
    /** Number of output values. */
    long outputSize();

    /** Writes every output value of the map of {@code in} into {@code out}. */
    void apply(MemorySegment in, MemorySegment out);
}
