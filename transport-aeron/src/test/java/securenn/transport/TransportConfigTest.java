package securenn.transport;

import io.aeron.driver.ThreadingMode;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportConfigTest
{
    @Test
    void shouldNameTheBadFieldAndValue()
    {
        assertThatThrownBy(() -> TransportConfig.udpLoopback().mtu(1000).conclude())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mtu must be a multiple of 32").hasMessageContaining("1000");
        assertThatThrownBy(() -> TransportConfig.ipc().termLength(3_000_000).conclude())
            .hasMessageContaining("termLength must be a power of two").hasMessageContaining("3000000");
        assertThatThrownBy(() -> TransportConfig.ipc().partyIdle("spin-forever").conclude())
            .hasMessageContaining("idle strategy 'spin-forever' is not one of [yield, backoff, adaptive, sleep, busy-spin]");
        assertThatThrownBy(() -> TransportConfig.ipc().maxStagedBytes(1000).conclude())
            .hasMessageContaining("maxStagedBytes must be at least two MTUs").hasMessageContaining("1000");
        assertThatThrownBy(() -> new TransportConfig().conclude())
            .hasMessageContaining("UDP transport needs an endpoint (host:port) for each of P0, P1, P2");
        assertThatThrownBy(() -> TransportConfig.ipc().messageTimeout(0, TimeUnit.SECONDS).conclude())
            .hasMessageContaining("messageTimeout must be > 0");
        assertThatThrownBy(() -> Endpoint.parse("localhost")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> Endpoint.parse("localhost:99999")).hasMessageContaining("port must be in [1, 65535]");
        assertThat(Endpoint.parse("10.0.0.2:40100")).isEqualTo(new Endpoint("10.0.0.2", 40100));
    }

    @Test
    void threePartiesInOneJvmShouldRefuseInvokerMode()
    {
        assertThatThrownBy(() -> LocalParties.start(TransportConfig.ipc().threadingMode(ThreadingMode.INVOKER)))
            .hasMessageContaining("INVOKER needs one party per process");
    }

    @Test
    void connectShouldFailNamingTheMissingPeers()
    {
        final int base = TestPorts.base();
        final TransportConfig config = TransportConfig.udpLoopback(base).connectTimeout(1, TimeUnit.SECONDS);
        try (EmbeddedDriver driver = EmbeddedDriver.start(config); PartyTransport p0 = PartyTransport.open(0, driver))
        {
            final long start = System.nanoTime();
            assertThatThrownBy(p0::awaitConnected).isInstanceOf(TransportException.class)
                .hasMessageContaining("P0 could not connect within 1000 ms")
                .hasMessageContaining("no link to P1").hasMessageContaining("127.0.0.1:" + (base + 1))
                .hasMessageContaining("no stream from P2");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
        }
    }
}
