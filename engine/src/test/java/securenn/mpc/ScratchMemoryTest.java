package securenn.mpc;

import org.junit.jupiter.api.Test;
import securenn.kernels.Ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScratchMemoryTest
{
    @Test
    void framesShouldReuseTheSameMemoryAndHandItOutZeroed()
    {
        final ScratchMemory scratch = new ScratchMemory();
        long first;
        try (Arena a = scratch.frame())
        {
            final MemorySegment s = a.allocate(ScratchMemory.SMALL, 64);
            first = s.address();
            s.fill((byte)7);
        }
        try (Arena a = scratch.frame())
        {
            final MemorySegment s = a.allocate(ScratchMemory.SMALL, 64);
            assertThat(s.address()).as("same bytes again").isEqualTo(first);
            for (long i = 0; i < ScratchMemory.SMALL / 8; i++)
            {
                assertThat(s.getAtIndex(Ring.LONG, i)).isZero();
            }
        }
        assertThat(scratch.reservedBytes()).isEqualTo(ScratchMemory.BLOCK);
    }

    @Test
    void allocationsForOverwriteShouldReuseTheBlocksUnzeroedAndFallBackToZeroedArenas()
    {
        final ScratchMemory scratch = new ScratchMemory();
        long first;
        try (Arena a = scratch.frame())
        {
            final MemorySegment s = ScratchMemory.allocateForOverwrite(a, ScratchMemory.SMALL, 64);
            first = s.address();
            s.fill((byte)7);
        }
        try (Arena a = scratch.frame())
        {
            final MemorySegment s = ScratchMemory.allocateForOverwrite(a, ScratchMemory.SMALL, 64);
            assertThat(s.address()).as("same bytes again").isEqualTo(first);
            assertThat(s.byteSize()).isEqualTo(ScratchMemory.SMALL);
            assertThat(s.get(Ring.BYTE, 0)).as("left as the last user wrote it").isEqualTo((byte)7);
            final MemorySegment zeroed = a.allocate(ScratchMemory.SMALL, 64);
            assertThat(zeroed.address()).as("after the first, not over it").isGreaterThanOrEqualTo(first + ScratchMemory.SMALL);
            assertThat(zeroed.get(Ring.BYTE, 0)).isZero();
        }
        try (Arena plain = Arena.ofConfined())
        {
            final MemorySegment s = ScratchMemory.allocateForOverwrite(plain, 4096, 64);
            assertThat(s.byteSize()).isEqualTo(4096);
            for (long i = 0; i < 4096 / 8; i++)
            {
                assertThat(s.getAtIndex(Ring.LONG, i)).as("other arenas zero as always").isZero();
            }
        }
    }

    @Test
    void nestedFramesShouldNotOverlapAndInnerCloseShouldFreeOnlyTheInner()
    {
        final ScratchMemory scratch = new ScratchMemory();
        try (Arena outer = scratch.frame())
        {
            final long big = ScratchMemory.SMALL;
            final MemorySegment a = outer.allocate(big, 8);
            a.fill((byte)1);
            long innerAddress;
            try (Arena inner = scratch.frame())
            {
                final MemorySegment b = inner.allocate(big, 8);
                innerAddress = b.address();
                assertThat(b.address()).isGreaterThanOrEqualTo(a.address() + big);
                // the outer frame is not innermost now: it still allocates, from memory of its own
                final MemorySegment c = outer.allocate(big, 8);
                assertThat(c.address() + big <= b.address() || c.address() >= b.address() + big).isTrue();
                b.fill((byte)2);
                c.fill((byte)3);
            }
            final MemorySegment d = outer.allocate(big, 8);
            assertThat(d.address()).as("the inner frame's bytes are free again").isEqualTo(innerAddress);
            assertThat(a.get(Ring.BYTE, big - 1)).isEqualTo((byte)1);
            final MemorySegment small = outer.allocate(16, 8);
            assertThat(small.address() < d.address() || small.address() >= d.address() + big)
                .as("small requests come from ordinary arena memory").isTrue();
        }
    }

    @Test
    void largeRequestsShouldGetTheirOwnBlockAndAlignmentShouldHold()
    {
        final ScratchMemory scratch = new ScratchMemory();
        try (Arena a = scratch.frame())
        {
            a.allocate(ScratchMemory.SMALL + 3, 1);
            final MemorySegment aligned = a.allocate(ScratchMemory.SMALL, 64);
            assertThat(aligned.address() % 64).isZero();
            final MemorySegment big = a.allocate(ScratchMemory.BLOCK + 8, 64);
            assertThat(big.byteSize()).isEqualTo(ScratchMemory.BLOCK + 8);
            big.set(Ring.BYTE, big.byteSize() - 1, (byte)5);
        }
        assertThat(scratch.reservedBytes()).isGreaterThan(2 * ScratchMemory.BLOCK);
    }

    @Test
    void closingOutOfOrderShouldBeRefused()
    {
        final ScratchMemory scratch = new ScratchMemory();
        final Arena outer = scratch.frame();
        final Arena inner = scratch.frame();
        assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("innermost");
        inner.close();
        outer.close();
        assertThatThrownBy(() -> outer.allocate(8, 8)).isInstanceOf(IllegalStateException.class);
    }
}
