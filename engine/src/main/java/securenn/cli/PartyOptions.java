package securenn.cli;

import picocli.CommandLine.Option;
import securenn.config.ClusterConfig;
import securenn.mpc.FixedPoint;
import securenn.mpc.Role;
import securenn.nn.ModelFile;
import securenn.nn.NetworkSpec;
import securenn.security.SessionSecurity;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/** The options every party process takes (serve, party): cluster config, role, identity, model shares or network. */
final class PartyOptions
{
    /** What a party knows at start: its role, the cluster, the network, its model shares (null for P2), precision. */
    record Loaded(Role role, ClusterConfig cluster, NetworkSpec spec, ModelFile.SharedModel model, int fractionBits,
        SessionSecurity security)
    {
    }

    @Option(names = "--config", required = true, description = "Cluster config (TOML), e.g. config/loopback.toml.")
    Path config;

    @Option(names = "--party", required = true, description = "Which party this process is: P0, P1 or P2.")
    String party;

    @Option(names = "--shares", description = "This party's model share file, from `securenn share` (P0 and P1).")
    Path shares;

    @Option(names = "--network", description = "Network A–D or a network description file (such as `securenn import` "
        + "writes beside a model): for P2; an optional check for P0/P1, whose share file names it.")
    String network;

    @Option(names = "--fraction-bits", defaultValue = "13", description = "P2's fixed-point precision; must match the shares' (default: ${DEFAULT-VALUE}).")
    int fractionBits;

    @Option(names = "--identity", description = "This party's private identity key (from `securenn keygen`); default: "
        + "P0.key (etc.) beside the public key the config names for this party.")
    Path identity;

    @Option(names = "--no-encryption", description = "Do NOT encrypt links to peers and clients (benchmarking only; "
        + "sessions are still authenticated; all three parties must agree). Logged loudly.")
    boolean noEncryption;

    Loaded load(final Arena arena) throws IOException
    {
        final Role role = Role.parse(party);
        final ClusterConfig cluster = ClusterConfig.load(config);
        final SessionSecurity security = SessionSecurity.load(cluster, role, identity, !noEncryption, System.out);
        if (!role.holdsShares())
        {
            if (shares != null)
            {
                throw new IllegalArgumentException("P2 holds no model shares; drop --shares and give --network");
            }
            if (network == null)
            {
                throw new IllegalArgumentException("P2 needs --network (A–D or a network description file): it runs the "
                    + "protocol without the model");
            }
            new FixedPoint(fractionBits);
            return new Loaded(role, cluster, NetworkSpec.resolve(network), null, fractionBits, security);
        }
        if (shares == null)
        {
            throw new IllegalArgumentException(role + " needs --shares (its model share file from `securenn share`)");
        }
        final ModelFile.SharedModel model = ModelFile.readShares(shares, arena);
        if (model.party() != role)
        {
            throw new IllegalArgumentException(shares + " holds " + model.party() + "'s shares, not " + role + "'s");
        }
        if (network != null && !NetworkSpec.resolve(network).describe().equals(model.spec().describe()))
        {
            throw new IllegalArgumentException(shares + " holds network " + model.spec().name() + ", not --network " + network);
        }
        return new Loaded(role, cluster, model.spec(), model, model.fractionBits(), security);
    }
}
