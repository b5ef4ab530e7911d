package securenn.transport;

/**
 * Layout of the header that starts every chunk on a link (little-endian):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                         step tag (int)                        |
 *  +---------------------------------------------------------------+
 *  |                 message sequence on this link (int)           |
 *  +---------------------------------------------------------------+
 *  |                  total message length (long)                  |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |               offset of this chunk's payload (long)           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          depth: the sender's round clock + 1 (int)            |
 *  +---------------------------------------------------------------+
 *  |                        reserved (int)                         |
 *  +---------------------------------------------------------------+
 *  |                        payload ...                            |
 * </pre>
 * The receiver checks tag, sequence, length and offset against what it expects before it copies a byte, so a
 * protocol step that reads the wrong message fails with a clear error instead of misreading data. The depth is a
 * Lamport clock of communication rounds (see {@link PartyTransport#rounds()}).
 */
public final class MessageHeader
{
    public static final int STEP_OFFSET = 0;
    public static final int SEQUENCE_OFFSET = 4;
    public static final int LENGTH_OFFSET = 8;
    public static final int CHUNK_OFFSET_OFFSET = 16;
    public static final int DEPTH_OFFSET = 24;
    public static final int LENGTH = 32;

    private MessageHeader()
    {
    }
}
