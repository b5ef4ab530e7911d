package securenn.transport;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One party's connection to one peer: an exclusive publication towards the peer and a subscription to the peer's
 * stream. Messages of any size go out as chunks that each fit one Aeron frame, written in place into the
 * publication's log with {@code tryClaim}; received chunks are copied straight from the log into the caller's
 * destination segment, after their {@link MessageHeader} was checked against what the receiver expects.
 *
 * <p>A link belongs to one session of its peer: it pins the peer's Aeron publisher session with the first chunk of
 * the peer's first message, and a chunk or image of any other session ends the link with "… left this session"
 * ({@link PeerStream}). A receive waits at most the message timeout for a link's first message and the (longer)
 * stall timeout for later ones; it fails at once when any peer of the party is lost or has left.
 *
 * <p>Not thread-safe: a link belongs to its party's protocol thread.
 */
public final class Link
{
    /** The whole address space, so that Aeron's off-heap buffers can be copied from and to without a view object. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final int FRAGMENT_LIMIT = 64;
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final PartyTransport party;
    private final int self;
    private final int peer;
    private final ExclusivePublication publication;
    private final Subscription subscription;
    private final int chunkPayload;
    private final BufferClaim claim = new BufferClaim();
    private final StagingBuffer staged = new StagingBuffer();
    private final ControlledFragmentHandler deliver = this::deliver;
    private final ControlledFragmentHandler stage = this::stage;

    private ChunkCipher sealer; // null: plaintext link (before the key agreement, or encryption switched off)
    private ChunkCipher opener;
    private int sendSequence;
    private int receiveSequence;
    private final PeerStream stream;

    // the message being received
    private int expectedStep;
    private MemorySegment destination;
    private long received;
    private boolean messageDone;
    private String mismatch;

    private long bytesSent;
    private long messagesSent;
    private long chunksSent;
    private long bytesReceived;
    private long messagesReceived;
    private long backPressured;
    /** Fragments left in the image because the staging buffer was at its bound. */
    private long stagingRefused;

    Link(final PartyTransport party, final int self, final int peer, final ExclusivePublication publication,
        final Subscription subscription)
    {
        this.party = party;
        this.self = self;
        this.peer = peer;
        this.publication = publication;
        this.subscription = subscription;
        this.chunkPayload = publication.maxPayloadLength() - MessageHeader.LENGTH;
        this.stream = new PeerStream(Parties.name(peer), java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(party.livenessTimeoutNs()));
    }

    public int peer()
    {
        return peer;
    }

    /**
     * Sends all of {@code data} as one message tagged with {@code step}. Returns once every byte is in the
     * publication's log (the driver transmits it from there), so the caller may reuse {@code data} at once.
     *
     * @throws TransportException if a peer is lost or left, the link is not connected for the message timeout, or it
     *                            stays blocked for the stall timeout
     */
    public void send(final int step, final MemorySegment data)
    {
        party.failIfAnyPeerGone("send", step, this);
        final int depth = party.sendDepth();
        final long total = data.byteSize();
        final int tag = sealer == null ? 0 : ChunkCipher.TAG_BYTES;
        long offset = 0;
        do
        {
            final int payload = (int)Math.min(chunkPayload - tag, total - offset);
            claimChunk(step, MessageHeader.LENGTH + payload + tag);
            final MutableDirectBuffer buffer = claim.buffer();
            final int at = claim.offset();
            buffer.putInt(at + MessageHeader.STEP_OFFSET, step, ByteOrder.LITTLE_ENDIAN);
            buffer.putInt(at + MessageHeader.SEQUENCE_OFFSET, sendSequence, ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(at + MessageHeader.LENGTH_OFFSET, total, ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(at + MessageHeader.CHUNK_OFFSET_OFFSET, offset, ByteOrder.LITTLE_ENDIAN);
            buffer.putInt(at + MessageHeader.DEPTH_OFFSET, depth, ByteOrder.LITTLE_ENDIAN);
            final long address = buffer.addressOffset() + at;
            if (sealer == null)
            {
                MemorySegment.copy(data, offset, ALL, address + MessageHeader.LENGTH, payload);
            }
            else
            {
                sealer.seal(ALL.asSlice(address, MessageHeader.LENGTH), data.asSlice(offset, payload),
                    ALL.asSlice(address + MessageHeader.LENGTH, payload + tag));
            }
            claim.commit();
            offset += payload;
            chunksSent++;
        }
        while (offset < total);
        party.invokeConductor(); // in INVOKER mode this transmits now, not when the party next waits
        sendSequence++;
        messagesSent++;
        bytesSent += total;
    }

    private void claimChunk(final int step, final int length)
    {
        final long start = System.nanoTime();
        final long refusedBefore = party.stagingRefused();
        long idleSince = start;
        while (true)
        {
            final long result = publication.tryClaim(length, claim);
            if (result > 0)
            {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw failure("send", step, "publication " + (result == Publication.CLOSED ? "closed" : "reached its maximum position"));
            }
            backPressured++;
            final int work = party.stageIncoming();
            party.failIfAnyPeerGone("send", step, this);
            final long now = System.nanoTime();
            if (work > 0)
            {
                idleSince = now;
                party.idleReset();
                continue;
            }
            // not connected: the peer's driver stopped answering (liveness); blocked: a live peer that does not
            // drain (progress)
            final boolean notConnected = result == Publication.NOT_CONNECTED;
            final long limit = notConnected ? party.messageTimeoutNs() : party.stallTimeoutNs();
            if (now - (notConnected ? idleSince : start) > limit)
            {
                throw failure("send", step, (notConnected ? "not connected" : "link blocked (" + Parties.name(peer)
                    + " alive but not reading" + (party.stagingRefused() > refusedBefore ? "; this party stopped "
                    + "staging incoming chunks at its bound, TransportConfig.maxStagedBytes = " + party.maxStagedBytes()
                    + " bytes: both ends are sending more than it holds" : "") + ")") + " for " + limit / 1_000_000 + " ms");
            }
            party.idle();
        }
    }

    /**
     * Receives one message tagged {@code step} into all of {@code destination} (its size is the expected length).
     *
     * @throws TransportException if the next message on the link has another step, sequence or length, if a peer is
     *                            lost or left or this one closed its stream, or if nothing arrives for the message
     *                            timeout (a link's first message) or the stall timeout (later ones)
     */
    public void receive(final int step, final MemorySegment destination)
    {
        this.expectedStep = step;
        this.destination = destination;
        this.received = 0;
        this.messageDone = false;
        party.failIfAnyPeerGone("receive", step, this);
        party.idleReset(); // a new wait: the adaptive strategy yields first
        long lastWork = System.nanoTime();
        while (!messageDone)
        {
            final int work;
            if (!staged.isEmpty())
            {
                final MemorySegment chunk = staged.peek();
                if (accept(chunk, 0, (int)chunk.byteSize()))
                {
                    staged.pop();
                }
                work = 1;
            }
            else
            {
                work = subscription.controlledPoll(deliver, FRAGMENT_LIMIT);
            }
            if (mismatch != null)
            {
                final String cause = mismatch;
                mismatch = null;
                throw failure("receive", step, cause);
            }
            if (work > 0)
            {
                lastWork = System.nanoTime();
                party.idleReset();
                continue;
            }
            party.invokeConductor();
            party.failIfAnyPeerGone("receive", step, this);
            if (stream.isClosedByPeer() && staged.isEmpty()) // its image goes away only once all of it was read
            {
                throw failure("receive", step, Parties.name(peer) + " closed its side of the session (got " + received
                    + " of " + destination.byteSize() + " bytes)");
            }
            // the first message of a session has nothing slow before it (liveness); later ones may wait for a peer's
            // long computation (progress)
            final long limit = stream.isPinned() ? party.stallTimeoutNs() : party.messageTimeoutNs();
            if (System.nanoTime() - lastWork > limit)
            {
                throw failure("receive", step, "nothing arrived for " + limit / 1_000_000 + " ms (got "
                    + received + " of " + destination.byteSize() + " bytes" + (stream.isPinned()
                    ? "; " + Parties.name(peer) + "'s stream is alive: it is stuck, not dead)" : ")"));
            }
            party.idle();
        }
        this.destination = null;
        receiveSequence++;
        messagesReceived++;
        bytesReceived += destination.byteSize();
    }

    private ControlledFragmentHandler.Action deliver(final DirectBuffer buffer, final int offset, final int length,
        final Header header)
    {
        if (destination == null || messageDone)
        {
            return ControlledFragmentHandler.Action.ABORT; // belongs to the next message: leave it in the log
        }
        if (!ofThisSession(buffer, offset, length, header))
        {
            return ControlledFragmentHandler.Action.CONTINUE; // another session's: dropped, never delivered
        }
        final byte[] array = buffer.byteArray();
        final boolean ok = array == null
            ? accept(ALL, buffer.addressOffset() + offset, length)
            : accept(MemorySegment.ofArray(array), offset, length);
        if (!ok)
        {
            return ControlledFragmentHandler.Action.ABORT; // Aeron would swallow an exception thrown here
        }
        return messageDone ? ControlledFragmentHandler.Action.BREAK : ControlledFragmentHandler.Action.CONTINUE;
    }

    /**
     * Checks one chunk against the expected message and copies its payload; on a mismatch records the cause in
     * {@link #mismatch} and returns false (the caller throws once it is outside Aeron's poll).
     */
    private boolean accept(final MemorySegment src, final long at, final int length)
    {
        final int tag = opener == null ? 0 : ChunkCipher.TAG_BYTES;
        final int payload = length - MessageHeader.LENGTH - tag;
        if (opener != null)
        {
            // authenticate before believing the header (it is the associated data): a forgery is reported as such
            if (payload < 0 || received + payload > destination.byteSize())
            {
                mismatch = "a chunk of " + length + " bytes does not fit message #" + receiveSequence + " of step "
                    + expectedStep + " (forged or corrupted; the link is abandoned)";
                return false;
            }
            if (!opener.open(src.asSlice(at, MessageHeader.LENGTH), src.asSlice(at + MessageHeader.LENGTH, payload + tag),
                destination.asSlice(received, payload)))
            {
                mismatch = "chunk #" + (opener.chunks() - 1) + " failed authentication (forged, altered, replayed or out "
                    + "of order; the link is abandoned)";
                return false;
            }
        }
        final int step = src.get(INT_LE, at + MessageHeader.STEP_OFFSET);
        final int sequence = src.get(INT_LE, at + MessageHeader.SEQUENCE_OFFSET);
        final long total = src.get(LONG_LE, at + MessageHeader.LENGTH_OFFSET);
        final long offset = src.get(LONG_LE, at + MessageHeader.CHUNK_OFFSET_OFFSET);
        if (step != expectedStep || sequence != receiveSequence || total != destination.byteSize() || offset != received
            || payload < 0 || offset + payload > total)
        {
            mismatch = "expected message #" + receiveSequence + " of step " + expectedStep + " with "
                + destination.byteSize() + " bytes (at offset " + received + ") but got message #" + sequence
                + " of step " + step + " with " + total + " bytes (chunk at offset " + offset + ")";
            return false;
        }
        if (opener == null)
        {
            MemorySegment.copy(src, at + MessageHeader.LENGTH, destination, offset, payload);
        }
        party.observeDepth(src.get(INT_LE, at + MessageHeader.DEPTH_OFFSET));
        received += payload;
        messageDone = received == total;
        return true;
    }

    /** Copies whatever has arrived on this link into the staging buffer; returns the number of chunks staged. */
    int stageIncoming()
    {
        return subscription.controlledPoll(stage, FRAGMENT_LIMIT);
    }

    private ControlledFragmentHandler.Action stage(final DirectBuffer buffer, final int offset, final int length,
        final Header header)
    {
        if (!ofThisSession(buffer, offset, length, header))
        {
            return ControlledFragmentHandler.Action.CONTINUE; // another session's: dropped, never staged
        }
        if (staged.bytes() + Integer.BYTES + length > party.maxStagedBytes())
        {
            stagingRefused++;
            return ControlledFragmentHandler.Action.ABORT; // left in the image: flow control holds the sender back
        }
        final byte[] array = buffer.byteArray();
        if (array == null)
        {
            staged.append(ALL, buffer.addressOffset() + offset, length);
        }
        else
        {
            staged.append(MemorySegment.ofArray(array), offset, length);
        }
        return ControlledFragmentHandler.Action.CONTINUE;
    }

    /** Whether a chunk belongs to the peer session this link serves (see {@link PeerStream#admit}). */
    private boolean ofThisSession(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        return stream.admit(header.sessionId(), startsSession(buffer, offset, length)) == PeerStream.Verdict.ADMIT;
    }

    /** Whether a chunk's (plaintext) header is that of the first chunk of message #0 of a session. */
    private static boolean startsSession(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= MessageHeader.LENGTH
            && buffer.getInt(offset + MessageHeader.SEQUENCE_OFFSET, ByteOrder.LITTLE_ENDIAN) == 0
            && buffer.getLong(offset + MessageHeader.CHUNK_OFFSET_OFFSET, ByteOrder.LITTLE_ENDIAN) == 0;
    }

    /**
     * From now on every chunk in both directions is encrypted and authenticated (see {@link ChunkCipher}); both ends
     * must switch at the same point of their message streams. Chunks already staged are opened when they are read,
     * so a peer that switched first loses nothing.
     */
    void secure(final ChunkCipher sending, final ChunkCipher receiving)
    {
        this.sealer = sending;
        this.opener = receiving;
    }

    public boolean isEncrypted()
    {
        return sealer != null;
    }

    /** This link's view of the peer's stream (session pin, liveness). */
    PeerStream stream()
    {
        return stream;
    }

    int subscriptionStreamId()
    {
        return subscription.streamId();
    }

    long publicationRegistrationId()
    {
        return publication.registrationId();
    }

    long publishedPosition()
    {
        return publication.position();
    }

    boolean isPublicationConnected()
    {
        return publication.isConnected();
    }

    boolean isConnected()
    {
        return publication.isConnected() && subscription.isConnected();
    }

    String connectionState()
    {
        return (publication.isConnected() ? "" : "no link to " + Parties.name(peer) + " (publication not connected)")
            + (publication.isConnected() || subscription.isConnected() ? "" : ", ")
            + (subscription.isConnected() ? "" : "no stream from " + Parties.name(peer) + " yet");
    }

    TransportException failure(final String op, final int step, final String cause)
    {
        return new TransportException(Parties.name(self) + " " + op + " " + (op.equals("send") ? "to " : "from ")
            + Parties.name(peer) + " failed at step " + step + ": " + cause);
    }

    public LinkCounters counters()
    {
        return new LinkCounters(self, peer, bytesSent, messagesSent, chunksSent, bytesReceived, messagesReceived,
            backPressured);
    }

    long stagingRefused()
    {
        return stagingRefused;
    }

    /** The most bytes this link ever staged at once, and how often it left a fragment unstaged at the bound. */
    long[] staging()
    {
        return new long[]{staged.highWater(), stagingRefused};
    }

    void close()
    {
        publication.close();
        subscription.close();
        staged.close();
    }
}
