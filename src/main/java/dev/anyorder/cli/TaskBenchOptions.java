package dev.anyorder.cli;

import dev.anyorder.model.PositionEncoding;
import dev.anyorder.evaluation.BenchOptions;
import dev.anyorder.evaluation.Progress;
import dev.anyorder.evaluation.TaskRecipe;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Command-line options shared by the task benchmarks ({@code anyorder bench maze|sudoku|text|images}),
 * turned into {@link BenchOptions}. Training options left unset come from the task's {@link TaskRecipe}.
 */
class TaskBenchOptions {
  @Option(names = "--out", description = "Report directory (default: runs/bench-TASK).") Path out;
  @Option(names = "--models", description = "Directory of the models, reused when complete (default: OUT/models).") Path models;
  @Option(names = "--minutes", defaultValue = "10", description = "Time budget of the whole run; about 70%% trains (default: ${DEFAULT-VALUE}).")
  double minutes;
  @Option(names = "--steps", description = "Fixed optimizer steps per model; 0 derives them from --minutes (recipe: 0).") Integer steps;
  @Option(names = "--layers", description = "Transformer blocks (recipe: 4).") Integer layers;
  @Option(names = "--heads", description = "Attention heads (recipe: 4).") Integer heads;
  @Option(names = "--dim", description = "Residual width (recipe: 128).") Integer dim;
  @Option(names = "--batch", description = "Sequences per step (recipe: 16).") Integer batch;
  @Option(names = "--lr", description = "Peak learning rate (recipe: 1e-3).") Double lr;
  @Option(names = "--train-instances", description = "Training pool size (recipe: 20000).") Integer trainInstances;
  @Option(names = "--eval-instances", defaultValue = "200", description = "Held-out instances per sampler, at most (default: ${DEFAULT-VALUE}).")
  int evalInstances;
  @Option(names = "--eval-batch", defaultValue = "50", description = "Instances decoded together (default: ${DEFAULT-VALUE}).") int evalBatch;
  @Option(names = "--temperature", description = "Sampling temperature of every sampler (recipe: 0.5).") Double temperature;
  @Option(names = "--samplers", split = ",", description = "Only these sampler variants (labels as in the report).") List<String> samplers;
  @Option(names = "--target-loss", negatable = true, description = "Loss on the positions unknown at solve time only (maze).")
  Boolean targetLoss;
  @Option(names = "--prompt-first", negatable = true, description = "Train in the solve-time layout: each instance's known"
      + " positions first in position order, loss on the rest (maze recipe: on; needs a task that derives its known positions).")
  Boolean promptFirst;
  @Option(names = "--seed", defaultValue = "1") long seed;
  @Option(names = "--threads", defaultValue = "2", description = "Engine threads (default: ${DEFAULT-VALUE}).") int threads;
  @Option(names = "--no-progress", description = "No progress bars.") boolean noProgress;
  @Option(names = "--positions", description = "Position tables: learned or sinusoidal (recipe: learned).") String positions;

  private static <T> T or(T value, T recipe) {
    return value != null ? value : recipe;
  }

  /** The options of this run: what was given on the command line, {@code recipe} for the rest. */
  BenchOptions toOptions(String task, double trainingShare, TaskRecipe recipe) {
    Path dir = out != null ? out : Path.of("runs", "bench-" + task);
    return new BenchOptions(dir, models, minutes, trainingShare, or(steps, recipe.steps()), or(layers, recipe.layers()),
        or(heads, recipe.heads()), or(dim, recipe.dim()), or(batch, recipe.batch()), or(lr, recipe.learningRate()),
        or(trainInstances, recipe.trainInstances()), evalInstances, evalBatch, or(temperature, recipe.temperature()), samplers,
        or(targetLoss, recipe.targetLoss()), seed, threads, noProgress ? Progress.NONE : Progress.console(),
        positions == null ? recipe.positions() : PositionEncoding.valueOf(positions.toUpperCase(java.util.Locale.ROOT)),
        or(promptFirst, recipe.promptFirst()));
  }

  /** The command line as typed, for the report. */
  static String commandLine(String sub, String[] args) {
    return "anyorder bench " + sub + (args.length == 0 ? "" : " " + String.join(" ", args));
  }
}
