package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import securenn.mpc.Role;
import securenn.security.IdentityKeys;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Creates parties' long-term identity keys. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {"Creates a party's long-term Ed25519 identity: DIR/P0.key (private, owner-only; stays on P0's machine)",
        "and DIR/P0.pub (public; copy it to the other parties' and the clients' machines). The cluster config names",
        "every party's .pub (public-key = \"keys/P0.pub\"); sessions between parties are authenticated with these keys",
        "and clients pin P0's and P1's keys in TLS. Example for one machine: securenn keygen --all --out config/keys"})
final class KeygenCommand implements Callable<Integer>
{
    @Option(names = "--party", description = "Which party's key to create: P0, P1 or P2.")
    String party;

    @Option(names = "--all", description = "Create all three (for a cluster on one machine, tests, demos).")
    boolean all;

    @Option(names = "--out", defaultValue = "keys", description = "Folder to write to (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--force", description = "Replace existing keys (the peers then need the new .pub files).")
    boolean force;

    @Override
    public Integer call() throws Exception
    {
        if (all == (party != null))
        {
            throw new IllegalArgumentException("give either --party P0|P1|P2 or --all");
        }
        final List<Role> roles = all ? List.of(Role.values()) : List.of(Role.parse(party));
        final List<Path> written = new ArrayList<>();
        for (final Role role : roles)
        {
            final PublicKey key = IdentityKeys.generate(out, role, force);
            written.add(IdentityKeys.publicFile(out, role));
            System.out.printf("%s: wrote %s (private, keep it on %s's machine) and %s (public, fingerprint %s)%n", role,
                IdentityKeys.privateFile(out, role), role, IdentityKeys.publicFile(out, role), IdentityKeys.fingerprint(key));
        }
        System.out.println("Name the public keys in the cluster config, e.g. public-key = \"" + written.get(0) + "\" under [parties."
            + roles.get(0) + "] (paths are relative to the config file's folder).");
        return 0;
    }
}
