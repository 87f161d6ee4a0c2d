package dev.anyorder.options;

import java.io.PrintWriter;
import picocli.CommandLine;

/** The error handling every AnyOrder command line shares: one line and a non-zero exit, the stack trace with {@code --verbose}. */
public final class CommandErrors {
  private CommandErrors() {}

  /** Installs the handler on {@code commandLine} and returns it. */
  public static CommandLine install(CommandLine commandLine) {
    commandLine.setExecutionExceptionHandler((ex, cl, parseResult) -> {
      PrintWriter err = cl.getErr();
      boolean verbose = parseResult.originalArgs().contains("--verbose");
      err.println("error: " + describe(ex));
      if (verbose) {
        ex.printStackTrace(err);
      }
      err.flush();
      return 1;
    });
    return commandLine;
  }

  /** The first non-blank message in the cause chain, on one line. */
  public static String describe(Throwable ex) {
    Throwable t = ex;
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message.replace('\n', ' ');
  }
}
