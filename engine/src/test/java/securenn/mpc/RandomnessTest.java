package securenn.mpc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Fresh sessions get unpredictable keys that the pairs agree on; seeded ones are reproducible, as their name says. */
class RandomnessTest
{
    @Test
    void freshSessionShouldGiveEachPairOneKeyAndEverySessionNewKeys()
    {
        final Randomness[] one = Randomness.freshSession();
        final Randomness[] two = Randomness.freshSession();
        for (final Role a : Role.values())
        {
            for (final Role b : Role.values())
            {
                if (a.id() < b.id())
                {
                    final long x = one[a.id()].with(b).nextLong();
                    assertThat(one[b.id()].with(a).nextLong()).as("%s and %s draw the same stream", a, b).isEqualTo(x);
                    assertThat(two[a.id()].with(b).nextLong()).as("a second session's %s–%s stream", a, b).isNotEqualTo(x);
                }
            }
            assertThat(one[a.id()].own().nextLong()).isNotEqualTo(two[a.id()].own().nextLong());
        }
    }

    @Test
    void seededKeysShouldBeReproducible()
    {
        assertThat(Randomness.seededForTwinChecks(Role.P0, 7).with(Role.P2).nextLong())
            .isEqualTo(Randomness.seededForTwinChecks(Role.P2, 7).with(Role.P0).nextLong());
        assertThat(SecretSplitter.seededForTwinChecks(7).nextMask()).isEqualTo(SecretSplitter.seededForTwinChecks(7).nextMask());
        assertThat(SecretSplitter.fresh().nextMask()).isNotEqualTo(SecretSplitter.fresh().nextMask());
    }
}
