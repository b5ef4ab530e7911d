package securenn.bench;

import securenn.cli.SameJvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Starts a party of a multi-process benchmark: the same JVM, options and classpath as this one, another main class. */
public final class ChildJvm
{
    private ChildJvm()
    {
    }

    public static Process start(final Class<?> main, final String... args) throws IOException
    {
        return new ProcessBuilder(SameJvm.command(main, List.of(args))).redirectErrorStream(true).start();
    }

    /** Like {@link #start} with the child's output going to {@code log} (for long-running children). */
    public static Process startLogged(final Class<?> main, final Path log, final String... args) throws IOException
    {
        return new ProcessBuilder(SameJvm.command(main, List.of(args))).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Everything the child printed (stdout and stderr) until it closed its output. */
    public static String output(final Process p)
    {
        try
        {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "FAILED: cannot read the output of " + p.pid() + ": " + ex;
        }
    }
}
