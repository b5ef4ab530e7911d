package securenn.cli;

import org.junit.jupiter.api.Test;
import securenn.mpc.Role;
import securenn.nn.SecureInference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What P1 and P2 accept of P0's announcement of a one-shot inference batch (row count and chunk size). */
class PartyAnnouncementTest
{
    @Test
    void theRowCountShouldBeAcceptedWithThisBuildsChunkSize()
    {
        assertThat(PartyCommand.acceptAnnouncement(10_000, SecureInference.CHUNK, Role.P1)).isEqualTo(10_000);
        assertThat(PartyCommand.acceptAnnouncement(0, SecureInference.CHUNK, Role.P2)).isZero();
    }

    @Test
    void anotherChunkSizeShouldBeRefusedNamingBoth()
    {
        assertThatThrownBy(() -> PartyCommand.acceptAnnouncement(10, 256, Role.P2))
            .hasMessageContaining("chunks of 256 rows but P2 in chunks of " + SecureInference.CHUNK);
    }

    @Test
    void aCountOutsideAnIntShouldBeRefused()
    {
        assertThatThrownBy(() -> PartyCommand.acceptAnnouncement(-1, SecureInference.CHUNK, Role.P1))
            .hasMessageContaining("P0 announced -1 inputs; P1 accepts 0 to");
        assertThatThrownBy(() -> PartyCommand.acceptAnnouncement(1L << 31, SecureInference.CHUNK, Role.P2))
            .hasMessageContaining("announced 2147483648");
    }
}
