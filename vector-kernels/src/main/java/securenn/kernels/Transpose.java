package securenn.kernels;

/** How a GEMM operand is stored relative to its logical shape. */
public enum Transpose
{
    /** The logical r×c matrix is stored row-major as r rows of c. */
    NO,
    /** The logical r×c matrix is stored row-major as its transpose: c rows of r. */
    YES
}
