package securenn.transport;

/** The three parties of a session are numbered 0, 1, 2; this names them as the paper does. */
public final class Parties
{
    public static final int COUNT = 3;

    private Parties()
    {
    }

    public static String name(final int party)
    {
        return "P" + party;
    }

    public static void check(final int party)
    {
        if (party < 0 || party >= COUNT)
        {
            throw new IllegalArgumentException("party must be 0, 1 or 2 but was " + party);
        }
    }
}
