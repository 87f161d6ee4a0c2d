package dev.anyorder.options;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What every AnyOrder top-level command shares: a {@code --verbose} flag that its subcommands inherit (read
 * by {@link CommandErrors}), usage when called without a subcommand, and the shared error handling.
 */
public abstract class CommandRoot implements Runnable {

  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
  boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The command line of {@code root} with the error handling every command shares. */
  public static CommandLine commandLine(CommandRoot root) {
    return CommandErrors.install(new CommandLine(root));
  }

  /**
   * The command line as typed, for reports. Picocli gives every subcommand the arguments of the whole command
   * line (for example {@code bench maze --size 9x11}), so they follow the program name as they are.
   */
  public static String typed(CommandLine.Model.CommandSpec spec) {
    return String.join(" ", java.util.stream.Stream.concat(java.util.stream.Stream.of("anyorder"),
        spec.commandLine().getParseResult().originalArgs().stream()).toList());
  }
}
