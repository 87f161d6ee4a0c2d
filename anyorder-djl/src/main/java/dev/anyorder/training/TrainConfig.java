package dev.anyorder.training;

import dev.anyorder.data.GapTraining;
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
 * @param gaps optional (null = none): a share of the windows become gap examples that teach the model to size
 *     gaps of unknown length ({@link GapTraining}); recorded in the model's config, which is how a loaded
 *     model knows it can fill {@code {...}}. Null for models trained before this option existed
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
    boolean promptFirst,
    GapTraining gaps) {

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

  /** Settings without gap training, as before it existed. */
  public TrainConfig(int steps, int batch, int accumulation, double learningRate, double minLearningRate, int warmup,
      double weightDecay, double beta1, double beta2, double gradClip, OrderSchedule order, long seed, int evalEvery,
      int evalBatches, int checkpointEvery, boolean[] knownPositions, boolean knownFromData, boolean promptFirst) {
    this(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2, gradClip, order, seed,
        evalEvery, evalBatches, checkpointEvery, knownPositions, knownFromData, promptFirst, null);
  }

  /** The same settings with a share of gap examples ({@code null}: none). */
  public TrainConfig withGaps(GapTraining v) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2,
        gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, knownPositions, knownFromData, promptFirst, v);
  }

  /** Steps of {@link #defaults()}. */
  public static final int DEFAULT_STEPS = 3000;
  /** Sequences per micro-batch of {@link #defaults()}. */
  public static final int DEFAULT_BATCH = 12;
  /** Peak learning rate of {@link #defaults()}. */
  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  /** The cosine ends at the peak learning rate divided by this. */
  public static final double MIN_LEARNING_RATE_DIVISOR = 10;
  /** Final learning rate of {@link #defaults()}. */
  public static final double DEFAULT_MIN_LEARNING_RATE = DEFAULT_LEARNING_RATE / MIN_LEARNING_RATE_DIVISOR;
  /** Linear warmup steps of {@link #defaults()}. */
  public static final int DEFAULT_WARMUP = 100;
  /** Decoupled weight decay of {@link #defaults()}. */
  public static final double DEFAULT_WEIGHT_DECAY = 0.1;
  /** AdamW's first-moment decay. */
  public static final double DEFAULT_BETA1 = 0.9;
  /** AdamW's second-moment decay: 0.99 rather than 0.999, as nanoGPT, for small batches. */
  public static final double DEFAULT_BETA2 = 0.99;
  /**
   * AdamW's ε, added to the root of the second moment. Not a setting: no run has needed another, and a
   * saved run's config.json need not record it.
   */
  public static final double ADAM_EPSILON = 1e-8;
  /** Global gradient norm of {@link #defaults()}. */
  public static final double DEFAULT_GRAD_CLIP = 1.0;
  /** Order schedule of {@link #defaults()}: uniformly random orders, the σ-GPT recipe. */
  public static final String DEFAULT_ORDER = "random";
  /** Seed of {@link #defaults()}. */
  public static final long DEFAULT_SEED = 1;
  /** Evaluation interval of {@link #defaults()}. */
  public static final int DEFAULT_EVAL_EVERY = 500;
  /** Validation batches per evaluation of {@link #defaults()}. */
  public static final int DEFAULT_EVAL_BATCHES = 20;
  /** Checkpoint interval of {@link #defaults()}. */
  public static final int DEFAULT_CHECKPOINT_EVERY = 1000;

  /**
   * The one set of training defaults ({@code anyorder train} reads its flags' defaults here; the benchmarks
   * and tests change what they need with the withers): {@value #DEFAULT_STEPS} steps of {@value
   * #DEFAULT_BATCH} sequences, no accumulation, learning rate {@value #DEFAULT_LEARNING_RATE} with cosine to a
   * tenth of it after {@value #DEFAULT_WARMUP} warmup steps, weight decay {@value #DEFAULT_WEIGHT_DECAY},
   * betas {@value #DEFAULT_BETA1}/{@value #DEFAULT_BETA2}, gradient clip {@value #DEFAULT_GRAD_CLIP}, random
   * orders, seed {@value #DEFAULT_SEED}, evaluation every {@value #DEFAULT_EVAL_EVERY} steps on {@value
   * #DEFAULT_EVAL_BATCHES} batches, a checkpoint every {@value #DEFAULT_CHECKPOINT_EVERY}, no known positions.
   */
  public static TrainConfig defaults() {
    return new TrainConfig(DEFAULT_STEPS, DEFAULT_BATCH, 1, DEFAULT_LEARNING_RATE, DEFAULT_MIN_LEARNING_RATE,
        DEFAULT_WARMUP, DEFAULT_WEIGHT_DECAY, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_GRAD_CLIP, OrderSchedule.parse(DEFAULT_ORDER),
        DEFAULT_SEED, DEFAULT_EVAL_EVERY, DEFAULT_EVAL_BATCHES, DEFAULT_CHECKPOINT_EVERY, null, false, false, null);
  }

  /** The same settings for {@code v} optimizer steps. */
  public TrainConfig withSteps(int v) {
    return new TrainConfig(v, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2, gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, knownPositions, knownFromData, promptFirst, gaps);
  }

  /** The same settings with {@code v} sequences per micro-batch. */
  public TrainConfig withBatch(int v) {
    return new TrainConfig(steps, v, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2, gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, knownPositions, knownFromData, promptFirst, gaps);
  }

  /** The same settings with {@code v} micro-batches per optimizer step. */
  public TrainConfig withAccumulation(int v) {
    return new TrainConfig(steps, batch, v, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2, gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, knownPositions, knownFromData, promptFirst, gaps);
  }

  /** The same settings with peak learning rate {@code peak} decaying to {@code min}. */
  public TrainConfig withLearningRates(double peak, double min) {
    return new TrainConfig(steps, batch, accumulation, peak, min, warmup, weightDecay, beta1, beta2, gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, knownPositions, knownFromData, promptFirst, gaps);
  }

  /** The same settings with {@code v} warmup steps. */
  public TrainConfig withWarmup(int v) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, v, weightDecay, beta1, beta2, gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, knownPositions, knownFromData, promptFirst, gaps);
  }

  /** The same settings with decoupled weight decay {@code v}. */
  public TrainConfig withWeightDecay(double v) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, v, beta1, beta2, gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, knownPositions, knownFromData, promptFirst, gaps);
  }

  /** The same settings with AdamW's moment decays {@code b1} and {@code b2}. */
  public TrainConfig withBetas(double b1, double b2) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, b1, b2, gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, knownPositions, knownFromData, promptFirst, gaps);
  }

  /** The same settings with the gradient clipped to global norm {@code v} (0 = off). */
  public TrainConfig withGradClip(double v) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2, v, order, seed, evalEvery, evalBatches, checkpointEvery, knownPositions, knownFromData, promptFirst, gaps);
  }

  /** The same settings in the orders {@code v} draws. */
  public TrainConfig withOrder(OrderSchedule v) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2, gradClip, v, seed, evalEvery, evalBatches, checkpointEvery, knownPositions, knownFromData, promptFirst, gaps);
  }

  /** The same settings seeded by {@code v}. */
  public TrainConfig withSeed(long v) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2, gradClip, order, v, evalEvery, evalBatches, checkpointEvery, knownPositions, knownFromData, promptFirst, gaps);
  }

  /** The same settings evaluating every {@code every} steps (0 = only at the end) on {@code batches} batches. */
  public TrainConfig withEvaluation(int every, int batches) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2, gradClip, order, seed, every, batches, checkpointEvery, knownPositions, knownFromData, promptFirst, gaps);
  }

  /** The same settings checkpointing every {@code v} steps (0 = only at the end). */
  public TrainConfig withCheckpointEvery(int v) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2, gradClip, order, seed, evalEvery, evalBatches, v, knownPositions, knownFromData, promptFirst, gaps);
  }

  @Override
  public boolean[] knownPositions() {
    return knownPositions == null ? null : knownPositions.clone();
  }

  /** The same settings with positions known at solve time (null = none). */
  public TrainConfig withKnownPositions(boolean[] known) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2,
        gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, known, knownFromData, promptFirst, gaps);
  }

  /** The same settings with no known positions at all: the loss covers every position, in the schedule's own orders. */
  public TrainConfig withoutKnownPositions() {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2,
        gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, null, false, false, gaps);
  }

  /**
   * The same settings with each sequence's known positions taken from the data (and no fixed mask), laid
   * out prompt first or not.
   */
  public TrainConfig withKnownFromData(boolean promptFirstOrders) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2,
        gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, null, true, promptFirstOrders, gaps);
  }

  /** The same settings with {@code steps} steps and the given warmup, evaluation and checkpoint intervals. */
  public TrainConfig withSchedule(int steps, int warmup, int evalEvery, int checkpointEvery) {
    return new TrainConfig(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2,
        gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, knownPositions, knownFromData, promptFirst, gaps);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainConfig c && steps == c.steps && batch == c.batch && accumulation == c.accumulation
        && Double.compare(learningRate, c.learningRate) == 0 && Double.compare(minLearningRate, c.minLearningRate) == 0
        && warmup == c.warmup && Double.compare(weightDecay, c.weightDecay) == 0 && Double.compare(beta1, c.beta1) == 0
        && Double.compare(beta2, c.beta2) == 0 && Double.compare(gradClip, c.gradClip) == 0 && order.equals(c.order)
        && seed == c.seed && evalEvery == c.evalEvery && evalBatches == c.evalBatches && checkpointEvery == c.checkpointEvery
        && java.util.Arrays.equals(knownPositions, c.knownPositions) && knownFromData == c.knownFromData
        && promptFirst == c.promptFirst && java.util.Objects.equals(gaps, c.gaps);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(steps, batch, accumulation, learningRate, minLearningRate, warmup, weightDecay, beta1, beta2,
        gradClip, order, seed, evalEvery, evalBatches, checkpointEvery, knownFromData, promptFirst, gaps) * 31
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
