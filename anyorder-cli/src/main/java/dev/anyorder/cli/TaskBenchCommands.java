package dev.anyorder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.evaluation.BenchOptions;
import dev.anyorder.evaluation.BenchReport;
import dev.anyorder.evaluation.ImageBenchmark;
import dev.anyorder.evaluation.PuzzleBenchmark;
import dev.anyorder.evaluation.SamplerResult;
import dev.anyorder.evaluation.TaskRecipe;
import dev.anyorder.evaluation.SamplerVariant;
import dev.anyorder.evaluation.TextBenchmark;
import dev.anyorder.io.SavedModel;
import dev.anyorder.options.CommandRoot;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.tasks.Task;
import dev.anyorder.tasks.TaskFactory;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.images.FashionMnist;
import dev.anyorder.tasks.maze.MazeConfig;
import dev.anyorder.tasks.maze.MazePuzzleFile;
import dev.anyorder.tasks.maze.MazeTask;
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
 * {@code report.json}, {@code report.md} and PNG charts into {@code --out}. {@code maze} and {@code sudoku}
 * also solve a puzzle file with a trained model ({@code --model}, {@code --puzzles}), writing the answers
 * beside the report.
 */
final class TaskBenchCommands {
  private TaskBenchCommands() {}

  static final double TRAINING_SHARE = 0.7;

  /** The samplers a puzzle file is solved with: random and left-to-right order, adaptive margin, speculative. */
  static final List<String> FILE_SAMPLERS =
      List.of("sequential/random", "sequential/left-to-right", "adaptive/margin", "speculative/random");

  static void printSummary(BenchOptions options) {
    System.out.println("report: " + options.out().resolve(BenchReport.MARKDOWN_FILE));
  }

  /**
   * Solves the puzzles of a file ({@code --puzzles}) with a trained model, nothing trained: the first {@code
   * --eval-instances} of them, with {@code --samplers} or else {@link #FILE_SAMPLERS}, all of {@code --minutes}
   * going to evaluation; writes each sampler's answers beside the report as {@code answers} says, adds the
   * rows to {@code report} (which the caller writes) and returns them.
   */
  static List<SamplerResult> solveFile(AnyOrderModel model, Task task, List<TaskInstance> puzzles, BenchOptions options,
      BenchReport report, PuzzleBenchmark.AnswerFiles answers) {
    return solveFile(model, task, puzzles, options, report, answers, 0);
  }

  /**
   * As above; with {@code beam} above 0, the suite and the default samplers also hold adaptive margin decoding
   * with a beam search of that width ({@link SamplerVariant#withBeamSearch}).
   */
  static List<SamplerResult> solveFile(AnyOrderModel model, Task task, List<TaskInstance> puzzles, BenchOptions options,
      BenchReport report, PuzzleBenchmark.AnswerFiles answers, int beam) {
    List<TaskInstance> attempted = puzzles.subList(0, Math.min(puzzles.size(), options.evalInstances()));
    report.setting("puzzles in the file", puzzles.size()).setting("puzzles evaluated (at most)", attempted.size())
        .setting("temperature", options.temperature()).setting("seed", options.seed());
    List<SamplerVariant> all = SamplerVariant.standardSuite(options.temperature(), options.seed());
    List<String> defaults = FILE_SAMPLERS;
    if (beam > 0) {
      all = SamplerVariant.withBeamSearch(all, beam, options.temperature(), options.seed());
      defaults = new java.util.ArrayList<>(FILE_SAMPLERS);
      defaults.add(SamplerVariant.beamLabel(beam));
    }
    List<SamplerVariant> suite = SamplerVariant.select(all, options.samplers().isEmpty() ? defaults : options.samplers());
    return PuzzleBenchmark.evaluateModel(model, task, attempted, suite, options, report, answers);
  }

  /** Where the answers and the report of a puzzle file went. */
  static void printFileSummary(BenchOptions options) {
    System.out.println("answers: " + options.out().resolve(PuzzleBenchmark.AnswerFiles.fileName("SAMPLER"))
        + ", one line per puzzle of the file");
    printSummary(options);
  }

  /**
   * {@code anyorder bench maze}: an any-order against a left-to-right maze solver at equal compute (σ-GPT,
   * Pannatier et al. 2024), in the lean encoding (the solution cells the maze fixes are given), with the
   * waypoint scenario; with {@code --model} and {@code --puzzles}, evaluation of a trained model on mazes from a
   * file instead.
   */
  @Command(name = "maze", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Maze path-finding: random-order and left-to-right models at equal budget, every sampler, waypoints.",
          "With --model DIR --puzzles FILE: solve the file's mazes with a trained maze model, no training."})
  static final class Maze extends TaskBenchOptions implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "9x11", description = "HEIGHTxWIDTH, odd (default: ${DEFAULT-VALUE}; the paper's is 13x21).")
    String size;
    @Option(names = "--orders", split = ",", description = "Training orders, one model each (recipe: random,left-to-right).")
    List<String> orders;
    @Option(names = "--waypoints", description = "Path cells given in the waypoint scenario, 0 for none (recipe: 1).")
    Integer waypoints;
    @Mixin MazeTaskOptions mazeTask = new MazeTaskOptions();
    @Option(names = "--model", description = "A trained maze model to evaluate on --puzzles (nothing is trained): its own"
        + " size and encoding are used, --size and the training options are ignored.") Path model;
    @Option(names = "--puzzles", description = "Maze file: per line the height, the width, then the cells row-major (#"
        + " wall, . open, S start, G goal), separated by whitespace; the cells as one run or split by spaces (e.g. one"
        + " field per row). Blank lines are skipped; no comment lines (# is a wall). Answers go to"
        + " OUT/solutions-SAMPLER.txt: one line per maze in file order, same layout with * on the path, empty when not"
        + " attempted.") Path puzzles;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if ((model == null) != (puzzles == null)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--model and --puzzles go together");
      }
      if (model != null) {
        return evaluateFile();
      }
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

    /** Solves the mazes of {@code --puzzles} with {@code --model}, in the model's own maze task. */
    private int evaluateFile() {
      BenchOptions options = toOptions("maze-file", 0.01, TaskRecipe.maze());
      try (AnyOrderModel solver = AnyOrderModel.load(model, "cpu", options.threads())) {
        MazeTask task = recordedMazeTask(solver.saved());
        List<TaskInstance> read = MazePuzzleFile.read(puzzles, task);
        BenchReport report = new BenchReport("Mazes from " + puzzles.getFileName() + " solved by " + model.getFileName(),
            CommandRoot.typed(spec));
        MazeConfig c = task.config();
        report.setting("model", model.toString()).setting("task", task.name())
            .setting("fixed cells given (lean encoding)", c.fixedCellsGiven()).setting("border left out", c.interiorOnly())
            .setting("maze file", puzzles.toString()).setting("mean shortest path (cells)", read.stream()
                .limit(options.evalInstances()).mapToInt(i -> task.maze(i).shortestDistance() - 1).average().orElse(0));
        List<SamplerResult> results = solveFile(solver, task, read, options, report, new PuzzleBenchmark.AnswerFiles(read.size(),
            "correct", "the height, the width and the generated solution grid as one run of cells (* on the path, . where a"
                + " cell stays open; walls, start and goal as generated)", (puzzle, generated) -> MazePuzzleFile.answerLine(task,
                generated)));
        report.note("correct: the path cells form one unbranched path from the start to the goal over open cells and nothing"
            + " else changed; optimal: correct and as short as a shortest path (breadth-first search over the file's maze,"
            + " which may have several); NFE: network calls per maze.");
        report.write(options.out());
        System.out.println(PuzzleTables.maze(results));
      }
      printFileSummary(options);
      return 0;
    }

    /** The maze task {@code --model} was trained on, as it records it; an error for any other model. */
    private MazeTask recordedMazeTask(SavedModel saved) {
      Optional<JsonNode> record = TaskFactory.recorded(saved.data(), saved.training());
      if (record.isEmpty()) {
        throw new IllegalArgumentException("the model in " + model + " records no task, so it is not a maze model; --puzzles"
            + " needs a model trained by 'bench maze' or 'demo'");
      }
      Task task;
      try {
        task = TaskFactory.rebuild(record.get());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the model in " + model + " is not a maze model: " + e.getMessage());
      }
      if (!(task instanceof MazeTask maze)) {
        throw new IllegalArgumentException("the model in " + model + " was trained on " + task.name() + ", not on mazes;"
            + " --puzzles needs a maze model");
      }
      return maze;
    }
  }

  /**
   * {@code anyorder bench sudoku}: adaptive margin ordering (Kim et al. 2025) against fixed orders; with
   * {@code --model} and {@code --puzzles}, evaluation of a trained model on puzzles from a file instead.
   */
  @Command(name = "sudoku", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Sudoku: adaptive (margin) against sequential decoding, random-order and left-to-right models, each trained"
          + " for --minutes (training puzzles of 25 to 45 givens, evaluation after).",
          "With --model DIR --puzzles FILE: solve the file's puzzles with a trained model, no training."})
  static final class Sudoku extends TaskBenchOptions implements Callable<Integer> {
    @Option(names = "--givens", defaultValue = "32", description = "Given cells per held-out puzzle (default: ${DEFAULT-VALUE}).") int givens;
    @Option(names = "--hard-givens", defaultValue = "25", description = "Givens of the second, harder held-out set, the same"
        + " puzzles carved further; 0 for none (default: ${DEFAULT-VALUE}).") int hardGivens;
    @Option(names = "--orders", split = ",", description = "Training orders, one model each (recipe: random,left-to-right).")
    List<String> orders;
    @Option(names = "--model", description = "A trained sudoku model to evaluate on --puzzles (nothing is trained).") Path model;
    @Option(names = "--puzzles", description = "Puzzle file: per line 81 cells (0 or . blank), a space, the 81-digit solution."
        + " Answers go to OUT/solutions-SAMPLER.txt: one line per puzzle in file order, the puzzle (0 blank), a space and the"
        + " 81 generated digits; empty when not attempted.")
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
      int attempts = SudokuConfig.defaults().maxAttempts();
      SudokuTask task = new SudokuTask(new SudokuConfig(givens, attempts));
      SudokuTask training = new SudokuTask(new SudokuConfig(TaskRecipe.SUDOKU_TRAINING_GIVENS, attempts,
          TaskRecipe.SUDOKU_TRAINING_MAX_GIVENS));
      BenchOptions options = toOptions("sudoku", TRAINING_SHARE, recipe);
      List<SamplerVariant> suite = SamplerVariant.select(SamplerVariant.withBeamSearch(SamplerVariant.standardSuite(
          options.temperature(), options.seed()), TaskRecipe.SUDOKU_BEAM, options.temperature(), options.seed()), options.samplers());
      Optional<PuzzleBenchmark.Scenario> harder = hardGivens == 0 || hardGivens >= givens ? Optional.empty()
          : Optional.of(new PuzzleBenchmark.Scenario("givens-" + hardGivens, "the same held-out puzzles carved further, down to "
              + hardGivens + " givens while the solution stays unique", i -> task.carvedTo(i, hardGivens, options.seed()),
              SamplerVariant.select(SamplerVariant.withBeamSearch(SamplerVariant.standardSuite(options.temperature(),
                  options.seed()), TaskRecipe.SUDOKU_BEAM, options.temperature(), options.seed()), List.of("adaptive/margin",
                  SamplerVariant.beamLabel(TaskRecipe.SUDOKU_BEAM), "sequential/left-to-right", "sequential/random"))));
      PuzzleBenchmark.Plan plan = new PuzzleBenchmark.Plan(task, "Sudoku (" + givens + " givens): adaptive against fixed orders",
          CommandRoot.typed(spec), "solved",
          (orders != null ? orders : recipe.orders()).stream().map(OrderSchedule::parse).toList(), suite, harder,
          Optional.empty(), Optional.of(this.recipe.decoding(recipe))).trainedOn(training, true);
      PuzzleBenchmark.run(plan, options);
      printSummary(options);
      return 0;
    }

    /** Solves the puzzles of {@code --puzzles} with {@code --model}; all of {@code --minutes} goes to evaluation. */
    private int evaluateFile() {
      List<SudokuPuzzle> read = SudokuPuzzleFile.read(puzzles);
      SudokuTask task = new SudokuTask(SudokuConfig.defaults());
      BenchOptions options = toOptions("sudoku-file", 0.01, TaskRecipe.sudoku());
      BenchReport report = new BenchReport("Sudoku puzzles from " + puzzles.getFileName() + " solved by " + model.getFileName(),
          CommandRoot.typed(spec));
      report.setting("model", model.toString()).setting("puzzle file", puzzles.toString())
          .setting("mean givens", read.stream().limit(options.evalInstances()).mapToInt(SudokuPuzzle::givens).average().orElse(0));
      List<SamplerResult> results;
      try (AnyOrderModel solver = AnyOrderModel.load(model, "cpu", options.threads())) {
        results = solveFile(solver, task, read.stream().map(SudokuTask::instance).toList(), options, report,
            new PuzzleBenchmark.AnswerFiles(read.size(), "solved", "the puzzle as in the file (0 for a blank), a space and the"
                + " 81 generated digits where the file has its solution", SudokuPuzzleFile::answerLine), TaskRecipe.SUDOKU_BEAM);
      }
      report.note("solved: every row, column and box holds 1..9 once and the givens are kept; cellAccuracy: the share of"
          + " blank cells equal to the file's solution; NFE: network calls per puzzle.");
      report.write(options.out());
      System.out.println(PuzzleTables.sudoku(results));
      printFileSummary(options);
      return 0;
    }
  }

  /** {@code anyorder bench text}: random against left-to-right character models at equal budget. */
  @Command(name = "text", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Text: random-order against left-to-right training, validation loss under each order, infilling.")
  static final class Text extends TaskBenchOptions implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "data/kjv.txt.gz", description = "UTF-8 text (default: ${DEFAULT-VALUE}).")
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
