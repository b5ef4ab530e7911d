package securenn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/securenn}: dispatches to the subcommands. */
@Command(
    name = "securenn",
    mixinStandardHelpOptions = true,
    version = "securenn 0.1.0",
    description = {
        "Three-party secure neural-network training and inference (SecureNN, PETS 2019).",
        "Servers P0 and P1 hold additive shares over Z_2^64 of data and model; P2 helps and holds no shares."},
    subcommands = {DemoCommand.class, TrainCommand.class, TrainPartyCommand.class, ShareCommand.class, ShareDataCommand.class, ReconstructCommand.class, ImportCommand.class, ExportCommand.class,
        TrainFloatCommand.class, SampleCommand.class, KeygenCommand.class, ServeCommand.class, ClientCommand.class, PartyCommand.class, InferCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class Main
{
    private Main()
    {
    }

    public static void main(final String[] args)
    {
        final CommandLine cli = commandLine();
        if (args.length == 0)
        {
            cli.usage(System.out);
            System.exit(0);
        }
        System.exit(cli.execute(args));
    }

    /** The command line with its error handler: a failing command prints one line naming the cause and returns 1. */
    public static CommandLine commandLine()
    {
        final CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) ->
        {
            final String cause = ex instanceof java.nio.file.NoSuchFileException missing ? "no such file: " + missing.getFile()
                : ex.getMessage() == null ? ex.toString() : ex.getMessage();
            cmd.getErr().println("securenn " + cmd.getCommandName() + ": " + cause);
            if (System.getenv("SECURENN_DEBUG") != null)
            {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cli;
    }
}
