package securenn.mpc;

import securenn.kernels.Ring;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs a protocol with keys chosen per run and records one party's view: the harness of the view tests. The
 * receiver's keys (the two pairwise keys it holds and its private key) come from one seed and everything it does not
 * know (the third pairwise key, the other two parties' private keys) from another, so that a test can hold the
 * receiver's randomness fixed and draw the rest fresh. Each run builds three new {@link Party} objects on the
 * transports of an existing {@link LocalSession} (whose own parties and streams it leaves untouched).
 *
 * <p>Besides what the receiver receives, a run records what it sends (as its peers receive it): the receiver computed
 * those messages itself, so they are part of what it knows, and a test can combine a received half of an opening with
 * the receiver's own half.
 */
final class Views
{
    /** One message, in the order its receiver received it; step null: a share the party holds, not a message. */
    record Message(Role from, Role to, Step step, byte[] data)
    {
        /** {@code holder}'s share of a protocol's input, as a slot of its view. */
        static Message share(final Role holder, final byte[] data)
        {
            return new Message(holder, holder, null, data);
        }

        String slot()
        {
            return (step == null ? from + "'s input share" : from + " " + step) + " (" + data.length + " bytes)";
        }
    }

    /** What the receiver received and sent, and what P0 and P1 returned. */
    record Run<T>(List<Message> received, List<Message> sent, T p0, T p1)
    {
        /** P0's or P1's result. */
        T of(final Role role)
        {
            return switch (role)
            {
                case P0 -> p0;
                case P1 -> p1;
                case P2 -> throw new IllegalArgumentException("P2 returns nothing here");
            };
        }
    }

    private Views()
    {
    }

    /**
     * Keys of one run, indexed by role: the receiver's pairwise keys and private key from {@code receiverSeed}, the
     * other pairwise key and the other parties' private keys from {@code freshSeed}. The same seed gives the same key
     * to every receiver it is asked for (a key is derived from its seed and its name alone).
     */
    static Randomness[] keys(final Role receiver, final long receiverSeed, final long freshSeed)
    {
        final byte[][][] all = new byte[3][3][];
        for (int i = 0; i < 3; i++)
        {
            for (int j = i + 1; j < 3; j++)
            {
                final boolean held = i == receiver.id() || j == receiver.id();
                all[i][j] = key(held ? receiverSeed : freshSeed, "k" + i + j);
            }
        }
        final Randomness[] out = new Randomness[3];
        for (final Role role : Role.values())
        {
            out[role.id()] = new Randomness(role, only(all, role.id()),
                key(role == receiver ? receiverSeed : freshSeed, "own" + role.id()));
        }
        return out;
    }

    /**
     * Runs {@code program} on fresh parties with the given keys; the messages {@code receiver} receives and those it
     * sends are recorded.
     */
    static <T> Run<T> run(final LocalSession session, final Randomness[] keys, final Role receiver,
        final LocalSession.Program<T> program)
    {
        // one list per party, each written by that party's thread alone
        final List<List<Message>> byReceiver = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        final List<T> results = session.run(p ->
        {
            final Party fresh = new Party(p.role(), p.transport(), keys[p.role().id()], p.kernels());
            fresh.dreluMethod(p.dreluMethod());
            final List<Message> mine = byReceiver.get(p.role().id());
            fresh.tap((from, step, data) ->
            {
                if (p.role() == receiver || from == receiver)
                {
                    mine.add(new Message(from, p.role(), step, data.toArray(Ring.BYTE)));
                }
            });
            return program.run(fresh);
        });
        // session.run joined every party's thread: their writes to the lists happen before these reads
        final List<Message> sent = new ArrayList<>();
        for (final Role other : Role.values())
        {
            if (other != receiver)
            {
                sent.addAll(byReceiver.get(other.id()));
            }
        }
        return new Run<>(List.copyOf(byReceiver.get(receiver.id())), List.copyOf(sent), results.get(0),
            results.get(1));
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
