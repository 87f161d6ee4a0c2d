package dev.anyorder.cli;

import dev.anyorder.model.PositionEncoding;
import dev.anyorder.evaluation.BenchOptions;
import dev.anyorder.evaluation.BenchReport;
import dev.anyorder.evaluation.Progress;
import dev.anyorder.evaluation.PuzzleBenchmark;
import dev.anyorder.evaluation.SamplerResult;
import dev.anyorder.evaluation.SamplerVariant;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.tasks.maze.MazeConfig;
import dev.anyorder.tasks.maze.MazeTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code anyorder demo}, the README's main job: trains a σ-GPT (Pannatier, Courdier, Fleuret 2024) maze
 * solver on the CPU in about three minutes (or reuses the one already in {@code --out}), solves held-out
 * mazes with the sequential, speculative, burst and adaptive (margin; Kim et al. 2025) samplers, prints a
 * table and one solved maze, and writes the Markdown report with its pictures.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train a maze solver in about 3 minutes, solve held-out mazes with every sampler, write a report.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "runs/demo", description = "Report and model directory (default: ${DEFAULT-VALUE}).") Path out;
  @Option(names = "--train-minutes", defaultValue = "3", description = "Training budget (default: ${DEFAULT-VALUE}).") double trainMinutes;
  @Option(names = "--eval-minutes", defaultValue = "1.5", description = "Evaluation budget (default: ${DEFAULT-VALUE}).") double evalMinutes;
  @Option(names = "--order", defaultValue = "curriculum",
      description = "Training order schedule (default: ${DEFAULT-VALUE}: the σ-GPT curriculum, left-to-right rising to random).") String order;
  @Option(names = "--steps", defaultValue = "1500",
      description = "Optimizer steps (default: ${DEFAULT-VALUE}, about 3 minutes on 2 free cores); 0 derives them from --train-minutes.")
  int steps;
  @Option(names = "--layers", defaultValue = "4") int layers;
  @Option(names = "--heads", defaultValue = "4") int heads;
  @Option(names = "--dim", defaultValue = "128") int dim;
  @Option(names = "--batch", defaultValue = "16") int batch;
  @Option(names = "--lr", defaultValue = "3e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).") double lr;
  @Option(names = "--train-instances", defaultValue = "20000", description = "Training mazes generated (default: ${DEFAULT-VALUE}).")
  int trainInstances;
  @Option(names = "--mazes", defaultValue = "100", description = "Held-out mazes per sampler, at most (default: ${DEFAULT-VALUE}).") int mazes;
  @Option(names = "--temperature", defaultValue = "0.5", description = "Sampling temperature (default: ${DEFAULT-VALUE}).") double temperature;
  @Option(names = "--target-loss", negatable = true, defaultValue = "false",
      description = "Loss on the path half only (default: ${DEFAULT-VALUE}).") boolean targetLoss;
  @Option(names = "--seed", defaultValue = "1") long seed;
  @Option(names = "--threads", defaultValue = "2") int threads;
  @Option(names = "--no-progress", description = "No progress bars.") boolean noProgress;
  @Option(names = "--positions", defaultValue = "learned", description = "Position tables: learned or sinusoidal (default: ${DEFAULT-VALUE}).")
  String positions;
  @Option(names = "--maze", defaultValue = "7x7", description = "Maze size HEIGHTxWIDTH, odd numbers (default: ${DEFAULT-VALUE}).")
  String maze;
  @Option(names = "--serve", description = "Open the trained demo model in the HTTP server (anyorder serve) instead of running the demo.") boolean serve;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (serve) {
      return serve();
    }
    MazeTask task = new MazeTask(mazeConfig());
    double minutes = trainMinutes + evalMinutes;
    BenchOptions options = new BenchOptions(out, out.resolve("models"), minutes, trainMinutes / minutes, steps, layers, heads, dim,
        batch, lr, trainInstances, mazes, 50, temperature, List.of(), targetLoss, seed, threads, noProgress ? Progress.NONE : Progress.console(),
        PositionEncoding.valueOf(positions.toUpperCase(java.util.Locale.ROOT)));
    String command = "anyorder demo" + (spec.commandLine().getParseResult().originalArgs().isEmpty() ? ""
        : " " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    PuzzleBenchmark.Plan plan = new PuzzleBenchmark.Plan(task, "AnyOrder demo: solving " + task.name() + " mazes", command,
        "correct", List.of(OrderSchedule.parse(order)), SamplerVariant.demoSuite(temperature, seed));
    PuzzleBenchmark.Outcome outcome = PuzzleBenchmark.run(plan, options);
    System.out.println();
    System.out.println(table(outcome.results()));
    outcome.example().ifPresent(e -> {
      System.out.printf("%s held-out maze (%s model, %s sampler): maze left, generated solution right%n",
          e.success() ? "A solved" : "An unsolved", e.model(), e.sampler());
      System.out.println(task.render(e.generated()));
    });
    System.out.println("report: " + out.resolve(BenchReport.MARKDOWN_FILE));
    return 0;
  }

  /** The maze shape of {@code --maze}. */
  MazeConfig mazeConfig() {
    return MazeConfig.parse(maze);
  }

  /** The terminal table: sampler, correct %, optimal %, NFE per maze. */
  static String table(List<SamplerResult> results) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-26s %8s %9s %10s %7s%n", "sampler", "correct", "optimal",
        "NFE/maze", "mazes"));
    for (SamplerResult r : results) {
      s.append(String.format(Locale.ROOT, "%-26s %7.1f%% %8.1f%% %10.1f %7d%n", r.sampler(), 100 * r.metric("correct"),
          100 * r.metric("optimal"), r.nfePerInstance(), r.instances()));
    }
    return s.toString();
  }

  /** Opens the demo's maze model in the HTTP server ({@code anyorder serve}); the model must have been trained. */
  private int serve() {
    Path model = out.resolve("models").resolve(new MazeTask(mazeConfig()).name() + "-" + OrderSchedule.parse(order).label());
    if (!java.nio.file.Files.exists(model.resolve(dev.anyorder.io.ModelDirectory.CONFIG_FILE))) {
      throw new IllegalArgumentException("no demo model in " + model + "; run 'anyorder demo' first");
    }
    return AnyOrderCli.commandLine().execute("serve", "--model", model.toString());
  }
}
