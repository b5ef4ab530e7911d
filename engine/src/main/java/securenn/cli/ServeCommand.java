package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.config.ClusterConfig;
import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.service.InferenceServer;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** One party of the secure inference service; start P0, P1 and P2 (any order) with the same cluster config. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {"Runs one party (P0, P1 or P2) of the secure inference service until stopped (Ctrl-C / SIGTERM drains).",
        "P0 and P1 need their model share file (from `securenn share`) and accept clients on their client-port;",
        "P2 needs only --network. The three connect over Aeron UDP as named in the cluster config.",
        "Example: securenn serve --config config/loopback.toml --party P0 --shares model/P0.shares"})
final class ServeCommand implements Callable<Integer>
{
    @Option(names = "--config", required = true, description = "Cluster config (TOML), e.g. config/loopback.toml.")
    Path config;

    @Option(names = "--party", required = true, description = "Which party this process is: P0, P1 or P2.")
    String party;

    @Option(names = "--shares", description = "This party's model share file (P0 and P1).")
    Path shares;

    @Option(names = "--network", description = "Network A–D (P2; optional check for P0/P1, whose share file names it).")
    String network;

    @Option(names = "--fraction-bits", defaultValue = "13", description = "P2's fixed-point precision; must match the shares' (default: ${DEFAULT-VALUE}).")
    int fractionBits;

    @Override
    public Integer call() throws Exception
    {
        final Role role = Role.parse(party);
        final ClusterConfig cluster = ClusterConfig.load(config);
        try (Arena arena = Arena.ofShared())
        {
            ModelFile.SharedModel model = null;
            NetworkSpec spec;
            if (role.holdsShares())
            {
                if (shares == null)
                {
                    throw new IllegalArgumentException(role + " needs --shares (its model share file from `securenn share`)");
                }
                model = ModelFile.readShares(shares, arena);
                spec = model.spec();
                if (network != null && !NetworkSpec.builtIn(network).describe().equals(spec.describe()))
                {
                    throw new IllegalArgumentException(shares + " holds network " + spec.name() + ", not --network " + network);
                }
            }
            else
            {
                if (shares != null)
                {
                    throw new IllegalArgumentException("P2 holds no model shares; drop --shares and give --network");
                }
                if (network == null)
                {
                    throw new IllegalArgumentException("P2 needs --network (A–D): it runs the protocol without the model");
                }
                spec = NetworkSpec.builtIn(network);
                new FixedPoint(fractionBits);
            }
            final InferenceServer server = new InferenceServer(cluster, role, spec, model, fractionBits, System.out);
            final Thread hook = new Thread(() ->
            {
                System.out.println(role + ": stopping (draining the queue)");
                try
                {
                    server.stop(cluster.service().requestTimeoutMs() + cluster.messageTimeoutMs());
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }, "securenn-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            server.run();
        }
        return 0;
    }
}
