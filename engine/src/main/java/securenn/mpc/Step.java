package securenn.mpc;

/**
 * Tags of the protocol messages. The transport checks the tag of every message against the one the receiver expects,
 * so two parties that drift out of step fail at once with both tags named instead of misreading data.
 */
public enum Step
{
    MATMUL_OPEN, MATMUL_TRIPLE,
    PC_VECTOR,
    SC_MASKED, SC_BITS, SC_DELTA, SC_ETA,
    MSB_RANDOM, MSB_OPEN, MSB_BETA,
    DRELU_OPEN, DRELU_BITS, DRELU_GAMMA,
    DMP_BLINDED, DMP_UNIT,
    TRUNC_OPEN, TRUNC_DEAL,
    SESSION_HELLO, SESSION_AUTH, SESSION_CHECK, SERVICE_BATCH, SERVICE_IDS,
    TRAIN_ROWS, TRAIN_PLAN, TRAIN_RESUME, TRAIN_DONE,
    BARRIER;

    public int tag()
    {
        return 100 + ordinal();
    }
}
