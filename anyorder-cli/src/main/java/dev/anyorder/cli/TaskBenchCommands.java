package dev.anyorder.cli;

import dev.anyorder.evaluation.BenchOptions;
import dev.anyorder.evaluation.BenchReport;
import dev.anyorder.evaluation.ImageBenchmark;
import dev.anyorder.evaluation.PuzzleBenchmark;
import dev.anyorder.evaluation.SamplerResult;
import dev.anyorder.evaluation.TaskRecipe;
import dev.anyorder.evaluation.SamplerVariant;
import dev.anyorder.evaluation.TextBenchmark;
import dev.anyorder.options.CommandRoot;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.tasks.images.FashionMnist;
import dev.anyorder.tasks.maze.MazeConfig;
import dev.anyorder.tasks.maze.MazeTask;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.sudoku.SudokuConfig;
import dev.anyorder.tasks.sudoku.SudokuPuzzle;
import dev.anyorder.tasks.sudoku.SudokuPuzzleFile;
import dev.anyorder.tasks.sudoku.SudokuTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  /**
   * {@code anyorder bench maze}: an any-order against a left-to-right maze solver at equal compute (σ-GPT,
   * Pannatier et al. 2024), in the lean encoding (the solution cells the maze fixes are given), with the
   * waypoint scenario.
   */
  @Command(name = "maze", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Maze path-finding: random-order and left-to-right models at equal budget, every sampler, waypoints.")
  static final class Maze extends TaskBenchOptions implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "9x11", description = "HEIGHTxWIDTH, odd (default: ${DEFAULT-VALUE}; the paper's is 13x21).")
    String size;
    @Option(names = "--orders", split = ",", description = "Training orders, one model each (recipe: mixture-infill-0.25,left-to-right).")
    List<String> orders;
    @Option(names = "--waypoints", description = "Path cells given in the waypoint scenario, 0 for none (recipe: 1).")
    Integer waypoints;
    @Mixin MazeTaskOptions mazeTask = new MazeTaskOptions();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      TaskRecipe recipe = TaskRecipe.maze();
      MazeConfig config = mazeTask.config(size, recipe);
      MazeTask task = new MazeTask(config);
      BenchOptions options = toOptions("maze", TRAINING_SHARE, recipe);
      List<SamplerVariant> suite = SamplerVariant.select(SamplerVariant.standardSuite(options.temperature(), options.seed()),
          options.samplers());
      int cells = waypoints != null ? waypoints : recipe.waypoints();
      Optional<PuzzleBenchmark.Scenario> scenario = cells == 0 ? Optional.empty()
          : Optional.of(PuzzleBenchmark.waypoints(task, cells, SamplerVariant.select(
              SamplerVariant.standardSuite(options.temperature(), options.seed()),
              List.of("sequential/random", "sequential/left-to-right", "adaptive/margin"))))
              .map(sc -> new PuzzleBenchmark.Scenario(sc.name(), sc.description() + ". A left-to-right model gets the"
                  + " waypoints as known cells too (every sampler feeds the given cells first, so this is a valid decoding),"
                  + " but it was never trained with a path cell among the cells it conditions on; an any-order model was"
                  + " trained to condition on any subset", sc.variant(), sc.suite()));
      PuzzleBenchmark.Plan plan = new PuzzleBenchmark.Plan(task, "Maze " + task.name() + ": any-order against left-to-right",
          CommandRoot.typed(spec), "correct",
          (orders != null ? orders : recipe.orders()).stream().map(OrderSchedule::parse).toList(), suite, scenario,
          Optional.of("shortestLength"), Optional.of(this.recipe.decoding(recipe)));
      PuzzleBenchmark.run(plan, options);
      printSummary(options);
      return 0;
    }
  }

  /**
   * {@code anyorder bench sudoku}: adaptive margin ordering (Kim et al. 2025) against fixed orders; with
   * {@code --model} and {@code --puzzles}, evaluation of a trained model on puzzles from a file instead.
   */
  @Command(name = "sudoku", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Sudoku: adaptive (margin) against sequential decoding, random-order and left-to-right models.",
          "With --model DIR --puzzles FILE: solve the file's puzzles with a trained model, no training."})
  static final class Sudoku extends TaskBenchOptions implements Callable<Integer> {
    /** The samplers a puzzle file is solved with: random and left-to-right order, adaptive margin, speculative. */
    static final List<String> FILE_SAMPLERS =
        List.of("sequential/random", "sequential/left-to-right", "adaptive/margin", "speculative/random");

    @Option(names = "--givens", defaultValue = "30", description = "Given cells per puzzle (default: ${DEFAULT-VALUE}).") int givens;
    @Option(names = "--orders", split = ",", description = "Training orders, one model each (recipe: random,left-to-right).")
    List<String> orders;
    @Option(names = "--model", description = "A trained sudoku model to evaluate on --puzzles (nothing is trained).") Path model;
    @Option(names = "--puzzles", description = "Puzzle file: per line 81 cells (0 or . blank), a space, the 81-digit solution.")
    Path puzzles;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if ((model == null) != (puzzles == null)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--model and --puzzles go together");
      }
      if (model != null) {
        return evaluateFile();
      }
      TaskRecipe recipe = TaskRecipe.sudoku();
      SudokuTask task = new SudokuTask(new SudokuConfig(givens, SudokuConfig.defaults().maxAttempts()));
      BenchOptions options = toOptions("sudoku", TRAINING_SHARE, recipe);
      PuzzleBenchmark.Plan plan = new PuzzleBenchmark.Plan(task, "Sudoku (" + givens + " givens): adaptive against fixed orders",
          CommandRoot.typed(spec), "solved",
          (orders != null ? orders : recipe.orders()).stream().map(OrderSchedule::parse).toList(),
          SamplerVariant.select(SamplerVariant.standardSuite(options.temperature(), options.seed()), options.samplers()),
          Optional.of(this.recipe.decoding(recipe)));
      PuzzleBenchmark.run(plan, options);
      printSummary(options);
      return 0;
    }

    /** Solves the puzzles of {@code --puzzles} with {@code --model}; all of {@code --minutes} goes to evaluation. */
    private int evaluateFile() {
      List<SudokuPuzzle> read = SudokuPuzzleFile.read(puzzles);
      List<TaskInstance> instances = read.stream().limit(evalInstances).map(SudokuTask::instance).toList();
      SudokuTask task = new SudokuTask(SudokuConfig.defaults());
      BenchOptions options = toOptions("sudoku-file", 0.01, TaskRecipe.sudoku());
      List<SamplerVariant> suite = SamplerVariant.select(SamplerVariant.standardSuite(options.temperature(), options.seed()),
          options.samplers().isEmpty() ? FILE_SAMPLERS : options.samplers());
      BenchReport report = new BenchReport("Sudoku puzzles from " + puzzles.getFileName() + " solved by " + model.getFileName(),
          CommandRoot.typed(spec));
      report.setting("model", model.toString()).setting("puzzle file", puzzles.toString())
          .setting("puzzles in the file", read.size()).setting("puzzles evaluated (at most)", instances.size())
          .setting("mean givens", read.stream().limit(instances.size()).mapToInt(SudokuPuzzle::givens).average().orElse(0))
          .setting("temperature", options.temperature()).setting("seed", options.seed());
      List<SamplerResult> results = PuzzleBenchmark.evaluateModel(model, task, instances, suite, options, report);
      report.note("solved: every row, column and box holds 1..9 once and the givens are kept; cellAccuracy: the share of"
          + " blank cells equal to the file's solution; NFE: network calls per puzzle.");
      report.write(options.out());
      System.out.println(table(results));
      printSummary(options);
      return 0;
    }

    /** The terminal table: sampler, solved %, cell accuracy %, NFE per puzzle, puzzles. */
    static String table(List<SamplerResult> results) {
      StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "%-26s %8s %14s %12s %8s%n", "sampler", "solved",
          "cell accuracy", "NFE/puzzle", "puzzles"));
      for (SamplerResult r : results) {
        s.append(String.format(java.util.Locale.ROOT, "%-26s %7.1f%% %13.1f%% %12.1f %8d%n", r.sampler(),
            100 * r.metric("solved"), 100 * r.metric("cellAccuracy"), r.nfePerInstance(), r.instances()));
      }
      return s.toString();
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
      BenchOptions options = toOptions("text", TRAINING_SHARE, TaskRecipe.generic());
      TextBenchmark.run(data, block, span, options,
          CommandRoot.typed(spec));
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
      BenchOptions options = toOptions("images", TRAINING_SHARE, TaskRecipe.generic());
      ImageBenchmark.run(data, levels, downsample, options,
          CommandRoot.typed(spec));
      printSummary(options);
      return 0;
    }
  }

}
