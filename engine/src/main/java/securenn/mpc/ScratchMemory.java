package securenn.mpc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Reusable native memory for the temporaries of one party (or one plaintext backend). Every protocol call opens a
 * {@link #frame()} in try-with-resources and allocates its buffers from it; frames nest like the calls and hand out
 * slices of large blocks that stay mapped between calls (requests of at least {@link #SMALL} bytes; smaller ones get
 * ordinary arena memory, closed with the frame). A fresh {@code Arena.ofConfined()} per call instead mallocs,
 * page-faults and zeroes every buffer each time: about a quarter of a secure training step of network C.
 *
 * <p>Frames must close in the reverse order of opening (try-with-resources does that); closing one frees everything
 * allocated since it opened. A frame that is not the innermost open one still works — it allocates from a private
 * arena — so a caller that keeps using an outer frame while an inner one is open stays correct. Allocations are
 * zero-filled like any {@link Arena}'s, except through {@link #allocateForOverwrite}. Blocks are kept for the life of
 * this object (released with it, by the GC): its footprint is the peak of the temporaries, not their sum. Used by one
 * thread at a time.
 */
public final class ScratchMemory
{
    /** Smallest block: big enough that the frames of a typical step fit in a handful of blocks. */
    static final long BLOCK = 64L << 20;

    /**
     * Requests below this size get ordinary arena memory (malloc'd without page faults): measured with three party
     * processes, serving small tensors from the blocks made network A's training step slower (103 → 181 ms), while
     * the large ones are where the blocks pay (network C).
     */
    static final long SMALL = 1L << 20;

    private final Arena backing = Arena.ofAuto();
    private final List<MemorySegment> owners = new ArrayList<>(); // keep the blocks' arena memory reachable
    private final List<MemorySegment> blocks = new ArrayList<>();
    private int block; // the block being filled; blocks after it are free
    private long offset; // first free byte in it
    private Frame top;

    /** Opens a frame; allocations from it last until it is closed. */
    public Arena frame()
    {
        top = new Frame(top, block, offset);
        return top;
    }

    /**
     * Like {@code arena.allocate(byteSize, byteAlignment)}, but a large request from a scratch frame is not zeroed:
     * for buffers the caller overwrites entirely before reading (random fills, received messages, kernel outputs).
     * Zeroing them took about 7% of the CPU time of a secure training step of network C (profiled). Other arenas and
     * small requests are zeroed as usual.
     */
    public static MemorySegment allocateForOverwrite(final Arena arena, final long byteSize, final long byteAlignment)
    {
        return arena instanceof Frame f ? f.allocate(byteSize, byteAlignment, false) : arena.allocate(byteSize, byteAlignment);
    }

    /** Bytes held in blocks (the peak of the temporaries so far). */
    public long reservedBytes()
    {
        long sum = 0;
        for (final MemorySegment b : blocks)
        {
            sum += b.byteSize();
        }
        return sum;
    }

    private MemorySegment bump(final long size, final long alignment)
    {
        while (true)
        {
            if (block < blocks.size())
            {
                final MemorySegment current = blocks.get(block);
                final long start = align(current.address() + offset, alignment) - current.address();
                if (start + size <= current.byteSize())
                {
                    offset = start + size;
                    return current.asSlice(start, size);
                }
                if (block + 1 < blocks.size())
                {
                    block++;
                    offset = 0;
                    continue;
                }
            }
            final MemorySegment owned = backing.allocate(Math.max(BLOCK, size + alignment), 64);
            owners.add(owned);
            // the same memory viewed without a scope: accesses skip the automatic arena's liveness checks (2.8% of
            // network C's step in a profile); the memory lives as long as this object, and no slice outlives the
            // frame it came from
            blocks.add(MemorySegment.ofAddress(owned.address()).reinterpret(owned.byteSize()));
            block = blocks.size() - 1;
            offset = 0;
        }
    }

    private static long align(final long address, final long alignment)
    {
        return (address + alignment - 1) & -alignment;
    }

    private final class Frame implements Arena
    {
        private final Frame parent;
        private final int markBlock;
        private final long markOffset;
        private Arena overflow;
        private boolean closed;

        Frame(final Frame parent, final int markBlock, final long markOffset)
        {
            this.parent = parent;
            this.markBlock = markBlock;
            this.markOffset = markOffset;
        }

        @Override
        public MemorySegment allocate(final long byteSize, final long byteAlignment)
        {
            return allocate(byteSize, byteAlignment, true);
        }

        MemorySegment allocate(final long byteSize, final long byteAlignment, final boolean zero)
        {
            if (closed)
            {
                throw new IllegalStateException("scratch frame already closed");
            }
            if (byteSize < 0 || byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1)
            {
                throw new IllegalArgumentException("size " + byteSize + ", alignment " + byteAlignment);
            }
            if (top != this || byteSize < SMALL)
            {
                if (overflow == null)
                {
                    overflow = Arena.ofConfined();
                }
                return overflow.allocate(byteSize, byteAlignment);
            }
            final MemorySegment s = bump(byteSize, byteAlignment);
            if (zero)
            {
                s.fill((byte)0);
            }
            return s;
        }

        @Override
        public MemorySegment.Scope scope()
        {
            return backing.scope();
        }

        @Override
        public void close()
        {
            if (closed)
            {
                return;
            }
            if (top != this)
            {
                throw new IllegalStateException("scratch frames must close innermost first");
            }
            closed = true;
            block = markBlock;
            offset = markOffset;
            top = parent;
            if (overflow != null)
            {
                overflow.close();
            }
        }
    }
}
