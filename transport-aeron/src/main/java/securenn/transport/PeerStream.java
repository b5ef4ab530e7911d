package securenn.transport;

/**
 * Which of the peer's Aeron streams a {@link Link} belongs to, and whether that stream is still there.
 *
 * <p><b>Session identity.</b> A peer that restarts its session (or its process) on the same address and stream id
 * appears as a second image on the old subscription, with another Aeron session id. A link therefore pins the
 * publisher session of the first chunk it accepts, and that chunk must be the first chunk of the peer's first
 * message (sequence 0, offset 0): frames of an earlier session still in flight are mid-stream and are dropped before
 * the pin, never staged or delivered. After the pin, a chunk or a new image from any other publisher session means
 * the peer has left this session — the link then fails every operation with "P2 left this session", never
 * delivers the chunk, and the session must be formed again. (A forged stream ends the session the same way: a named
 * error and a new session, never a wrong answer.)
 *
 * <p><b>Liveness.</b> An image of the pinned session that becomes unavailable without an end of stream went silent
 * for the driver's image-liveness timeout (the message timeout): the peer is lost, and every wait of the party fails,
 * whatever link it waits on. One that ends with an end of stream was closed by the peer: only receives on this link
 * that find nothing left fail.
 *
 * <p>Threads: {@link #admit} runs on the party thread; the image events on whichever thread runs the client conductor
 * (the party thread or its keeper, never both at once). The state is published through volatile fields.
 */
final class PeerStream
{
    /** What a link does with one incoming chunk. */
    enum Verdict
    {
        /** The chunk belongs to this session's stream. */
        ADMIT,
        /** A leftover of an earlier session, before this session's first chunk: drop it. */
        DROP_STALE,
        /** From another session of the peer, after the pin: the peer left; never deliver it. */
        FOREIGN
    }

    private final String peerName;
    private final long livenessTimeoutMs;
    private volatile boolean pinned;
    private volatile int session; // meaningful once pinned: any int is a valid Aeron session id
    private volatile String departure; // non-null: the peer lost or left; every wait of the party fails
    private volatile boolean closedByPeer;
    private long staleDropped;

    PeerStream(final String peerName, final long livenessTimeoutMs)
    {
        this.peerName = peerName;
        this.livenessTimeoutMs = livenessTimeoutMs;
    }

    /**
     * Decides about a chunk from publisher session {@code sessionId}; {@code startsSession} says whether its header is
     * that of the first chunk of message #0.
     */
    Verdict admit(final int sessionId, final boolean startsSession)
    {
        if (pinned)
        {
            if (sessionId == session)
            {
                return Verdict.ADMIT;
            }
            left(sessionId, startsSession ? "its next session's first message" : "a chunk");
            return Verdict.FOREIGN;
        }
        if (!startsSession)
        {
            staleDropped++;
            return Verdict.DROP_STALE;
        }
        session = sessionId;
        pinned = true;
        return Verdict.ADMIT;
    }

    /** A new image on the link's subscription: after the pin, one of another session means the peer moved on. */
    void imageAvailable(final int sessionId)
    {
        if (pinned && sessionId != session)
        {
            left(sessionId, "a new stream");
        }
    }

    /** An image of the link's subscription went away; only the pinned session's matters. */
    void imageUnavailable(final int sessionId, final boolean endOfStream)
    {
        if (!pinned || sessionId != session)
        {
            return; // a stream of an earlier session (or an impostor) ended: nothing of ours
        }
        if (endOfStream)
        {
            closedByPeer = true;
        }
        else if (departure == null)
        {
            departure = peerName + " lost: its stream showed no sign of life for " + livenessTimeoutMs
                + " ms (process dead, host down or network cut)";
        }
    }

    private void left(final int sessionId, final String what)
    {
        if (departure == null)
        {
            departure = peerName + " left this session (" + what + " from " + peerName + " on Aeron session " + sessionId
                + ", while this session's stream is " + session + "): it restarted or formed a new session";
        }
    }

    boolean isPinned()
    {
        return pinned;
    }

    /** Why the peer is gone (lost or left), or null while it is here. */
    String departure()
    {
        return departure;
    }

    /** The peer closed its stream of this session (end of stream): nothing more will come on this link. */
    boolean isClosedByPeer()
    {
        return closedByPeer;
    }

    /** Chunks of earlier sessions dropped before the pin. */
    long staleDropped()
    {
        return staleDropped;
    }
}
