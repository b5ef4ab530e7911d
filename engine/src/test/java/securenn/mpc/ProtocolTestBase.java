package securenn.mpc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.assertj.core.api.Assertions.fail;

/** One three-party IPC session per test class; a shared arena per test for inputs and outputs. */
abstract class ProtocolTestBase
{
    static LocalSession session;
    Arena arena;

    @BeforeAll
    static void startSession()
    {
        session = LocalSession.seededForTwinChecks(20261124);
    }

    @AfterAll
    static void stopSession()
    {
        session.close();
    }

    @BeforeEach
    void openArena()
    {
        arena = Arena.ofShared();
    }

    @AfterEach
    void closeArena()
    {
        for (final Party p : new Party[]{session.party(Role.P0), session.party(Role.P1), session.party(Role.P2)})
        {
            p.tap(null);
            p.dreluMethod(DRelu.Method.ONE_COMPARE);
        }
        arena.close();
    }

    /** Sets how all three parties compute ReLU′ (reset to the default after each test). */
    static void useDRelu(final DRelu.Method method)
    {
        for (final Role r : Role.values())
        {
            session.party(r).dreluMethod(method);
        }
    }

    MemorySegment longs(final long n)
    {
        return arena.allocate(Math.max(1, n) * 8L).asSlice(0, n * 8L);
    }

    MemorySegment bytes(final long n)
    {
        return arena.allocate(Math.max(1, n)).asSlice(0, n);
    }

    /** Runs a protocol whose P0/P1 output is n longs; returns the reconstructed plaintext. */
    long[] runOpen(final int n, final PartyProtocol protocol)
    {
        final List<MemorySegment> outs = session.run(p ->
        {
            final MemorySegment out = p.role().holdsShares() ? longs(n) : null;
            protocol.run(p, out);
            return out;
        });
        return SharedInput.open(outs, n);
    }

    @FunctionalInterface
    interface PartyProtocol
    {
        void run(Party p, MemorySegment out) throws Exception;
    }

    static void assertEachEquals(final long[] expected, final long[] actual, final long seed, final String what,
        final long[] inputs)
    {
        for (int i = 0; i < expected.length; i++)
        {
            if (expected[i] != actual[i])
            {
                fail(what + " (seed " + seed + "): element " + i + (inputs == null ? "" : " input " + inputs[i])
                    + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }
}
