package securenn.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a party of a multi-process benchmark: the same JVM, options and classpath as this one, another main class. */
public final class ChildJvm
{
    private ChildJvm()
    {
    }

    public static Process start(final Class<?> main, final String... args) throws IOException
    {
        return new ProcessBuilder(command(main, args)).redirectErrorStream(true).start();
    }

    /** Like {@link #start} with the child's output going to {@code log} (for long-running children). */
    public static Process startLogged(final Class<?> main, final Path log, final String... args) throws IOException
    {
        return new ProcessBuilder(command(main, args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static List<String> command(final Class<?> main, final String... args)
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
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
