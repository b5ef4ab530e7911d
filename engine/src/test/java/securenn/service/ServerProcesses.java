package securenn.service;

import securenn.cli.Main;
import securenn.cli.SameJvm;
import securenn.mpc.FixedPoint;
import securenn.mpc.SecretSplitter;
import securenn.nn.Model;
import securenn.nn.ModelFile;

import java.lang.foreign.Arena;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `securenn serve` processes for network A in a test's folder (P0 and P1 from {@code P0.shares}, {@code P1.shares}
 * there), each logging to {@code P<n><suffix>.log}, and waits on what their logs say.
 */
final class ServerProcesses
{
    private ServerProcesses()
    {
    }

    /** Splits {@code model} with {@code splitter} and writes {@code P0.shares} and {@code P1.shares} into {@code dir}. */
    static void writeShares(final Path dir, final Model model, final SecretSplitter splitter) throws Exception
    {
        try (Arena arena = Arena.ofConfined())
        {
            final ModelFile.SharedModel[] shares = ModelFile.split(model, FixedPoint.DEFAULT, arena, splitter);
            ModelFile.writeShares(dir.resolve("P0.shares"), shares[0]);
            ModelFile.writeShares(dir.resolve("P1.shares"), shares[1]);
        }
    }

    static Process serve(final Path dir, final Path config, final int party, final String logSuffix) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("serve", "--config", config.toString(), "--party", "P" + party));
        args.addAll(party < 2 ? List.of("--shares", dir.resolve("P" + party + ".shares").toString()) : List.of("--network", "A"));
        return new ProcessBuilder(SameJvm.command(Main.class, args)).redirectErrorStream(true)
            .redirectOutput(dir.resolve("P" + party + logSuffix + ".log").toFile()).start();
    }

    /** Waits until party {@code p}'s log ({@code P<p>.log}) contains {@code text}; returns the log. */
    static String awaitLog(final Path dir, final int p, final String text, final int seconds) throws Exception
    {
        final Path log = dir.resolve("P" + p + ".log");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true)
        {
            final String content = Files.exists(log) ? Files.readString(log) : "";
            if (content.contains(text))
            {
                return content;
            }
            assertThat(System.nanoTime()).as("P%d's log never said '%s':%n%s", p, text, content).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
