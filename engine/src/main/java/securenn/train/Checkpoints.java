package securenn.train;

import securenn.mpc.Role;
import securenn.nn.ModelFile;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One party's checkpoints on its own disk: {@code DIR/iteration-N/Pk.shares} — its shares of the model after N
 * iterations — and, when the rule has momentum, {@code Pk.velocity}, its shares of the velocities, so that a resumed
 * run continues with the momentum an uninterrupted one has (P2, which holds no shares, writes only the directory and a
 * {@code P2.done} marker, so that "held by all three" means the same thing for every party). A checkpoint is written
 * into {@code iteration-N.partial}, flushed to the disk ({@code fsync} of its files and of the directory) and renamed
 * when complete, so neither a party killed while writing nor a host that loses power leaves a half checkpoint that
 * looks whole. The newest
 * {@value #KEEP} are kept: a party killed between two checkpoints may be one behind its peers, and the parties then
 * resume from the newest one all three hold ({@link TrainingHandshake#resumePoint}).
 *
 * <p>Each checkpoint records the run it belongs to ({@code run}: a hash of the network, precision, rows, data splits,
 * model id and every plan setting but the number of epochs), and only checkpoints of this run count as held: a rerun
 * with another batch size, seed, rate or data never resumes from another plan's iteration numbers, while the same
 * run with more epochs continues where it stopped. A directory holding another party's checkpoints is refused (two
 * parties' shares on one disk are the model).
 */
public final class Checkpoints
{
    /** How many checkpoints a party keeps. */
    public static final int KEEP = 2;
    private static final String PREFIX = "iteration-";

    private static final String RUN_FILE = "run";

    private final Path dir;
    private final Role role;
    private final String run;

    /** Checkpoints of run {@code run} ({@link TrainingPlan#runKey}) in {@code dir}. */
    public Checkpoints(final Path dir, final Role role, final String run) throws IOException
    {
        this.dir = dir;
        this.role = role;
        this.run = run;
        Files.createDirectories(dir);
        for (final Role other : Role.values())
        {
            try (Stream<Path> entries = Files.list(dir))
            {
                if (other != role && entries.anyMatch(p -> Files.exists(p.resolve(other + (other.holdsShares() ? ".shares" : ".done")))))
                {
                    throw new IllegalArgumentException("checkpoint directory " + dir + " holds " + other + "'s checkpoints; give "
                        + role + " a directory of its own (two parties' shares in one place are the model)");
                }
            }
        }
    }

    /** For reading only (the model owner, tests): every complete checkpoint counts, whatever its run. */
    public Checkpoints(final Path dir, final Role role) throws IOException
    {
        this(dir, role, null);
    }

    /** Iterations of the complete checkpoints this party holds, newest first. */
    public List<Long> held() throws IOException
    {
        final List<Long> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir))
        {
            for (final Path p : (Iterable<Path>)entries::iterator)
            {
                final String name = p.getFileName().toString();
                if (name.startsWith(PREFIX) && !name.endsWith(".partial") && Files.isRegularFile(p.resolve(file()))
                    && (run == null || Files.isRegularFile(p.resolve(RUN_FILE)) && Files.readString(p.resolve(RUN_FILE)).equals(run)))
                {
                    try
                    {
                        out.add(Long.parseLong(name.substring(PREFIX.length())));
                    }
                    catch (final NumberFormatException ignored)
                    {
                        // not ours
                    }
                }
            }
        }
        out.sort(Comparator.reverseOrder());
        return out;
    }

    /** Writes the checkpoint after {@code iteration} iterations ({@code shares}: null for P2) and drops old ones. */
    public void save(final long iteration, final ModelFile.SharedModel shares) throws IOException
    {
        save(iteration, shares, null);
    }

    /**
     * As {@link #save(long, ModelFile.SharedModel)}, with this party's velocity shares ({@code velocity}: null without
     * momentum or for P2; same network, party and model id as {@code shares}).
     */
    public void save(final long iteration, final ModelFile.SharedModel shares, final MemorySegment[] velocity)
        throws IOException
    {
        if (run == null)
        {
            throw new IllegalStateException("these checkpoints were opened for reading (no run key)");
        }
        final Path partial = dir.resolve(PREFIX + iteration + ".partial");
        deleteTree(partial);
        Files.createDirectories(partial);
        if (shares != null)
        {
            ModelFile.writeShares(partial.resolve(file()), shares);
            if (velocity != null)
            {
                ModelFile.writeShares(partial.resolve(velocityFile()), new ModelFile.SharedModel(shares.spec(), shares.party(),
                    shares.fractionBits(), shares.modelId(), velocity));
            }
        }
        else
        {
            Files.writeString(partial.resolve(file()), "P2 holds no shares; iteration " + iteration + " done\n");
        }
        Files.writeString(partial.resolve(RUN_FILE), run);
        try (Stream<Path> files = Files.list(partial))
        {
            for (final Path f : (Iterable<Path>)files::iterator)
            {
                sync(f, StandardOpenOption.WRITE);
            }
        }
        sync(partial, StandardOpenOption.READ);
        final Path done = dir.resolve(PREFIX + iteration);
        deleteTree(done);
        Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE);
        sync(dir, StandardOpenOption.READ);
        final List<Long> all = held(); // this run's; another run's checkpoints stay until this one has KEEP
        for (int i = KEEP; i < all.size(); i++)
        {
            deleteTree(dir.resolve(PREFIX + all.get(i)));
        }
    }

    /** This party's shares after {@code iteration} iterations (P0, P1). */
    public ModelFile.SharedModel load(final long iteration, final Arena arena) throws IOException
    {
        return ModelFile.readShares(dir.resolve(PREFIX + iteration).resolve(file()), arena);
    }

    /**
     * This party's velocity shares after {@code iteration} iterations, copied into {@code into} (from
     * {@link securenn.nn.Sgd#velocity}); fails naming the file if the checkpoint has none or they do not fit.
     */
    public void loadVelocity(final long iteration, final MemorySegment[] into, final Arena arena) throws IOException
    {
        final Path file = dir.resolve(PREFIX + iteration).resolve(velocityFile());
        if (!Files.isRegularFile(file))
        {
            throw new IllegalStateException(file + " is missing: the checkpoint after iteration " + iteration + " holds no "
                + "momentum velocities, so resuming from it would restart momentum at zero");
        }
        final MemorySegment[] saved = ModelFile.readShares(file, arena).params();
        for (int t = 0; t < into.length; t++)
        {
            if (saved.length != into.length || saved[t].byteSize() != into[t].byteSize())
            {
                throw new IllegalStateException(file + ": velocity tensor " + t + " does not fit this network");
            }
            into[t].copyFrom(saved[t]);
        }
    }

    /** Where this party's shares of {@code iteration} are (for the model owner's {@code reconstruct}). */
    public Path path(final long iteration)
    {
        return dir.resolve(PREFIX + iteration).resolve(file());
    }

    private String velocityFile()
    {
        return role + ".velocity";
    }

    /** Flushes a file or directory to the disk (a directory: its entries, such as a rename). */
    private static void sync(final Path p, final StandardOpenOption mode) throws IOException
    {
        try (FileChannel ch = FileChannel.open(p, mode))
        {
            ch.force(true);
        }
    }

    private String file()
    {
        return role.holdsShares() ? role + ".shares" : role + ".done";
    }

    private static void deleteTree(final Path p) throws IOException
    {
        if (!Files.exists(p))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(p))
        {
            for (final Path q : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(q);
            }
        }
    }
}
