package securenn.transport;

/**
 * A snapshot of one link's traffic as seen by the local party: payload bytes and messages each way, chunks sent,
 * and how often a send found the link back-pressured.
 */
public record LinkCounters(int self, int peer, long bytesSent, long messagesSent, long chunksSent, long bytesReceived,
    long messagesReceived, long backPressured)
{
    public LinkCounters minus(final LinkCounters earlier)
    {
        return new LinkCounters(self, peer, bytesSent - earlier.bytesSent, messagesSent - earlier.messagesSent,
            chunksSent - earlier.chunksSent, bytesReceived - earlier.bytesReceived,
            messagesReceived - earlier.messagesReceived, backPressured - earlier.backPressured);
    }

    @Override
    public String toString()
    {
        return Parties.name(self) + "→" + Parties.name(peer) + ": sent " + bytesSent + " B in " + messagesSent
            + " msgs, received " + bytesReceived + " B in " + messagesReceived + " msgs";
    }
}
