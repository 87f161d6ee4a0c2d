package dev.anyorder.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code anyorder} command line: train, sample, score and inspect any-order (σ-GPT) models. Errors
 * print one line and exit non-zero; {@code --verbose} adds the stack trace.
 */
@Command(
    name = "anyorder",
    mixinStandardHelpOptions = true,
    version = "anyorder 0.1.0",
    description = "Train and run any-order autoregressive transformers (σ-GPT).",
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
public final class AnyOrderCli implements Runnable {

  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
  boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the command line with the error handling every command shares. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new AnyOrderCli());
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      boolean verbose = parseResult.originalArgs().contains("--verbose");
      err.println("error: " + describe(ex));
      if (verbose) {
        ex.printStackTrace(err);
      }
      err.flush();
      return 1;
    });
    return cl;
  }

  static String describe(Throwable ex) {
    Throwable t = ex;
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message.replace('\n', ' ');
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
