package securenn.nn;

/** How training turns the network's output u into the error δ that backpropagation starts from. */
public enum OutputLoss
{
    /**
     * The whitepaper's: δ = ASM(u) − Y, ASM(u) = ReLU(u) / Σ ReLU(u) by the Division protocol (the softmax substitute
     * of Appendix B.1). ASM is scale-invariant, and p − Y is not the gradient of any loss of ASM's outputs.
     */
    ASM,
    /**
     * Squared error on the logits: δ = u − Y, the exact gradient of ½‖u − Y‖². Local to each party (no Division, no
     * communication): cheaper than ASM and, unlike it, a true gradient. Not in the paper; stays inside its model.
     */
    SQUARED;

    public static OutputLoss parse(final String name)
    {
        for (final OutputLoss l : values())
        {
            if (l.name().equalsIgnoreCase(name))
            {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "'; use asm (the paper's) or squared");
    }
}
