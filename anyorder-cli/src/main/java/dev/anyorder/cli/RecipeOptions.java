package dev.anyorder.cli;

import dev.anyorder.evaluation.BenchOptions;
import dev.anyorder.evaluation.Progress;
import dev.anyorder.evaluation.TaskRecipe;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.sampling.SamplerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The training and decoding options of the demo and the task benchmarks, one picocli mixin for all of them:
 * each option left unset comes from the task's {@link TaskRecipe}, which {@code --help} cannot show, so the
 * recipe values are in the report of every run.
 */
final class RecipeOptions {
  @Option(names = "--steps", description = "Optimizer steps per model; 0 derives them from the time budget (default: the recipe's).")
  Integer steps;
  @Option(names = "--layers", description = "Transformer blocks (default: the recipe's).") Integer layers;
  @Option(names = "--heads", description = "Attention heads (default: the recipe's).") Integer heads;
  @Option(names = "--dim", description = "Residual width (default: the recipe's).") Integer dim;
  @Option(names = "--batch", description = "Sequences per step (default: the recipe's).") Integer batch;
  @Option(names = "--lr", description = "Peak learning rate (default: the recipe's).") Double lr;
  @Option(names = "--train-instances", description = "Training pool size (default: the recipe's).") Integer trainInstances;
  @Option(names = "--temperature", description = "Sampling temperature of every sampler (default: the recipe's).") Double temperature;
  @Option(names = "--target-loss", negatable = true, description = "Loss on the positions unknown at solve time only, in drawn orders.")
  Boolean targetLoss;
  @Option(names = "--prompt-first", negatable = true, description = "Train in the solve-time layout: each instance's known"
      + " positions first in position order, loss on the rest (needs a task that derives its known positions, e.g. a lean maze).")
  Boolean promptFirst;
  @Option(names = "--positions", description = "Position tables: learned, sinusoidal, or grid (one learned embedding per row, column, box... of"
      + " the task, summed; default: the recipe's).") String positions;
  @Option(names = "--seed", defaultValue = "1") long seed;
  @Option(names = "--threads", defaultValue = "2", description = "Training threads and engine threads (default: ${DEFAULT-VALUE}).")
  int threads;
  @Option(names = "--no-progress", description = "No progress bars.") boolean noProgress;

  private static <T> T or(T value, T recipe) {
    return value != null ? value : recipe;
  }

  /**
   * The decoding the run's any-order models record as the one they are made for: the recipe's
   * ({@link TaskRecipe#decoding()}) at the run's temperature, {@code --temperature} when given.
   */
  SamplerConfig decoding(TaskRecipe recipe) {
    return recipe.decoding().withTemperature(or(temperature, recipe.temperature()));
  }

  /** The options of a run: what was given on the command line, {@code recipe} for the rest. */
  BenchOptions toOptions(Path out, Path models, double minutes, double trainingShare, int evalInstances, int evalBatch,
      List<String> samplers, TaskRecipe recipe) {
    return new BenchOptions(out, models, minutes, trainingShare, or(steps, recipe.steps()), or(layers, recipe.layers()),
        or(heads, recipe.heads()), or(dim, recipe.dim()), or(batch, recipe.batch()), or(lr, recipe.learningRate()),
        or(trainInstances, recipe.trainInstances()), evalInstances, evalBatch, or(temperature, recipe.temperature()), samplers,
        or(targetLoss, recipe.targetLoss()), seed, threads, noProgress ? Progress.NONE : Progress.console(),
        positions == null ? recipe.positions() : PositionEncoding.valueOf(positions.toUpperCase(Locale.ROOT)),
        or(promptFirst, recipe.promptFirst()));
  }
}
