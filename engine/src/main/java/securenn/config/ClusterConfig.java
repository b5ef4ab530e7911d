package securenn.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.aeron.driver.ThreadingMode;
import securenn.mpc.Role;
import securenn.transport.Endpoint;
import securenn.transport.IdleStrategies;
import securenn.transport.TransportConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The deployment of one three-party cluster, read from a TOML file and validated as a whole at start; every error
 * names the file, the field and the bad value. Example ({@code config/loopback.toml} in the repository):
 * <pre>
 * [parties.P0]
 * host = "127.0.0.1"     # where P0's Aeron media driver receives from P1 and P2 (UDP)
 * port = 40100
 * client-port = 41000    # the inference service's TCP port for clients (P0 and P1 only)
 * public-key = "keys/P0.pub"  # P0's identity (from `securenn keygen`), relative to this file's folder
 * [parties.P1] ...
 * [parties.P2] ...       # host and port only: P2 never talks to clients
 *
 * [session]
 * connect-timeout-ms = 30000   # how long a party waits for its two peers at start
 * message-timeout-ms = 10000   # liveness: a peer whose stream shows no sign of life this long is lost
 * stall-timeout-ms = 120000    # progress: a live peer that sends nothing this long while awaited is stuck
 *                              # (default max(120 s, 12 message timeouts))
 * idle = "yield"               # how a party waits for messages: yield, backoff, adaptive, sleep, busy-spin
 * threading = "invoker"        # Aeron media driver: invoker (in the party's thread), shared, dedicated
 * mtu = 1408                   # Aeron datagram size: ≤ the network's MTU minus 28 bytes of IP/UDP header, a
 *                              # multiple of 32 (1408 for Ethernet, 8960 for jumbo frames, 65504 on loopback)
 * kernel-threads = 1           # threads a party's large matrix products use (1 to 256; default 1: on one host the
 *                              # three parties already share the cores; a party with a host of its own may use its cores)
 *
 * [service]
 * max-batch = 128              # dynamic batching: run a batch when this many requests wait ...
 * max-wait-ms = 5              # ... or the oldest has waited this long
 * queue-capacity = 4096        # requests waiting beyond this are rejected (back-pressure)
 * request-timeout-ms = 5000    # a request not answered within this fails with a timeout
 * </pre>
 * Session keys are not configured: each session agrees fresh ones, authenticated with the identity keys named here
 * (see {@code securenn.security.SessionKeys}); a party's private key lies next to its public key ({@code P0.key}) or
 * where its {@code --identity} option says.
 */
public record ClusterConfig(Path source, Endpoint[] parties, int[] clientPorts, Path[] publicKeys, long connectTimeoutMs,
    long messageTimeoutMs, long stallTimeoutMs, String idle, ThreadingMode threading, int mtu, int kernelThreads,
    Service service)
{
    /** The inference service's batching and admission settings. */
    public record Service(int maxBatch, long maxWaitMs, int queueCapacity, long requestTimeoutMs)
    {
    }

    private static final Map<String, Set<String>> KNOWN = Map.of(
        "parties", Set.of("P0", "P1", "P2"),
        "party", Set.of("host", "port", "client-port", "public-key"),
        "session", Set.of("connect-timeout-ms", "message-timeout-ms", "stall-timeout-ms", "idle", "threading", "mtu",
            "kernel-threads"),
        "service", Set.of("max-batch", "max-wait-ms", "queue-capacity", "request-timeout-ms"),
        "", Set.of("parties", "session", "service"));

    public static ClusterConfig load(final Path file) throws IOException
    {
        final JsonNode root;
        try
        {
            root = new TomlMapper().readTree(Files.readString(file));
        }
        catch (final com.fasterxml.jackson.core.JacksonException ex)
        {
            throw new IOException(file + ": not valid TOML: " + ex.getOriginalMessage(), ex);
        }
        return parse(file, root == null ? new TomlMapper().createObjectNode() : root);
    }

    /** Parses an already read TOML text (tests). */
    public static ClusterConfig parse(final String text) throws IOException
    {
        final Path nowhere = Path.of("<text>");
        try
        {
            return parse(nowhere, new TomlMapper().readTree(text));
        }
        catch (final com.fasterxml.jackson.core.JacksonException ex)
        {
            throw new IOException(nowhere + ": not valid TOML: " + ex.getOriginalMessage(), ex);
        }
    }

    private static ClusterConfig parse(final Path file, final JsonNode root)
    {
        final Reader r = new Reader(file);
        r.known(root, "", KNOWN.get(""));
        final JsonNode parties = r.table(root, "parties", true);
        r.known(parties, "parties", KNOWN.get("parties"));
        final Endpoint[] endpoints = new Endpoint[3];
        final int[] clientPorts = new int[3];
        final Path[] publicKeys = new Path[3];
        final Path folder = file.toAbsolutePath().getParent();
        for (final Role role : Role.values())
        {
            final String name = "parties." + role;
            final JsonNode p = r.table(parties, role.toString(), true);
            r.known(p, name, KNOWN.get("party"));
            final String host = r.string(p, name + ".host", "host", null);
            final int port = (int)r.number(p, name + ".port", "port", -1, 1, 65_535);
            endpoints[role.id()] = new Endpoint(host, port);
            clientPorts[role.id()] = (int)r.number(p, name + ".client-port", "client-port", 0, 1, 65_535);
            publicKeys[role.id()] = folder.resolve(r.string(p, name + ".public-key", "public-key", null));
            if (role == Role.P2 && p.has("client-port"))
            {
                throw r.bad(name + ".client-port", p.get("client-port").asText(), "P2 serves no clients (it never sees inputs); remove it");
            }
        }
        final JsonNode session = r.table(root, "session", false);
        r.known(session, "session", KNOWN.get("session"));
        final long connect = r.number(session, "session.connect-timeout-ms", "connect-timeout-ms", 30_000, 1, 3_600_000);
        final long message = r.number(session, "session.message-timeout-ms", "message-timeout-ms", 10_000, 100, 3_600_000);
        final long stall = r.number(session, "session.stall-timeout-ms", "stall-timeout-ms", Math.max(120_000, 12 * message),
            message, 24 * 3_600_000);
        final String idle = r.string(session, "session.idle", "idle", "yield");
        if (!IdleStrategies.NAMES.contains(idle))
        {
            throw r.bad("session.idle", idle, "must be one of " + IdleStrategies.NAMES);
        }
        final String threadingName = r.string(session, "session.threading", "threading", "invoker");
        final ThreadingMode threading = switch (threadingName)
        {
            case "invoker" -> ThreadingMode.INVOKER;
            case "shared" -> ThreadingMode.SHARED;
            case "dedicated" -> ThreadingMode.DEDICATED;
            default -> throw r.bad("session.threading", threadingName, "must be one of [invoker, shared, dedicated]");
        };
        final int mtu = (int)r.number(session, "session.mtu", "mtu", 1408, 1024, 65_504);
        if (mtu % 32 != 0)
        {
            throw r.bad("session.mtu", String.valueOf(mtu), "must be a multiple of 32");
        }
        final int kernelThreads = (int)r.number(session, "session.kernel-threads", "kernel-threads", 1, 1, 256);
        final JsonNode service = r.table(root, "service", false);
        r.known(service, "service", KNOWN.get("service"));
        final Service s = new Service(
            (int)r.number(service, "service.max-batch", "max-batch", 128, 1, 4096),
            r.number(service, "service.max-wait-ms", "max-wait-ms", 5, 0, 60_000),
            (int)r.number(service, "service.queue-capacity", "queue-capacity", 4096, 1, 1 << 20),
            r.number(service, "service.request-timeout-ms", "request-timeout-ms", 5_000, 1, 3_600_000));
        for (int i = 0; i < 3; i++)
        {
            for (int j = i + 1; j < 3; j++)
            {
                if (endpoints[i].equals(endpoints[j]))
                {
                    throw r.bad("parties.P" + j + ".port", String.valueOf(endpoints[j].port()),
                        "P" + i + " and P" + j + " have the same host and port " + endpoints[i]);
                }
            }
        }
        return new ClusterConfig(file, endpoints, clientPorts, publicKeys, connect, message, stall, idle, threading, mtu,
            kernelThreads, s);
    }

    /**
     * The TOML of a cluster on this host (tests, benchmarks): P0, P1, P2 at 127.0.0.1 ports base..base+2, client
     * ports base+10 (P0) and base+11 (P1), public keys {@code keys/P0.pub} … in {@code keys}, MTU 65504, followed by
     * {@code extra} (more tables, e.g. [service]).
     */
    public static String loopbackToml(final int base, final Path keys, final String extra)
    {
        final String dir = keys.toAbsolutePath().toString().replace("\\", "/");
        return """
            [parties.P0]
            host = "127.0.0.1"
            port = %d
            client-port = %d
            public-key = "%s/P0.pub"
            [parties.P1]
            host = "127.0.0.1"
            port = %d
            client-port = %d
            public-key = "%s/P1.pub"
            [parties.P2]
            host = "127.0.0.1"
            port = %d
            public-key = "%s/P2.pub"
            %s
            """.formatted(base, base + 10, dir, base + 1, base + 11, dir, base + 2, dir,
                extra.contains("[session]") ? "" : "[session]\nmtu = 65504\n")
            + extra;
    }

    /** The Aeron transport settings of this cluster. */
    public TransportConfig transport()
    {
        return new TransportConfig().endpoints(parties[0], parties[1], parties[2])
            .connectTimeout(connectTimeoutMs, TimeUnit.MILLISECONDS)
            .messageTimeout(messageTimeoutMs, TimeUnit.MILLISECONDS)
            .stallTimeout(stallTimeoutMs, TimeUnit.MILLISECONDS)
            .partyIdle(idle)
            .threadingMode(threading)
            .mtu(mtu)
            .conclude();
    }

    /** The TCP port where {@code role} serves clients; fails naming the missing field. */
    public int clientPort(final Role role)
    {
        if (role == Role.P2 || clientPorts[role.id()] == 0)
        {
            throw new IllegalArgumentException(source + ": parties." + role + ".client-port is missing"
                + (role == Role.P2 ? " (P2 serves no clients)" : "; the inference service needs it"));
        }
        return clientPorts[role.id()];
    }

    /** The file holding {@code role}'s public identity key. */
    public Path publicKey(final Role role)
    {
        return publicKeys[role.id()];
    }

    public Endpoint endpoint(final Role role)
    {
        return parties[role.id()];
    }

    /** Field access with messages naming the file, field and value. */
    private record Reader(Path file)
    {
        IllegalArgumentException bad(final String field, final String value, final String why)
        {
            return new IllegalArgumentException(file + ": " + field + " = " + value + ": " + why);
        }

        JsonNode table(final JsonNode parent, final String key, final boolean required)
        {
            final JsonNode n = parent.get(key);
            if (n == null)
            {
                if (required)
                {
                    throw new IllegalArgumentException(file + ": missing table [" + key + "]");
                }
                return new TomlMapper().createObjectNode();
            }
            if (!n.isObject())
            {
                throw bad(key, n.toString(), "must be a table");
            }
            return n;
        }

        void known(final JsonNode table, final String where, final Set<String> keys)
        {
            for (final Iterator<String> it = table.fieldNames(); it.hasNext(); )
            {
                final String k = it.next();
                if (!keys.contains(k))
                {
                    throw new IllegalArgumentException(file + ": unknown field '" + (where.isEmpty() ? "" : where + ".") + k
                        + "'; known here: " + List.copyOf(new java.util.TreeSet<>(keys)));
                }
            }
        }

        String string(final JsonNode table, final String field, final String key, final String fallback)
        {
            final JsonNode n = table.get(key);
            if (n == null)
            {
                if (fallback == null)
                {
                    throw new IllegalArgumentException(file + ": missing field " + field);
                }
                return fallback;
            }
            if (!n.isTextual() || n.asText().isBlank())
            {
                throw bad(field, n.toString(), "must be a non-empty string");
            }
            return n.asText();
        }

        long number(final JsonNode table, final String field, final String key, final long fallback, final long min, final long max)
        {
            final JsonNode n = table.get(key);
            if (n == null)
            {
                if (fallback < 0)
                {
                    throw new IllegalArgumentException(file + ": missing field " + field);
                }
                return fallback;
            }
            if (!n.isIntegralNumber())
            {
                throw bad(field, n.toString(), "must be an integer");
            }
            final long v = n.asLong();
            if (v < min || v > max)
            {
                throw bad(field, String.valueOf(v), "must be in [" + min + ", " + max + "]");
            }
            return v;
        }
    }
}
