package securenn.bench.transport;

import securenn.transport.Link;

import java.lang.foreign.MemorySegment;

/** A {@link Wire} over one transport link; every message uses step tag 1. */
record AeronWire(Link link) implements Wire
{
    @Override
    public void send(final MemorySegment data)
    {
        link.send(1, data);
    }

    @Override
    public void receive(final MemorySegment into)
    {
        link.receive(1, into);
    }
}
