package securenn.train;

import securenn.mpc.Party;
import securenn.mpc.Role;
import securenn.mpc.Step;
import securenn.nn.NetworkSpec;
import securenn.service.SessionHandshake;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

/**
 * What the three parties of a training session agree on before the first step, all of it public: how many rows P0
 * and P1 hold (P2 learns the count here: it runs the protocols on the same shapes), that P0's and P1's data shares
 * come from the same splits in the same order, the whole {@link TrainingPlan}, and the checkpoint to resume from.
 * Every disagreement fails naming what differs, before anything secret is touched.
 */
public final class TrainingHandshake
{
    private TrainingHandshake()
    {
    }

    /**
     * Agrees the row count and the plan; returns the number of rows. Every party sees both data holders' counts and
     * split hashes, so a mismatch fails all three with its reason (not only the party that noticed).
     *
     * @param data this party's data shares (P0, P1) or null (P2)
     */
    public static int agree(final Party party, final NetworkSpec spec, final int fractionBits, final TrainingPlan plan,
        final DataShares data)
    {
        final Role role = party.role();
        try (Arena arena = Arena.ofConfined())
        {
            final byte[] mine = new byte[8 + 32];
            if (data != null)
            {
                MemorySegment.ofArray(mine).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, data.rows());
                System.arraycopy(SessionHandshake.sha256(String.join(",", data.datasets())), 0, mine, 8, 32);
            }
            final byte[][] holders = new byte[2][];
            if (role.holdsShares())
            {
                holders[role.id()] = mine;
            }
            SessionHandshake.exchange(party, Step.TRAIN_ROWS, mine, arena, (other, theirs) ->
            {
                if (other.holdsShares())
                {
                    holders[other.id()] = theirs;
                }
            });
            final long n = MemorySegment.ofArray(holders[0]).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            final long n1 = MemorySegment.ofArray(holders[1]).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            if (n != n1)
            {
                throw new IllegalStateException("P0 holds " + n + " training rows but P1 " + n1
                    + ": give both the data share files of the same splits, in the same order");
            }
            if (!Arrays.equals(holders[0], 8, 40, holders[1], 8, 40))
            {
                throw new IllegalStateException("P0's and P1's data share files come from different splits (or are in "
                    + "another order)" + (data == null ? "" : "; " + role + " holds datasets " + data.datasets()));
            }
            if (n < 1 || n > DataShares.MAX_ROWS)
            {
                throw new IllegalStateException("P0 and P1 announced " + n + " training rows");
            }
            final byte[] plans = SessionHandshake.sha256(plan.describe(spec, fractionBits, (int)n));
            SessionHandshake.exchange(party, Step.TRAIN_PLAN, plans, arena, (other, theirs) ->
            {
                if (!Arrays.equals(plans, theirs))
                {
                    throw new IllegalStateException(other + " trains with another plan than " + role + "'s ("
                        + plan.describe(spec, fractionBits, (int)n) + "): start all three with the same network, precision, "
                        + "epochs, batch, rate, loss, momentum, --seed, --checkpoint-every and --limit");
                }
            });
            return (int)n;
        }
    }

    /**
     * The last exchange of a run: a party returns only when both peers have finished and checkpointed every
     * iteration, so no party exits while another may still need it for the last step (it would wait forever, one
     * checkpoint behind).
     */
    public static void finish(final Party party, final long total)
    {
        final byte[] mine = new byte[8];
        MemorySegment.ofArray(mine).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, total);
        try (Arena arena = Arena.ofConfined())
        {
            SessionHandshake.exchange(party, Step.TRAIN_DONE, mine, arena, (other, theirs) ->
            {
                if (!Arrays.equals(mine, theirs))
                {
                    throw new IllegalStateException(other + " finished after another number of iterations than " + party.role());
                }
            });
        }
    }

    /**
     * The newest checkpoint all three parties hold (0: none, start from the initial model); each party tells the
     * others the iterations it holds.
     */
    public static long resumePoint(final Party party, final List<Long> held)
    {
        final long[] mine = new long[1 + Checkpoints.KEEP];
        mine[0] = Math.min(held.size(), Checkpoints.KEEP);
        for (int i = 0; i < mine[0]; i++)
        {
            mine[1 + i] = held.get(i);
        }
        final byte[] bytes = new byte[8 * mine.length];
        MemorySegment.ofArray(bytes).copyFrom(MemorySegment.ofArray(mine));
        final List<List<Long>> all = new java.util.ArrayList<>();
        all.add(held.subList(0, (int)mine[0]));
        try (Arena arena = Arena.ofConfined())
        {
            SessionHandshake.exchange(party, Step.TRAIN_RESUME, bytes, arena, (other, theirs) ->
            {
                final long[] t = MemorySegment.ofArray(theirs).toArray(ValueLayout.JAVA_LONG_UNALIGNED);
                if (t[0] < 0 || t[0] > Checkpoints.KEEP)
                {
                    throw new IllegalStateException(other + " announced " + t[0] + " checkpoints");
                }
                all.add(Arrays.stream(t, 1, 1 + (int)t[0]).boxed().toList());
            });
        }
        return all.get(0).stream().filter(i -> all.stream().allMatch(l -> l.contains(i))).mapToLong(Long::longValue)
            .max().orElse(0);
    }
}
