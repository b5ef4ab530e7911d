package securenn.nn;

/** How training turns the network's output u into the error δ that backpropagation starts from. */
public enum OutputLoss
{
    /**
     * The whitepaper's: δ = ASM(u) − Y, ASM(u) = ReLU(u) / Σ ReLU(u) by the Division protocol (the softmax substitute
     * of Appendix B.1). ASM is scale-invariant, and p − Y is not the gradient of any loss of ASM's outputs.
     */
    ASM("ASM"),
    /**
     * Squared error on the logits: δ = u − Y, the exact gradient of ½‖u − Y‖². Local to each party (no Division, no
     * communication): cheaper than ASM and, unlike it, a true gradient. Not in the paper; stays inside its model.
     */
    SQUARED("squared-error"),
    /**
     * Multiclass hinge (Weston–Watkins) with margin 1: loss Σ_{j≠y} max(0, u_j − u_y + 1), gradient
     * δ_j = [u_j − u_y + 1 ≥ 0] for j ≠ y and δ_y = −Σ_{j≠y} δ_j, i.e. δ = b − Y·Σ_k b_k with b_j = ReLU′(u_j − u_y + 1)
     * (b_y = 1). Secure cost per item: two element-wise products with the one-hot Y and one ReLU over the outputs; no
     * truncation, so δ is exact. A true gradient with entries bounded by the number of classes — stable at the
     * paper's rate — and the loss that reaches 99% on network C. Not in the paper; stays inside its model.
     */
    HINGE("multiclass-hinge");

    private final String label;

    OutputLoss(final String label)
    {
        this.label = label;
    }

    /** How the `train` header and the accuracy report name it. */
    public String label()
    {
        return label;
    }

    public static OutputLoss parse(final String name)
    {
        for (final OutputLoss l : values())
        {
            if (l.name().equalsIgnoreCase(name))
            {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "'; use asm (the paper's), squared or hinge");
    }
}
