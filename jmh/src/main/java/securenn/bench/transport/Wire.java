package securenn.bench.transport;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/** One directed pair of byte pipes between two benchmark parties: Aeron or TCP, measured through the same code. */
interface Wire
{
    void send(MemorySegment data) throws IOException;

    void receive(MemorySegment into) throws IOException;
}
