package securenn.bench.protocols;

import securenn.mpc.Party;
import securenn.mpc.Role;
import securenn.mpc.Step;
import securenn.transport.LinkCounters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs every Table 8 case on one party, in lock step with the other two: a barrier (each party sends one byte to
 * each other) before and after every repetition, so that every repetition starts together and the closing barrier
 * marks the end of the slowest party. Reported times include that closing barrier (one small message each way,
 * about one round trip): conservative, and never negative as a subtraction of noisy barrier times could be.
 */
final class ProtocolRunner
{
    /** What one party measured for one case: median and spread (ms), its bytes sent per repetition, rounds. */
    record Measured(double medianMs, double minMs, double maxMs, long bytesSent, long rounds)
    {
    }

    private final Party party;
    private final boolean quick;
    private final int passes;
    private final MemorySegment one;
    private final MemorySegment sink;

    ProtocolRunner(final Party party, final boolean quick, final int passes, final Arena arena)
    {
        this.party = party;
        this.quick = quick;
        this.passes = passes;
        this.one = arena.allocate(1);
        this.sink = arena.allocate(1);
    }

    List<Measured> runAll(final List<ProtocolCase> cases)
    {
        // one pass over every case first, so that code shared by several cases (DReLU inside Maxpool) is compiled
        // before the first of them is measured
        for (final ProtocolCase c : cases)
        {
            try (Arena arena = Arena.ofConfined())
            {
                time(c.prepare().on(party, arena), quick ? Math.min(3, c.warmups()) : Math.min(25, c.warmups()));
            }
        }
        for (int pass = 1; pass < passes; pass++)
        {
            measurePass(cases); // extra passes first: three JVMs on two cores keep compiling in the background for a while
        }
        return measurePass(cases);
    }

    private List<Measured> measurePass(final List<ProtocolCase> cases)
    {
        final List<Measured> out = new ArrayList<>();
        for (final ProtocolCase c : cases)
        {
            try (Arena arena = Arena.ofConfined())
            {
                final Runnable body = c.prepare().on(party, arena);
                time(body, quick ? Math.min(5, c.warmups()) : c.warmups()); // the Vector API and AES-CTR are ~30-100× slower before C2
                final long bytesBefore = bytesSent();
                barrier();
                final long clockBefore = party.transport().rounds();
                body.run();
                barrier();
                barrier(); // after two closing barriers every clock is the protocol's depth + 2, P0's included
                final long rounds = party.transport().rounds() - clockBefore - 2;
                final long bytes = bytesSent() - bytesBefore - 3L * 2; // minus the three barriers' bytes
                final double[] ms = time(body, quick ? Math.min(5, c.reps()) : c.reps());
                Arrays.sort(ms);
                out.add(new Measured(median(ms), ms[0], ms[ms.length - 1], bytes, rounds));
            }
        }
        return out;
    }

    private double[] time(final Runnable body, final int reps)
    {
        final double[] ms = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            barrier();
            final long t0 = System.nanoTime();
            body.run();
            barrier();
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private void barrier()
    {
        for (final Role r : Role.values())
        {
            if (r != party.role())
            {
                party.send(r, Step.BARRIER, one);
            }
        }
        for (final Role r : Role.values())
        {
            if (r != party.role())
            {
                party.receive(r, Step.BARRIER, sink);
            }
        }
    }

    private long bytesSent()
    {
        long sum = 0;
        for (final LinkCounters c : party.transport().counters())
        {
            sum += c.bytesSent();
        }
        return sum;
    }

    private static double median(final double[] sorted)
    {
        return sorted[sorted.length / 2];
    }
}
