package securenn.transport;

/** Where a party receives: a host (name or address) and a UDP port. */
public record Endpoint(String host, int port)
{
    public Endpoint
    {
        if (host == null || host.isBlank())
        {
            throw new IllegalArgumentException("endpoint host must not be empty");
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("endpoint port must be in [1, 65535] but was " + port);
        }
    }

    /** Parses {@code host:port}. */
    public static Endpoint parse(final String text)
    {
        final int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException("endpoint must be host:port but was '" + text + "'");
        }
        try
        {
            return new Endpoint(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("endpoint port is not a number in '" + text + "'", ex);
        }
    }

    @Override
    public String toString()
    {
        return host + ":" + port;
    }
}
