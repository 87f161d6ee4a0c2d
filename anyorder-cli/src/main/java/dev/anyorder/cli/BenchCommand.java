package dev.anyorder.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code anyorder bench}: the benchmarks, each a subcommand, each measuring ratios side by side in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks: training throughput, samplers, tasks, server.",
    subcommands = {
        TaskBenchCommands.Maze.class,
        TaskBenchCommands.Sudoku.class,
        TaskBenchCommands.Text.class,
        TaskBenchCommands.Images.class,
        BenchTrainCommand.class,
        BenchRecipesCommand.class,
        BenchSampleCommand.class,
        BenchServeCommand.class,
        CommandLine.HelpCommand.class
    })
final class BenchCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
