package securenn.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import securenn.mpc.Role;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterConfigTest
{
    static final String VALID = """
        [parties.P0]
        host = "10.0.0.1"
        port = 40100
        client-port = 41000
        public-key = "keys/P0.pub"
        [parties.P1]
        host = "10.0.0.2"
        port = 40100
        client-port = 41000
        public-key = "keys/P1.pub"
        [parties.P2]
        host = "10.0.0.3"
        port = 40100
        public-key = "/etc/securenn/P2.pub"
        [service]
        max-batch = 64
        """;

    @Test
    void shouldReadTheShippedLoopbackConfig() throws Exception
    {
        final ClusterConfig c = ClusterConfig.load(Path.of("..", "config", "loopback.toml"));
        assertThat(c.endpoint(Role.P2).port()).isEqualTo(40102);
        assertThat(c.clientPort(Role.P1)).isEqualTo(41001);
        assertThat(c.service().maxBatch()).isEqualTo(128);
        assertThat(c.transport()).isNotNull();
    }

    @Test
    void shouldApplyDefaultsAndOverrides() throws Exception
    {
        final ClusterConfig c = ClusterConfig.parse(VALID);
        assertThat(c.service().maxBatch()).isEqualTo(64);
        assertThat(c.service().maxWaitMs()).isEqualTo(5);
        assertThat(c.messageTimeoutMs()).isEqualTo(10_000);
        assertThat(c.kernelThreads()).isEqualTo(1);
        assertThat(c.endpoint(Role.P1).host()).isEqualTo("10.0.0.2");
        assertThatThrownBy(() -> c.clientPort(Role.P2)).hasMessageContaining("P2 serves no clients");
        assertThat(c.publicKey(Role.P0)).isEqualTo(Path.of("keys/P0.pub").toAbsolutePath());
        assertThat(c.publicKey(Role.P2)).isEqualTo(Path.of("/etc/securenn/P2.pub"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "port = 40100|port = 0|parties.P0.port = 0: must be in [1, 65535]",
        "port = 40100|port = \"x\"|parties.P0.port = \"x\": must be an integer",
        "host = \"10.0.0.1\"|hots = \"10.0.0.1\"|unknown field 'parties.P0.hots'",
        "max-batch = 64|max-batch = 0|service.max-batch = 0: must be in [1, 4096]",
        "[service]|[sesion]|unknown field 'sesion'",
        "host = \"10.0.0.3\"|host = \"10.0.0.3\"\\nclient-port = 5|parties.P2.client-port = 5: P2 serves no clients",
        "host = \"10.0.0.2\"|host = \"10.0.0.1\"|P0 and P1 have the same host and port",
        "[parties.P2]|[parties.P3]|unknown field 'parties.P3'",
        "public-key = \"keys/P1.pub\"|public-key = 7|parties.P1.public-key = 7: must be a non-empty string",
        "public-key = \"keys/P1.pub\"|# no key|missing field parties.P1.public-key",
        "[service]|[session]\\nkernel-threads = 0\\n[service]|session.kernel-threads = 0: must be in [1, 256]",
    })
    void shouldNameTheBadFieldAndValue(final String from, final String to, final String message)
    {
        final String text = VALID.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to.replace("\\n", "\n")));
        assertThat(text).isNotEqualTo(VALID);
        assertThatThrownBy(() -> ClusterConfig.parse(text)).hasMessageContaining(message);
    }

    @Test
    void shouldRejectBrokenTomlAndMissingParties() throws Exception
    {
        assertThatThrownBy(() -> ClusterConfig.parse("[parties.P0\nhost=")).hasMessageContaining("not valid TOML");
        assertThatThrownBy(() -> ClusterConfig.parse("[session]\nidle = \"yield\"")).hasMessageContaining("missing table [parties]");
        assertThatThrownBy(() -> ClusterConfig.parse(VALID.replace("[session]", "") + "[session]\nidle = \"spin\""))
            .hasMessageContaining("session.idle = spin: must be one of");
        assertThatThrownBy(() -> ClusterConfig.parse(VALID.replace("port = 40100\nclient-port = 41000\npublic-key = \"keys/P0.pub\"", "client-port = 41000\npublic-key = \"keys/P0.pub\"")))
            .hasMessageContaining("missing field parties.P0.port");
        assertThat(ClusterConfig.parse(VALID).publicKey(Role.P1)).isNotEqualTo(ClusterConfig.parse(VALID).publicKey(Role.P0));
    }
}
