package securenn.mpc;

/** The three servers: P0 and P1 hold shares of data and model; P2 assists and never holds a share of the data. */
public enum Role
{
    P0, P1, P2;

    public int id()
    {
        return ordinal();
    }

    /** 0 for P0, 1 for P1: the paper's j in formulas such as j·r. Undefined for P2. */
    public int j()
    {
        if (this == P2)
        {
            throw new IllegalStateException("P2 holds no shares");
        }
        return ordinal();
    }

    public boolean holdsShares()
    {
        return this != P2;
    }

    public static Role of(final int id)
    {
        return values()[id];
    }
}
