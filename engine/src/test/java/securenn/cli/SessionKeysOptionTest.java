package securenn.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-JVM commands draw fresh session keys unless told, by a flag that says so, to derive them from the seed;
 * the twin check that needs seeded keys refuses to run without that flag.
 */
class SessionKeysOptionTest
{
    /** Runs a command with stdout and stderr captured; returns the exit code and both outputs. */
    private static Object[] run(final Object command, final String... args)
    {
        final PrintStream out = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final CommandLine cli = new CommandLine(command);
        final java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            final int rc = cli.execute(args);
            return new Object[]{rc, captured.toString(StandardCharsets.UTF_8) + err};
        }
        finally
        {
            System.setOut(out);
        }
    }

    @Test
    void secureTrainingShouldDrawFreshKeysByDefault()
    {
        final Object[] r = run(new TrainCommand(), "--network", "A", "--batch", "8", "--limit", "8", "--test", "8");
        assertThat(r[0]).as("exit code; output:%n%s", r[1]).isEqualTo(0);
        assertThat((String)r[1]).contains("; fresh session keys").doesNotContain("SEEDED");
    }

    @Test
    void verifyTwinShouldNeedTheSeededKeysFlag()
    {
        final Object[] r = run(new TrainCommand(), "--network", "A", "--batch", "8", "--limit", "8", "--test", "8",
            "--verify-twin", "1");
        assertThat(r[0]).isNotEqualTo(0);
        assertThat((String)r[1]).contains("it needs --seeded-keys-for-twin-checks");
    }

    @Test
    void seededKeysShouldBeNamedAsSuchAndLetTheTwinCheckPass()
    {
        final Object[] r = run(new TrainCommand(), "--network", "A", "--batch", "8", "--limit", "8", "--test", "8",
            "--seeded-keys-for-twin-checks", "--verify-twin", "1");
        assertThat(r[0]).as("exit code; output:%n%s", r[1]).isEqualTo(0);
        assertThat((String)r[1]).contains("session keys SEEDED from --seed (for twin checks, not secret)")
            .contains("twin check passed");
    }

    @Test
    void theDemoShouldDrawFreshKeysByDefault()
    {
        final Object[] r = run(new DemoCommand(), "--images", "4", "--batch", "4", "--show", "0");
        assertThat(r[0]).as("exit code; output:%n%s", r[1]).isEqualTo(0);
        assertThat((String)r[1]).contains("fresh session keys");
    }
}
