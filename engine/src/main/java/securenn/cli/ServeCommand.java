package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import securenn.config.ClusterConfig;
import securenn.mpc.Role;
import securenn.service.InferenceServer;

import java.lang.foreign.Arena;
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
    @Mixin
    PartyOptions options;

    @Override
    public Integer call() throws Exception
    {
        try (Arena arena = Arena.ofShared())
        {
            final PartyOptions.Loaded p = options.load(arena);
            final Role role = p.role();
            final ClusterConfig cluster = p.cluster();
            final InferenceServer server = new InferenceServer(cluster, role, p.spec(), p.model(), p.fractionBits(), p.security(), System.out);
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
