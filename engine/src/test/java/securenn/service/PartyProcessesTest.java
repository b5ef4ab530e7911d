package securenn.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import securenn.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `securenn share` then `securenn infer`: three `securenn party` processes over UDP loopback from share files. */
class PartyProcessesTest
{
    @Test
    void inferShouldRunThreePartyProcessesFromShareFiles(@TempDir final Path dir) throws Exception
    {
        final Path config = dir.resolve("cluster.toml");
        Files.writeString(config, securenn.config.ClusterConfig.loopbackToml(46_100,
            securenn.security.TestKeys.in(dir.resolve("keys")), ""));
        final String shared = run("share", "--model", Path.of("src/main/resources/securenn/models/A.model").toString(),
            "--out", dir.resolve("model").toString());
        assertThat(shared).contains("wrote");
        final String out = run("infer", "--config", config.toString(), "--model-dir", dir.resolve("model").toString(),
            "--count", "50", "--work", dir.resolve("work").toString());
        final securenn.data.Mnist sample = securenn.data.Mnist.sample();
        final securenn.nn.Model model = securenn.nn.ModelFile.bundled();
        final int[] plain = securenn.nn.FloatNetwork.argmax(
            securenn.nn.FloatNetwork.forward(model, securenn.nn.FloatNetwork.images(sample, 0, 50), 50), 50, 10);
        int plainCorrect = 0;
        for (int i = 0; i < 50; i++)
        {
            plainCorrect += plain[i] == sample.label(i) ? 1 : 0;
        }
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) of 50 correct").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("secure accuracy vs the plaintext model's %d of 50", plainCorrect)
            .isBetween(plainCorrect - 1, plainCorrect + 1);
        assertThat(out).contains("P0: secure inference of 50 inputs of network A").contains("P2: secure inference of 50 inputs");
    }

    private static String run(final String... args)
    {
        final PrintStream stdout = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            final int code = Main.commandLine().execute(args);
            assertThat(code).as("securenn %s exit code; output: %s", args[0], captured).isZero();
        }
        finally
        {
            System.setOut(stdout);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
