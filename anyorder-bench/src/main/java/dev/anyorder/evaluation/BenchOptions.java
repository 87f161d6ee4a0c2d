package dev.anyorder.evaluation;

import dev.anyorder.model.PositionEncoding;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.training.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Settings shared by every task benchmark ({@code anyorder bench maze|sudoku|text|images}) and the demo.
 *
 * @param out report directory; models are trained into {@code out/models/NAME} unless {@code modelRoot} is set
 * @param modelRoot directory holding the models (reused when complete); null for {@code out/models}
 * @param minutes wall-clock budget of the whole run
 * @param trainingShare fraction of the budget spent training (the rest evaluates), in (0, 1)
 * @param steps fixed optimizer steps per model; 0 derives them from the budget by calibrating the first
 *     model, and every other model of the run gets the same count (equal compute, whatever the load)
 * @param layers transformer blocks
 * @param heads attention heads
 * @param dim residual width
 * @param batch sequences per optimizer step
 * @param learningRate peak learning rate
 * @param trainInstances size of the generated training pool (tasks that generate data)
 * @param evalInstances held-out instances per sampler, at most
 * @param evalBatch instances decoded together in one sampler call
 * @param temperature sampling temperature of every sampler
 * @param samplers labels of the sampler variants to run; empty for all
 * @param targetLoss train with the loss on the positions unknown at solve time only (tasks whose
 *     instances share one known mask, e.g. mazes); {@code known-first} orders always do
 * @param seed seed of data, training and sampling
 * @param threads engine threads
 * @param progress progress reporting
 * @param positions position tables of the trained models (sinusoidal ones give relative offsets, such as
 *     "the same cell in the other half of a maze", from the first step)
 * @param promptFirst train in the solve-time layout ({@link TaskRecipe#promptFirst()}): each instance's
 *     own known positions first in position order, loss on its targets only
 */
public record BenchOptions(Path out, Path modelRoot, double minutes, double trainingShare, int steps, int layers, int heads, int dim, int batch,
    double learningRate, int trainInstances, int evalInstances, int evalBatch, double temperature, List<String> samplers,
    boolean targetLoss, long seed, int threads, Progress progress, PositionEncoding positions, boolean promptFirst) {

  public BenchOptions {
    Objects.requireNonNull(out, "out directory");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(positions, "positions must be learned, sinusoidal or grid");
    samplers = samplers == null ? List.of() : List.copyOf(samplers);
    require(minutes > 0 && Double.isFinite(minutes), "minutes must be a positive number, got " + minutes);
    require(trainingShare > 0 && trainingShare < 1, "training share must be in (0, 1), got " + trainingShare);
    require(steps >= 0, "steps must be >= 0 (0 = from the time budget), got " + steps);
    require(layers >= 1 && heads >= 1 && dim >= 2, "need layers, heads >= 1 and dim >= 2, got " + layers + ", " + heads + ", " + dim);
    require(dim % heads == 0, "dim " + dim + " must be divisible by heads " + heads);
    require(batch >= 1, "batch must be at least 1, got " + batch);
    require(learningRate > 0, "learning rate must be > 0, got " + learningRate);
    require(trainInstances >= 1, "train instances must be at least 1, got " + trainInstances);
    require(evalInstances >= 1, "eval instances must be at least 1, got " + evalInstances);
    require(evalBatch >= 1, "eval batch must be at least 1, got " + evalBatch);
    require(temperature > 0 && Double.isFinite(temperature), "temperature must be > 0, got " + temperature);
    require(threads >= 1, "threads must be at least 1, got " + threads);
  }

  /** Options without prompt-first training. */
  public BenchOptions(Path out, Path modelRoot, double minutes, double trainingShare, int steps, int layers, int heads, int dim,
      int batch, double learningRate, int trainInstances, int evalInstances, int evalBatch, double temperature,
      List<String> samplers, boolean targetLoss, long seed, int threads, Progress progress, PositionEncoding positions) {
    this(out, modelRoot, minutes, trainingShare, steps, layers, heads, dim, batch, learningRate, trainInstances, evalInstances,
        evalBatch, temperature, samplers, targetLoss, seed, threads, progress, positions, false);
  }

  /**
   * How every task benchmark trains a model in {@code order}: {@link TrainConfig#defaults()} with these
   * options' steps (at least 1; the trainer stops at the time budget when {@link #steps()} is 0), batch,
   * learning rate and seed, evaluating only at the end on 4 batches, checkpointing only at the end.
   */
  public TrainConfig trainConfig(OrderSchedule order) {
    return TrainConfig.defaults().withSteps(Math.max(1, steps)).withBatch(batch)
        .withLearningRates(learningRate, learningRate / TrainConfig.MIN_LEARNING_RATE_DIVISOR).withOrder(order).withSeed(seed)
        .withEvaluation(0, BENCH_EVAL_BATCHES).withCheckpointEvery(0);
  }

  /** Validation batches of a benchmark's evaluations: few, since a benchmark's budget goes to training and sampling. */
  static final int BENCH_EVAL_BATCHES = 4;

  /** The directory a model named {@code name} is trained into or loaded from. */
  public Path modelDirectory(String name) {
    return (modelRoot == null ? out.resolve("models") : modelRoot).resolve(name);
  }

  /** Seconds of the budget for training all {@code models} models together. */
  public double trainingSeconds(int models) {
    return minutes * 60 * trainingShare / models;
  }

  /** Seconds of the budget for each of {@code runs} evaluations (one sampler variant on one model each). */
  public double evaluationSeconds(int runs) {
    return minutes * 60 * (1 - trainingShare) / Math.max(1, runs);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid benchmark options: " + message);
    }
  }
}
