package securenn.bench.serve;

import securenn.bench.ChildJvm;
import securenn.cli.Main;
import securenn.config.ClusterConfig;
import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.mpc.SecretSplitter;
import securenn.nn.Model;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.security.IdentityKeys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Three {@code securenn serve} processes as deployed (UDP loopback, encrypted links, TLS for clients) serving one
 * network, with their shares, identity keys, config and logs in a temporary folder; for the service benchmarks.
 */
final class ServedCluster implements AutoCloseable
{
    final Path dir;
    final ClusterConfig cluster;
    final NetworkSpec spec;
    final Model model;
    private final List<Process> servers = new ArrayList<>();
    private final List<List<String>> commands = new ArrayList<>();
    private final int[] restarts = new int[3];

    private ServedCluster(final Path dir, final ClusterConfig cluster, final NetworkSpec spec, final Model model)
    {
        this.dir = dir;
        this.cluster = cluster;
        this.spec = spec;
        this.model = model;
    }

    /** Starts the three servers of network {@code name} (A: the bundled model; others: random weights). */
    static ServedCluster start(final String name, final int basePort, final String extraToml) throws Exception
    {
        final NetworkSpec spec = NetworkSpec.builtIn(name);
        final Path dir = Files.createTempDirectory("securenn-serve-bench");
        final Model model = name.equals("A") ? ModelFile.bundled() : Model.random(spec, 1);
        try (Arena arena = Arena.ofConfined())
        {
            final ModelFile.SharedModel[] shares = ModelFile.split(model, FixedPoint.DEFAULT, arena, SecretSplitter.fresh());
            ModelFile.writeShares(dir.resolve("P0.shares"), shares[0]);
            ModelFile.writeShares(dir.resolve("P1.shares"), shares[1]);
        }
        for (final Role r : Role.values())
        {
            IdentityKeys.generate(dir.resolve("keys"), r, false);
        }
        final Path config = dir.resolve("cluster.toml");
        Files.writeString(config, ClusterConfig.loopbackToml(basePort, dir.resolve("keys"), extraToml));
        final ServedCluster c = new ServedCluster(dir, ClusterConfig.load(config), spec, model);
        try
        {
            for (final String party : List.of("P0", "P1", "P2"))
            {
                final List<String> args = new ArrayList<>(List.of("serve", "--config", config.toString(), "--party", party));
                args.addAll(party.equals("P2") ? List.of("--network", name) : List.of("--shares", dir.resolve(party + ".shares").toString()));
                c.commands.add(args);
                c.servers.add(ChildJvm.startLogged(Main.class, c.log(party), args.toArray(String[]::new)));
            }
            c.awaitServing();
            return c;
        }
        catch (final Exception ex)
        {
            c.close();
            throw ex;
        }
    }

    /** The server process of {@code party} (P0, P1, P2). */
    Process process(final String party)
    {
        return servers.get(Integer.parseInt(party.substring(1)));
    }

    /** The log of {@code party}'s current process (a restarted one logs to P2-restart-1.log, ...). */
    Path log(final String party)
    {
        final int p = Integer.parseInt(party.substring(1));
        return dir.resolve(party + (restarts[p] == 0 ? "" : "-restart-" + restarts[p]) + ".log");
    }

    /** Kills {@code party}'s server with SIGKILL (no drain, no goodbye) and waits until it is gone. */
    void kill(final String party) throws InterruptedException
    {
        final Process p = process(party);
        p.destroyForcibly();
        p.waitFor(20, TimeUnit.SECONDS);
    }

    /** Starts {@code party}'s server again with the same arguments, logging to a new file. */
    void restart(final String party) throws IOException
    {
        final int p = Integer.parseInt(party.substring(1));
        restarts[p]++;
        servers.set(p, ChildJvm.startLogged(Main.class, log(party), commands.get(p).toArray(String[]::new)));
    }

    /**
     * Waits until each server's log says a session was formed. P0 and P1 open their client ports before their first
     * session (requests that come earlier are answered UNAVAILABLE), so then they also accept clients.
     */
    private void awaitServing() throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (final String party : List.of("P0", "P1", "P2"))
        {
            while (!Files.exists(log(party)) || !Files.readString(log(party)).contains("session 1 formed"))
            {
                if (!process(party).isAlive())
                {
                    throw new IllegalStateException(party + " exited during start; logs in " + dir);
                }
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException(party + " formed no session within 90 s; logs in " + dir);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Stops the servers (SIGTERM drains), forcibly after 20 s. */
    @Override
    public void close() throws InterruptedException
    {
        for (final Process p : servers)
        {
            p.destroy();
        }
        for (final Process p : servers)
        {
            if (!p.waitFor(20, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
            }
        }
    }
}
