package securenn.mpc;

import securenn.kernels.Ring;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs a protocol with keys chosen per run and records what P2 receives: the harness of the view tests. P2's keys
 * (k02, k12 and its private key) come from one seed and everything P2 does not know (k01, P0's and P1's private keys)
 * from another, so that a test can hold P2's randomness fixed and draw the rest fresh. Each run builds three new
 * {@link Party} objects on the transports of an existing {@link LocalSession} (whose own parties and streams it leaves
 * untouched).
 */
final class P2Views
{
    /** One message P2 received, in the order it received them. */
    record Message(Role from, Step step, byte[] data)
    {
        String slot()
        {
            return from + " " + step + " (" + data.length + " bytes)";
        }
    }

    /** What P2 received, and what P0 and P1 returned. */
    record Run<T>(List<Message> received, T p0, T p1)
    {
    }

    private P2Views()
    {
    }

    /**
     * Keys of one run, indexed by role: P2's from {@code p2Seed}, k01 and P0's, P1's private keys from
     * {@code freshSeed}.
     */
    static Randomness[] keys(final long p2Seed, final long freshSeed)
    {
        final byte[] k01 = key(freshSeed, "k01");
        final byte[] k02 = key(p2Seed, "k02");
        final byte[] k12 = key(p2Seed, "k12");
        final byte[][][] all = new byte[3][3][];
        all[0][1] = k01;
        all[0][2] = k02;
        all[1][2] = k12;
        return new Randomness[]{
            new Randomness(Role.P0, only(all, 0), key(freshSeed, "own0")),
            new Randomness(Role.P1, only(all, 1), key(freshSeed, "own1")),
            new Randomness(Role.P2, only(all, 2), key(p2Seed, "own2"))};
    }

    /** Runs {@code program} on fresh parties with the given keys; P2's received messages are recorded. */
    static <T> Run<T> run(final LocalSession session, final Randomness[] keys, final LocalSession.Program<T> program)
    {
        final List<Message> received = new ArrayList<>();
        final List<T> results = session.run(p ->
        {
            final Party fresh = new Party(p.role(), p.transport(), keys[p.role().id()], p.kernels());
            fresh.dreluMethod(p.dreluMethod());
            if (p.role() == Role.P2)
            {
                fresh.tap((from, step, data) -> received.add(new Message(from, step, data.toArray(Ring.BYTE))));
            }
            return program.run(fresh);
        });
        // session.run joined P2's thread: its writes to the list happen before this read
        return new Run<>(received, results.get(0), results.get(1));
    }

    private static byte[][][] only(final byte[][][] all, final int self)
    {
        final byte[][][] mine = new byte[3][3][];
        for (int i = 0; i < 3; i++)
        {
            for (int j = i + 1; j < 3; j++)
            {
                if (i == self || j == self)
                {
                    mine[i][j] = all[i][j];
                }
            }
        }
        return mine;
    }

    private static byte[] key(final long seed, final String label)
    {
        final byte[] k = new byte[16];
        new SplittableRandom(seed * 0x9E3779B97F4A7C15L + label.hashCode()).nextBytes(k);
        return k;
    }
}
