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

    /** "P0", "p1", "2" … → the role; fails naming the accepted forms. */
    public static Role parse(final String text)
    {
        final String t = text == null ? "" : text.trim().toUpperCase(java.util.Locale.ROOT);
        return switch (t)
        {
            case "P0", "0" -> P0;
            case "P1", "1" -> P1;
            case "P2", "2" -> P2;
            default -> throw new IllegalArgumentException("party must be P0, P1 or P2 but was '" + text + "'");
        };
    }
}
