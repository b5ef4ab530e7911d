package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import securenn.config.ClusterConfig;
import securenn.mpc.Role;
import securenn.mpc.Step;
import securenn.nn.InputShares;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.nn.SecureInference;
import securenn.service.PartySession;
import securenn.service.SessionHandshake;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** One party of a one-shot secure inference session over the network, from share files. */
@Command(
    name = "party",
    mixinStandardHelpOptions = true,
    description = {"Runs one party (P0, P1 or P2) of a one-shot secure inference session from share files, then exits.",
        "P0 and P1: --shares (model) and --input (their share of the inputs, from `securenn infer`), write --output;",
        "P2: --network only. Start the three with the same cluster config, on their hosts, in any order.",
        "`securenn infer` prepares the files, runs the three parties here and reconstructs the predictions."})
final class PartyCommand implements Callable<Integer>
{
    @Mixin
    PartyOptions options;

    @Option(names = "--input", description = "This party's input share file (P0, P1).")
    Path input;

    @Option(names = "--output", description = "Where to write this party's output share file (P0, P1).")
    Path output;

    @Override
    public Integer call() throws Exception
    {
        try (Arena arena = Arena.ofShared())
        {
            final PartyOptions.Loaded p = options.load(arena);
            final Role role = p.role();
            final ClusterConfig cluster = p.cluster();
            final ModelFile.SharedModel model = p.model();
            final NetworkSpec spec = p.spec();
            InputShares x = null;
            if (role.holdsShares())
            {
                if (input == null || output == null)
                {
                    throw new IllegalArgumentException(role + " needs --input and --output");
                }
                x = InputShares.read(input, arena);
                if (x.party() != role || !x.kind().equals("input") || x.width() != spec.input().size() || !x.network().equals(spec.name()))
                {
                    throw new IllegalArgumentException(input + " holds " + x.party() + "'s " + x.kind() + "s of width " + x.width()
                        + " for network " + x.network() + ", but " + role + " needs inputs of network " + spec.name() + " (width "
                        + spec.input().size() + ")");
                }
            }
            final int f = p.fractionBits();
            try (PartySession session = PartySession.open(cluster, role, p.security()))
            {
                SessionHandshake.check(session, spec, f, model == null ? null : model.modelId());
                // P0 tells the others the row count and its chunk size (both public); all must cut the same chunks
                final MemorySegment count = arena.allocate(16);
                if (role == Role.P0)
                {
                    count.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, x.count());
                    count.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, SecureInference.CHUNK);
                    session.party().send(Role.P1, Step.SERVICE_BATCH, count);
                    session.party().send(Role.P2, Step.SERVICE_BATCH, count);
                }
                else
                {
                    session.party().receive(Role.P0, Step.SERVICE_BATCH, count);
                }
                final int n = acceptAnnouncement(count.get(ValueLayout.JAVA_LONG_UNALIGNED, 0),
                    count.get(ValueLayout.JAVA_LONG_UNALIGNED, 8), role);
                if (x != null && x.count() != n)
                {
                    throw new IllegalStateException("P0 has " + n + " inputs but " + role + "'s input file has " + x.count());
                }
                final long t0 = System.nanoTime();
                final int out = spec.output().size();
                final MemorySegment y = role.holdsShares() ? arena.allocate((long)n * out * 8, 64) : null;
                final MemorySegment[] params = model == null ? new MemorySegment[spec.parameterCount()] : model.params();
                SecureInference.forwardInChunks(session.party(), spec, params, x == null ? null : x.data(), y, n, f,
                    SecureInference.CHUNK);
                final double ms = (System.nanoTime() - t0) / 1e6;
                if (role.holdsShares())
                {
                    InputShares.write(output, new InputShares(role, spec.name(), "output", n, spec.output().size(), y));
                }
                System.out.printf("%s: secure inference of %d inputs of network %s in %.1f ms, %d bytes sent%s%n", role, n,
                    spec.name(), ms, session.bytesSent(), role.holdsShares() ? "; wrote " + output : "");
            }
        }
        return 0;
    }

    /**
     * The row count P0 announced, after checking it is an int of at least 0 and that P0 cuts chunks of
     * {@link SecureInference#CHUNK} rows as this party does (a party of another build would fall out of step).
     */
    static int acceptAnnouncement(final long rows, final long chunk, final Role role)
    {
        if (rows < 0 || rows > Integer.MAX_VALUE)
        {
            throw new IllegalStateException("P0 announced " + rows + " inputs; " + role + " accepts 0 to " + Integer.MAX_VALUE);
        }
        if (chunk != SecureInference.CHUNK)
        {
            throw new IllegalStateException("P0 runs inference in chunks of " + chunk + " rows but " + role + " in chunks of "
                + SecureInference.CHUNK + ": the parties come from different builds");
        }
        return (int)rows;
    }
}
