package dev.anyorder.spark.cli;

import dev.anyorder.options.CommandRoot;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
public final class SparkCli extends CommandRoot {

  /** The command line with the error handling of {@code anyorder}. */
  public static CommandLine commandLine() {
    return commandLine(new SparkCli());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
