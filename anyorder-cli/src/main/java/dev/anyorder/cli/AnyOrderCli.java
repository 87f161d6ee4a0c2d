package dev.anyorder.cli;

import dev.anyorder.options.CommandRoot;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code anyorder} command line: train, sample, score and inspect any-order (σ-GPT) models. Errors
 * print one line and exit non-zero; {@code --verbose} adds the stack trace.
 */
@Command(
    name = "anyorder",
    mixinStandardHelpOptions = true,
    version = "anyorder 0.1.0",
    description = "Train and run any-order autoregressive transformers (σ-GPT).",
    footer = {"", "With Apache Spark (the anyorder-spark module): anyorder spark score|infill|generate, anyorder bench spark;"
        + " see anyorder spark --help."},
    subcommands = {
        TrainCommand.class,
        SampleCommand.class,
        ScoreCommand.class,
        LogitsCommand.class,
        InfoCommand.class,
        BenchCommand.class,
        DemoCommand.class,
        ImportCommand.class,
        ExportCommand.class,
        ServeCommand.class,
        CommandLine.HelpCommand.class
    })
public final class AnyOrderCli extends CommandRoot {

  /** Builds the command line with the error handling every command shares. */
  public static CommandLine commandLine() {
    return commandLine(new AnyOrderCli());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
