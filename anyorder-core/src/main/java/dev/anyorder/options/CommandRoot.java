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
}
