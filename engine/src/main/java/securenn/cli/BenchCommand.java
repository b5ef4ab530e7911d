package securenn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Runs the benchmark suites ({@code bin/bench}, the jmh module) with the given arguments. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = false,
    description = {"Runs benchmark suites and writes perf-reports/ (the same as bin/bench; `securenn bench --help` lists them).",
        "Example: securenn bench inference --quick"})
final class BenchCommand implements Callable<Integer>
{
    /** Everything after {@code bench}, passed on unchanged (including --help). */
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception
    {
        final String home = System.getProperty("securenn.home");
        final Path bench = home == null ? null : Path.of(home, "bin", "bench");
        if (bench == null || !Files.isExecutable(bench))
        {
            throw new IllegalStateException("bin/bench not found (securenn.home = " + home + "); run bin/bench from the repository");
        }
        final List<String> cmd = new ArrayList<>(List.of(bench.toString()));
        cmd.addAll(args.isEmpty() ? List.of("--help") : args);
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
}
