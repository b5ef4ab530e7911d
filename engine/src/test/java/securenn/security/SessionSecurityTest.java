package securenn.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import securenn.config.ClusterConfig;
import securenn.mpc.Role;
import securenn.service.PartySession;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key agreement between three real parties over UDP loopback: who it accepts, who it refuses, what it yields. */
class SessionSecurityTest
{
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private static ClusterConfig config(final int base, final Path keys) throws Exception
    {
        return ClusterConfig.parse(ClusterConfig.loopbackToml(base, keys, """
            [session]
            mtu = 65504
            connect-timeout-ms = 20000
            message-timeout-ms = 3000
            """));
    }

    /** Opens the three parties' sessions at once; returns each party's outcome (its encryption flags or its failure). */
    private static List<Object> open(final Function<Role, PartySession> opener) throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(3);
        try
        {
            final List<Future<String>> running = new ArrayList<>();
            for (final Role r : Role.values())
            {
                running.add(pool.submit(() ->
                {
                    try (PartySession s = opener.apply(r))
                    {
                        return s.encryptedLinks();
                    }
                }));
            }
            final List<Object> out = new ArrayList<>();
            for (final Future<String> f : running)
            {
                try
                {
                    out.add(f.get(60, TimeUnit.SECONDS));
                }
                catch (final java.util.concurrent.ExecutionException ex)
                {
                    out.add(ex.getCause());
                }
            }
            return out;
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    @Test
    void partiesWithTheirConfiguredKeysShouldAgreeAndEncryptEveryLink() throws Exception
    {
        final ClusterConfig c = config(47_100, TestKeys.fresh());
        final List<Object> outcome = open(r -> PartySession.open(c, r, TestKeys.security(c, r, true)));
        assertThat(outcome).containsExactly("encrypted to P1, P2", "encrypted to P0, P2", "encrypted to P0, P1");
    }

    @Test
    void withEncryptionOffLinksShouldStayPlaintextButAuthenticated() throws Exception
    {
        final ClusterConfig c = config(47_110, TestKeys.fresh());
        final List<Object> outcome = open(r -> PartySession.open(c, r, TestKeys.security(c, r, false)));
        assertThat(outcome).containsExactly("plaintext", "plaintext", "plaintext");
    }

    @Test
    void anImpostorP2ShouldBeRefusedByBothPeersNamingTheKeyFile(@TempDir final Path dir) throws Exception
    {
        final Path keys = TestKeys.in(dir.resolve("real"));
        final ClusterConfig c = config(47_120, keys);
        // the impostor has its own key pair and a config naming it; P0 and P1 know the real P2's public key
        final Path fake = dir.resolve("fake");
        Files.createDirectories(fake);
        for (final Role r : Role.values())
        {
            if (r == Role.P2)
            {
                IdentityKeys.generate(fake, r, false);
            }
            else
            {
                Files.copy(IdentityKeys.publicFile(keys, r), IdentityKeys.publicFile(fake, r));
            }
        }
        final ClusterConfig impostor = config(47_120, fake);
        final List<Object> outcome = open(r -> PartySession.open(r == Role.P2 ? impostor : c, r,
            TestKeys.security(r == Role.P2 ? impostor : c, r, true)));
        for (final int refused : new int[] {0, 1})
        {
            assertThat(outcome.get(refused)).isInstanceOf(SecurityException.class);
            assertThat(((Throwable)outcome.get(refused)).getMessage()).contains("could not authenticate P2")
                .contains(IdentityKeys.publicFile(keys, Role.P2).toString());
        }
        // the impostor itself cannot tell (it knows the real P0's and P1's keys), but no session forms with it
    }

    @Test
    void partiesDisagreeingOnEncryptionShouldRefuseNamingTheOption() throws Exception
    {
        final ClusterConfig c = config(47_130, TestKeys.fresh());
        final List<Object> outcome = open(r -> PartySession.open(c, r, TestKeys.security(c, r, r != Role.P1)));
        assertThat(outcome.get(0)).isInstanceOf(IllegalStateException.class);
        assertThat(((Throwable)outcome.get(0)).getMessage()).contains("P1 runs with --no-encryption but P0 encrypts");
        assertThat(((Throwable)outcome.get(1)).getMessage()).contains("encrypts its links but P1 runs with --no-encryption");
    }

    @Test
    void aPrivateKeyThatIsNotThePartysConfiguredOneShouldBeRefusedAtLoad(@TempDir final Path dir) throws Exception
    {
        final ClusterConfig c = config(47_140, TestKeys.fresh());
        final Path other = TestKeys.in(dir);
        assertThatThrownBy(() -> SessionSecurity.load(c, Role.P1, IdentityKeys.privateFile(other, Role.P1), true, QUIET))
            .hasMessageContaining("is not the private key of").hasMessageContaining("P1's public key");
    }
}
