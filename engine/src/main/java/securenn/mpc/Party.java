package securenn.mpc;

import securenn.kernels.Kernels;
import securenn.kernels.Ring;
import securenn.kernels.random.AesCtrPrg;
import securenn.transport.PartyTransport;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One party's view of a session: its role, its links to the two others, its pairwise randomness and the kernels it
 * computes with. Protocols are static methods taking a {@code Party}; every party calls the same protocol with the
 * same public shapes, and the role decides which branch of the paper's listing it runs. Used by one thread.
 */
public final class Party
{
    private final Role role;
    private final PartyTransport transport;
    private final Randomness randomness;
    private final Kernels kernels;
    private MessageTap tap;
    private DRelu.Method dreluMethod = DRelu.Method.ONE_COMPARE;
    private int kernelThreads = 1;
    private final ScratchMemory scratch = new ScratchMemory();

    /** Sees every message this party receives, after it arrived: for the privacy smoke tests and debugging. */
    @FunctionalInterface
    public interface MessageTap
    {
        void received(Role from, Step step, MemorySegment data);
    }

    public Party(final Role role, final PartyTransport transport, final Randomness randomness, final Kernels kernels)
    {
        if (transport.self() != role.id())
        {
            throw new IllegalArgumentException("transport belongs to P" + transport.self() + ", not " + role);
        }
        this.role = role;
        this.transport = transport;
        this.randomness = randomness;
        this.kernels = kernels;
    }

    public Role role()
    {
        return role;
    }

    public Kernels kernels()
    {
        return kernels;
    }

    public Randomness randomness()
    {
        return randomness;
    }

    public PartyTransport transport()
    {
        return transport;
    }

    public void send(final Role to, final Step step, final MemorySegment data)
    {
        transport.link(to.id()).send(step.tag(), data);
    }

    public void receive(final Role from, final Step step, final MemorySegment into)
    {
        transport.link(from.id()).receive(step.tag(), into);
        if (tap != null)
        {
            tap.received(from, step, into);
        }
    }

    /** How this party computes ReLU′ ({@link DRelu}); the three parties of a session must agree. */
    public DRelu.Method dreluMethod()
    {
        return dreluMethod;
    }

    public void dreluMethod(final DRelu.Method method)
    {
        this.dreluMethod = method;
    }

    /** Threads this party's large matrix products may use (the cluster config's {@code session.kernel-threads}). */
    public int kernelThreads()
    {
        return kernelThreads;
    }

    public void kernelThreads(final int threads)
    {
        if (threads < 1)
        {
            throw new IllegalArgumentException("kernel threads must be at least 1, not " + threads);
        }
        this.kernelThreads = threads;
    }

    /**
     * Threads for one product of {@code macs} multiply-adds: {@link #kernelThreads()} if the product is large enough to
     * pay for handing work to other threads (at least {@value #PARALLEL_MACS}), else 1.
     */
    public int gemmThreads(final long macs)
    {
        return macs < PARALLEL_MACS ? 1 : kernelThreads;
    }

    /** Below this many multiply-adds (about 0.3 ms on one core) a product stays on the calling thread. */
    static final long PARALLEL_MACS = 1L << 20;

    public void tap(final MessageTap tap)
    {
        this.tap = tap;
    }

    /** Bytes of off-heap scratch this party holds for reuse: the peak of its protocols' temporaries so far. */
    public long scratchReservedBytes()
    {
        return scratch.reservedBytes();
    }

    /** A frame of this party's reusable temporary memory, for one protocol call ({@link ScratchMemory}). */
    public Arena scratch()
    {
        return scratch.frame();
    }

    /** The stream shared with {@code other}. */
    public AesCtrPrg prg(final Role other)
    {
        return randomness.with(other);
    }

    // ---- allocation helpers (one arena per protocol call; nothing per element) ----

    static MemorySegment longs(final Arena arena, final long n)
    {
        return arena.allocate(Math.max(1, n) * Long.BYTES, 64).asSlice(0, n * Long.BYTES);
    }

    static MemorySegment bytes(final Arena arena, final long n)
    {
        return arena.allocate(Math.max(1, n), 64).asSlice(0, n);
    }

    /** n longs the caller overwrites entirely before reading them (not zeroed; see ScratchMemory). */
    static MemorySegment longsForOverwrite(final Arena arena, final long n)
    {
        return ScratchMemory.allocateForOverwrite(arena, Math.max(1, n) * Long.BYTES, 64).asSlice(0, n * Long.BYTES);
    }

    /** n bytes the caller overwrites entirely before reading them (not zeroed; see ScratchMemory). */
    static MemorySegment bytesForOverwrite(final Arena arena, final long n)
    {
        return ScratchMemory.allocateForOverwrite(arena, Math.max(1, n), 64).asSlice(0, n);
    }

    /** n uniform elements of Z_{2^64} from {@code prg}. */
    static MemorySegment randomLongs(final Arena arena, final AesCtrPrg prg, final long n)
    {
        final MemorySegment s = longsForOverwrite(arena, n);
        prg.fill(s);
        return s;
    }

    /** n uniform elements of the odd ring Z_{2^64−1} (never 2^64 − 1) from {@code prg}. */
    static MemorySegment randomOdd(final Arena arena, final AesCtrPrg prg, final long n)
    {
        final MemorySegment s = randomLongs(arena, prg, n);
        for (long i = 0; i < n; i++)
        {
            while (s.getAtIndex(Ring.LONG, i) == -1L)
            {
                s.setAtIndex(Ring.LONG, i, prg.nextLong());
            }
        }
        return s;
    }

    /** n uniform bits (one per byte) from {@code prg}. */
    static MemorySegment randomBits(final Arena arena, final AesCtrPrg prg, final long n)
    {
        final MemorySegment s = bytesForOverwrite(arena, n);
        prg.fill(s);
        for (long i = 0; i < n; i++)
        {
            s.set(Ring.BYTE, i, (byte)(s.get(Ring.BYTE, i) & 1));
        }
        return s;
    }
}
