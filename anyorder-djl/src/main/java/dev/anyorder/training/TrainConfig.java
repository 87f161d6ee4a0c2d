package dev.anyorder.training;

import dev.anyorder.orders.OrderSchedule;
import java.util.Objects;

/**
 * Settings of a training run. AdamW with decoupled weight decay on matrices only (Loshchilov and Hutter,
 * 2019), cosine learning rate with linear warmup, global-norm gradient clipping, gradient accumulation.
 *
 * @param steps optimizer steps in the whole run
 * @param batch sequences per micro-batch
 * @param accumulation micro-batches per optimizer step
 * @param learningRate peak learning rate
 * @param minLearningRate learning rate at the end of the cosine
 * @param warmup linear warmup steps
 * @param weightDecay decoupled weight decay of matrices and embeddings
 * @param beta1 AdamW first-moment decay
 * @param beta2 AdamW second-moment decay
 * @param gradClip global L2 norm the gradient is clipped to (0 = off)
 * @param order order schedule of training sequences
 * @param seed seed of initialisation, data and orders
 * @param evalEvery evaluate every this many steps (0 = only at the end)
 * @param evalBatches validation batches per evaluation
 * @param checkpointEvery save every this many steps (0 = only at the end)
 * @param knownPositions optional (null = none): positions given at solve time, e.g. a maze prompt. When set,
 *     the loss is the mean cross-entropy over the other (target) positions only — the "optionally only over
 *     target positions" of the σ-GPT loss — and {@code known-first} orders put these positions first
 * @param knownFromData when true, each sequence's known positions come from the data set ({@link
 *     dev.anyorder.data.Dataset#knownPositions(int[])}): for tasks whose given positions differ per
 *     instance, such as a maze whose prompt also fixes its walls, start and goal in the solution grid. The
 *     loss then covers each sequence's own targets only. Excludes {@code knownPositions}. False for models
 *     trained before this option existed
 * @param promptFirst when true, every training order is laid out prompt first ({@link
 *     dev.anyorder.orders.OrderKind#promptFirst}): the known positions (fixed or from the data) in
 *     increasing position order, as the samplers feed them at solve time, then the targets in the order
 *     the schedule drew. Needs known positions
 */
public record TrainConfig(
    int steps,
    int batch,
    int accumulation,
    double learningRate,
    double minLearningRate,
    int warmup,
    double weightDecay,
    double beta1,
    double beta2,
    double gradClip,
    OrderSchedule order,
    long seed,
    int evalEvery,
    int evalBatches,
    int checkpointEvery,
    boolean[] knownPositions,
    boolean knownFromData,
    boolean promptFirst) {

  public TrainConfig {
    Objects.requireNonNull(order, "order schedule is required");
    require(steps >= 1, "steps must be at least 1, got " + steps);
    require(batch >= 1, "batch must be at least 1, got " + batch);
    require(accumulation >= 1, "accumulation must be at least 1, got " + accumulation);
    require(learningRate > 0, "learning rate must be > 0, got " + learningRate);
    require(minLearningRate >= 0 && minLearningRate <= learningRate,
        "min learning rate must be in [0, learning rate], got " + minLearningRate);
    require(warmup >= 0, "warmup must be >= 0, got " + warmup);
    require(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
    require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
    require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
    require(gradClip >= 0, "grad clip must be >= 0, got " + gradClip);
    require(evalEvery >= 0, "eval-every must be >= 0, got " + evalEvery);
    require(evalBatches >= 1, "eval batches must be at least 1, got " + evalBatches);
    require(checkpointEvery >= 0, "checkpoint-every must be >= 0, got " + checkpointEvery);
    if (knownPositions != null) {
      boolean anyTarget = false;
      for (boolean k : knownPositions) {
        anyTarget |= !k;
      }
      require(anyTarget, "known positions must leave at least one target position");
      knownPositions = knownPositions.clone();
    }
    require(!(knownFromData && knownPositions != null),
        "known positions come either from the data (per sequence) or from one fixed mask, not both");
    require(!promptFirst || knownFromData || knownPositions != null,
        "prompt-first orders need known positions (a fixed mask or known positions from the data)");
  }

  /** A configuration with one fixed known mask (null = none), in the orders the schedule draws. */
  public TrainConfig(int steps, int batch, int accumulation, double learningRate, double minLearningRate, int warmup,
      double weightDecay, double beta1, double beta2, double gradClip, OrderSchedule order, long seed, int evalEvery,
      int evalBatches, int checkpointEvery, boolean[] knownPositions) {
    this(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2, gradClip, order, seed,
        evalEvery, evalBatches, checkpointEvery, knownPositions, false, false);
  }

  /** A configuration without known positions: the loss covers every position. */
  public TrainConfig(int steps, int batch, int accumulation, double learningRate, double minLearningRate, int warmup,
      double weightDecay, double beta1, double beta2, double gradClip, OrderSchedule order, long seed, int evalEvery,
      int evalBatches, int checkpointEvery) {
    this(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2, gradClip, order, seed,
        evalEvery, evalBatches, checkpointEvery, null);
  }

  @Override
  public boolean[] knownPositions() {
    return knownPositions == null ? null : knownPositions.clone();
  }

  /** The same settings with positions known at solve time (null = none). */
  public TrainConfig withKnownPositions(boolean[] known) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2,
        gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, known, knownFromData, promptFirst);
  }

  /**
   * The same settings with each sequence's known positions taken from the data (and no fixed mask), laid
   * out prompt first or not.
   */
  public TrainConfig withKnownFromData(boolean promptFirstOrders) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2,
        gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, null, true, promptFirstOrders);
  }

  /** The same settings with {@code steps} steps and the given warmup, evaluation and checkpoint intervals. */
  public TrainConfig withSchedule(int steps, int warmup, int evalEvery, int checkpointEvery) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2,
        gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, knownPositions, knownFromData, promptFirst);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainConfig c && steps == c.steps && batch == c.batch && accumulation == c.accumulation
        && Double.compare(learningRate, c.learningRate) == 0 && Double.compare(minLearningRate, c.minLearningRate) == 0
        && warmup == c.warmup && Double.compare(weightDecay, c.weightDecay) == 0 && Double.compare(beta1, c.beta1) == 0
        && Double.compare(beta2, c.beta2) == 0 && Double.compare(gradClip, c.gradClip) == 0 && order.equals(c.order)
        && seed == c.seed && evalEvery == c.evalEvery && evalBatches == c.evalBatches && checkpointEvery == c.checkpointEvery
        && java.util.Arrays.equals(knownPositions, c.knownPositions) && knownFromData == c.knownFromData
        && promptFirst == c.promptFirst;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2,
        gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, knownFromData, promptFirst) * 31
        + java.util.Arrays.hashCode(knownPositions);
  }

  /** Learning rate at optimizer step {@code step} (0-based): linear warmup, then cosine to the minimum. */
  public double learningRateAt(int step) {
    if (step < warmup) {
      return learningRate * (step + 1) / warmup;
    }
    double progress = steps <= warmup ? 1 : (double) (step - warmup) / (steps - warmup);
    progress = Math.min(1, progress);
    return minLearningRate + 0.5 * (1 + Math.cos(Math.PI * progress)) * (learningRate - minLearningRate);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid training config: " + message);
    }
  }
}
