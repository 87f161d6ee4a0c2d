package dev.anyorder.cli;

import dev.anyorder.evaluation.BenchOptions;
import dev.anyorder.evaluation.BenchReport;
import dev.anyorder.evaluation.ImageBenchmark;
import dev.anyorder.evaluation.PuzzleBenchmark;
import dev.anyorder.evaluation.SamplerVariant;
import dev.anyorder.evaluation.TextBenchmark;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.tasks.images.FashionMnist;
import dev.anyorder.tasks.maze.MazeConfig;
import dev.anyorder.tasks.maze.MazeTask;
import dev.anyorder.tasks.sudoku.SudokuConfig;
import dev.anyorder.tasks.sudoku.SudokuTask;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The task benchmarks {@code anyorder bench maze|sudoku|text|images}: each trains (or reuses) its models
 * within {@code --minutes}, evaluates every sampler and adaptive rule on held-out instances, and writes
 * {@code report.json}, {@code report.md} and PNG charts into {@code --out}.
 */
final class TaskBenchCommands {
  private TaskBenchCommands() {}

  static final double TRAINING_SHARE = 0.7;

  static void printSummary(BenchOptions options) {
    System.out.println("report: " + options.out().resolve(BenchReport.MARKDOWN_FILE));
  }

  /** {@code anyorder bench maze}: random-order against left-to-right maze solvers (σ-GPT, Pannatier et al. 2024). */
  @Command(name = "maze", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Maze path-finding: random-order and left-to-right models at equal budget, every sampler.")
  static final class Maze extends TaskBenchOptions implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "9x11", description = "HEIGHTxWIDTH, odd (default: ${DEFAULT-VALUE}; the paper's is 13x21).")
    String size;
    @Option(names = "--orders", split = ",", defaultValue = "random,left-to-right", description = "Training orders, one model each.")
    List<String> orders;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      MazeConfig config = MazeConfig.parse(size);
      MazeTask task = new MazeTask(config);
      BenchOptions options = toOptions("maze", TRAINING_SHARE);
      PuzzleBenchmark.Plan plan = new PuzzleBenchmark.Plan(task, "Maze " + task.name() + ": random-order against left-to-right",
          commandLine("maze", spec.commandLine().getParseResult().originalArgs().toArray(String[]::new)), "correct",
          orders.stream().map(OrderSchedule::parse).toList(),
          SamplerVariant.select(SamplerVariant.standardSuite(options.temperature(), options.seed()), options.samplers()));
      PuzzleBenchmark.run(plan, options);
      printSummary(options);
      return 0;
    }
  }

  /** {@code anyorder bench sudoku}: adaptive margin ordering (Kim et al. 2025) against fixed orders. */
  @Command(name = "sudoku", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Sudoku: adaptive (margin) against sequential decoding, random-order and left-to-right models.")
  static final class Sudoku extends TaskBenchOptions implements Callable<Integer> {
    @Option(names = "--givens", defaultValue = "30", description = "Given cells per puzzle (default: ${DEFAULT-VALUE}).") int givens;
    @Option(names = "--orders", split = ",", defaultValue = "random,left-to-right", description = "Training orders, one model each.")
    List<String> orders;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      SudokuTask task = new SudokuTask(new SudokuConfig(givens, SudokuConfig.defaults().maxAttempts()));
      BenchOptions options = toOptions("sudoku", TRAINING_SHARE);
      PuzzleBenchmark.Plan plan = new PuzzleBenchmark.Plan(task, "Sudoku (" + givens + " givens): adaptive against fixed orders",
          commandLine("sudoku", spec.commandLine().getParseResult().originalArgs().toArray(String[]::new)), "solved",
          orders.stream().map(OrderSchedule::parse).toList(),
          SamplerVariant.select(SamplerVariant.standardSuite(options.temperature(), options.seed()), options.samplers()));
      PuzzleBenchmark.run(plan, options);
      printSummary(options);
      return 0;
    }
  }

  /** {@code anyorder bench text}: random against left-to-right character models at equal budget. */
  @Command(name = "text", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Text: random-order against left-to-right training, validation loss under each order, infilling.")
  static final class Text extends TaskBenchOptions implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "../shared/data/kjv.txt.gz", description = "UTF-8 text (default: ${DEFAULT-VALUE}).")
    Path data;
    @Option(names = "--block", defaultValue = "64", description = "Characters per sequence (default: ${DEFAULT-VALUE}).") int block;
    @Option(names = "--span", defaultValue = "8", description = "Characters hidden for infilling (default: ${DEFAULT-VALUE}).") int span;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      BenchOptions options = toOptions("text", TRAINING_SHARE);
      TextBenchmark.run(data, block, span, options,
          commandLine("text", spec.commandLine().getParseResult().originalArgs().toArray(String[]::new)));
      printSummary(options);
      return 0;
    }
  }

  /** {@code anyorder bench images}: random-order Fashion-MNIST with zero-shot inpainting and outpainting. */
  @Command(name = "images", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Images: random-order Fashion-MNIST, inpainting and outpainting grids, NLL of held-out pixels.")
  static final class Images extends TaskBenchOptions implements Callable<Integer> {
    @Option(names = "--data", description = "Directory of the Fashion-MNIST IDX files (default: /usr/share/datasets/fashion-mnist).")
    Path data = FashionMnist.DEFAULT_DIRECTORY;
    @Option(names = "--levels", defaultValue = "4", description = "Gray levels (default: ${DEFAULT-VALUE}).") int levels;
    @Option(names = "--downsample", defaultValue = "2", description = "Pooling factor (default: ${DEFAULT-VALUE}).") int downsample;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      BenchOptions options = toOptions("images", TRAINING_SHARE);
      ImageBenchmark.run(data, levels, downsample, options,
          commandLine("images", spec.commandLine().getParseResult().originalArgs().toArray(String[]::new)));
      printSummary(options);
      return 0;
    }
  }

}
