package securenn.transport;

/**
 * A link failed: a peer was lost or silent past the timeout, a message did not match what the receiver expected,
 * or the session could not be set up. The message names the local party, the peer and the protocol step.
 */
public class TransportException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public TransportException(final String message)
    {
        super(message);
    }

    public TransportException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
