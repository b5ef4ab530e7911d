package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import securenn.mpc.Party;
import securenn.mpc.Randomness;
import securenn.mpc.Role;
import securenn.nn.ModelFile;
import securenn.nn.OutputLoss;
import securenn.nn.Sgd;
import securenn.service.PartySession;
import securenn.service.SessionHandshake;
import securenn.train.Checkpoints;
import securenn.train.DataShares;
import securenn.train.PartyTrainer;
import securenn.train.TrainingHandshake;
import securenn.train.TrainingPlan;
import securenn.transport.TransportException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One party of secure training as its own process: P0 and P1 hold shares of the model (from {@code share --init})
 * and of the training set (from {@code share-data}); P2 only the network. Sessions are formed as {@code serve} forms
 * them (identities, X25519, HKDF'd PRG keys, AES-GCM links). A session that fails (a peer killed, a link lost) is
 * re-formed, and the three resume from the newest checkpoint all of them hold.
 */
@Command(
    name = "train-party",
    mixinStandardHelpOptions = true,
    description = {"Runs one party (P0, P1 or P2) of secure training; start all three with the same plan options.",
        "P0 and P1: --shares (initial model shares from `securenn share --init A`) and --data (data share files from",
        "`securenn share-data`, several owners' files in the same order on both). P2: --network. Each party",
        "checkpoints its own shares in --checkpoint DIR (every --checkpoint-every iterations and at epoch ends) and",
        "resumes from the newest checkpoint all three hold. P0 prints progress; nothing secret is opened — the model",
        "owner gets the trained model with `securenn reconstruct` from P0's and P1's checkpoint files."})
final class TrainPartyCommand implements Callable<Integer>
{
    @Mixin
    PartyOptions options;

    @Mixin
    SgdOptions sgd;

    @Option(names = "--data", description = "This party's data share file(s) from `securenn share-data` (P0, P1; repeat "
        + "for several data owners, in the same order on P0 and P1).")
    List<Path> data;

    @Option(names = "--checkpoint", required = true, description = "This party's checkpoint directory (its own disk).")
    Path checkpoint;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the public batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint-every", defaultValue = "0", description = "Also checkpoint every N iterations (0: at "
        + "epoch ends only) (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--seeded-keys-for-twin-checks", paramLabel = "SEED", description = "Replace the agreed stream keys "
        + "by keys derived from SEED (all three parties), so that the fixed-point twin can replay the run bit for bit. "
        + "Anyone who knows SEED knows every party's randomness: for checks only. Links stay encrypted. A resumed run "
        + "restarts the seeded streams, so only a run without a resume equals the twin.")
    Long seededKeys;

    @Override
    public Integer call() throws Exception
    {
        try (Arena arena = Arena.ofShared())
        {
            final PartyOptions.Loaded p = options.load(arena);
            final Role role = p.role();
            if (role.holdsShares() == (data == null || data.isEmpty()))
            {
                throw new IllegalArgumentException(role.holdsShares() ? role + " needs --data (its data share files)"
                    : "P2 holds no data shares; drop --data");
            }
            if (sgd.progress < 1)
            {
                throw new IllegalArgumentException("--progress must be at least 1 but was " + sgd.progress);
            }
            final DataShares shares = role.holdsShares() ? DataShares.read(data, role, arena) : null;
            final TrainingPlan plan = new TrainingPlan(sgd.epochs, sgd.batch, sgd.rateShift, sgd.rateHalving,
                new Sgd(OutputLoss.parse(sgd.loss), sgd.momentum), seed, checkpointEvery, sgd.limit);
            plan.requireShiftsFit(p.fractionBits());
            PartyTrainer.requireFits(p.spec(), p.fractionBits(), shares);
            new Checkpoints(checkpoint, role); // refuses a directory that holds another party's checkpoints
            final String modelId = p.model() == null ? null : p.model().modelId();
            if (seededKeys != null)
            {
                System.out.println(role + ": stream keys SEEDED from --seeded-keys-for-twin-checks (for twin checks, not secret)");
            }
            for (int session = 1; ; session++)
            {
                try (Arena sessionArena = Arena.ofShared(); PartySession s = PartySession.open(p.cluster(), role, p.security(),
                    missing -> System.out.println(role + ": still waiting: " + missing)))
                {
                    SessionHandshake.check(s, p.spec(), p.fractionBits(), modelId);
                    final Party party = seededKeys == null ? s.party() : s.partyWith(Randomness.seededForTwinChecks(role, seededKeys));
                    final int rows = TrainingHandshake.agree(party, p.spec(), p.fractionBits(), plan, shares);
                    final Checkpoints checkpoints = new Checkpoints(checkpoint, role, plan.runKey(p.spec(), p.fractionBits(),
                        rows, shares == null ? null : shares.datasets(), modelId));
                    final long start = TrainingHandshake.resumePoint(party, checkpoints.held());
                    final long total = (long)plan.iterationsPerEpoch(rows) * sgd.epochs;
                    if (start > total)
                    {
                        throw new IllegalStateException("the newest checkpoint all three hold is after iteration " + start
                            + ", beyond this plan's " + total + " (" + sgd.epochs + " epochs): give --epochs at least "
                            + (start + plan.iterationsPerEpoch(rows) - 1) / plan.iterationsPerEpoch(rows));
                    }
                    System.out.printf("%s: session %d formed, links %s; %d training rows, %s%n", role, session,
                        s.encryptedLinks(), rows, start == 0 ? "starting from the initial model" : "resuming after iteration " + start);
                    final MemorySegment[] params = params(p.model(), checkpoints, start, p.spec().parameterCount(), sessionArena);
                    new PartyTrainer(party, p.spec(), p.fractionBits(), plan, shares, rows, checkpoints, modelId)
                        .run(params, start, (at, imagesPerSecond, eta) ->
                        {
                            if (role == Role.P0 && (at.done() % sgd.progress == 0 || at.done() == at.total()))
                            {
                                System.out.printf("epoch %d/%d iteration %d/%d (%d of %d): %.0f images/s, ETA %.0f s%n", at.epoch(),
                                    at.epochs(), at.iteration(), at.perEpoch(), at.done(), at.total(), imagesPerSecond, eta);
                            }
                        });
                    TrainingHandshake.finish(party, total);
                    System.out.printf("%s: trained %d iterations; checkpoint %s%n", role, total,
                        role.holdsShares() ? checkpoints.path(total) : checkpoint);
                    return 0;
                }
                catch (final TransportException | SecurityException ex) // a lost peer; a stale handshake message
                {
                    System.out.printf("%s: session %d failed: %s; forming a new one in %d ms (training resumes from the newest "
                        + "checkpoint all three hold)%n", role, session, ex.getMessage(), p.cluster().messageTimeoutMs());
                    Thread.sleep(p.cluster().messageTimeoutMs());
                }
            }
        }
    }

    /** This party's parameters to start from: a copy of the initial shares, or a checkpoint's; empty for P2. */
    private static MemorySegment[] params(final ModelFile.SharedModel initial, final Checkpoints checkpoints, final long start,
        final int count, final Arena arena) throws java.io.IOException
    {
        if (initial == null)
        {
            return new MemorySegment[count];
        }
        final ModelFile.SharedModel from = start == 0 ? initial : checkpoints.load(start, arena);
        if (!from.modelId().equals(initial.modelId()))
        {
            throw new IllegalStateException("the checkpoint after iteration " + start + " belongs to another model (id "
                + from.modelId().substring(0, 12) + ", --shares " + initial.modelId().substring(0, 12) + ")");
        }
        return from.copy(arena).params();
    }
}
