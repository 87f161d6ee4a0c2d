package dev.anyorder.spark.cli;

import dev.anyorder.options.CommandErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code anyorder spark ...} and {@code anyorder bench spark}: the commands of the Spark module, which the
 * launcher runs on this module's class path so the main command line does not carry Spark.
 */
@Command(
    name = "anyorder spark",
    mixinStandardHelpOptions = true,
    version = "anyorder 0.1.0",
    description = "Score, infill or generate over datasets with Apache Spark (local[*] by default, or a cluster via spark-submit).",
    subcommands = {
        SparkScoreCommand.class,
        SparkInfillCommand.class,
        SparkGenerateCommand.class,
        BenchSparkCommand.class,
        CommandLine.HelpCommand.class
    })
public final class SparkCli implements Runnable {

  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
  boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The command line with the error handling of {@code anyorder}. */
  public static CommandLine commandLine() {
    return CommandErrors.install(new CommandLine(new SparkCli()));
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
