package dev.anyorder.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.anyorder.data.Dataset;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Step;
import dev.anyorder.model.TeacherForcing;
import dev.anyorder.model.djl.OwnedArrays;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.orders.OrderSchedule;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a σ-GPT on shuffled sequences (Pannatier et al., 2024): each sequence of a batch gets its own
 * order from the schedule, is laid out by {@link TeacherForcing} and contributes the mean cross-entropy
 * of its predicted steps.
 *
 * <p>Everything random in step {@code s} comes from a generator seeded by {@code (seed, s)}, and the
 * optimizer state is part of the checkpoint, so a run resumed at step {@code s} computes the same
 * losses as one that never stopped. Each step allocates in its own sub-manager and frees it on exit.
 */
public final class Trainer implements AutoCloseable {
  private final SigmaGpt model;
  private final TrainConfig config;
  private final Dataset data;
  private final AdamW optimizer;
  private final boolean[] known;
  private int step;
  private Evaluation lastEvaluation;
  /** Runs between each forward pass and its backward pass; tests use it to force garbage collections. */
  private Runnable beforeBackward = () -> {};

  /** Callbacks for progress bars, metric logs and checkpoints. */
  public interface Listener {
    default void onStep(StepMetrics metrics) {}

    default void onEvaluation(int step, Evaluation evaluation) {}

    /** Called after step {@code step} completes when a checkpoint is due (and at the end). */
    default void onCheckpoint(int step) {}
  }

  /** What one optimizer step did. */
  public record StepMetrics(int step, int totalSteps, double loss, double learningRate, double gradNorm, long tokens, double seconds) {}

  /** Validation losses (nats per token) under the training order and under left-to-right. */
  public record Evaluation(String trainingOrder, double trainingOrderLoss, double leftToRightLoss) {}

  public Trainer(SigmaGpt model, TrainConfig config, Dataset data) {
    if (data.vocabSize() > model.config().vocabSize()) {
      throw new IllegalArgumentException("data has " + data.vocabSize() + " token ids but the model's vocabulary has "
          + model.config().vocabSize());
    }
    if (data.sequenceLength() > model.config().maxLength()) {
      throw new IllegalArgumentException("data sequences of length " + data.sequenceLength()
          + " exceed the model's maximum length " + model.config().maxLength());
    }
    boolean[] known = config.knownPositions();
    if (known != null && known.length != data.sequenceLength()) {
      throw new IllegalArgumentException("known positions cover " + known.length + " positions but data sequences have "
          + data.sequenceLength());
    }
    if (config.knownFromData() && !data.knowsKnownPositions()) {
      throw new IllegalArgumentException("training with known positions from the data needs a data set that knows them; "
          + data.provenance().path("format").asText("this one") + " does not");
    }
    this.model = model;
    this.config = config;
    this.known = known;
    this.data = data;
    this.optimizer = new AdamW(model.manager(), model.parameters(), config.beta1(), config.beta2(), 1e-8, config.weightDecay());
  }

  public SigmaGpt model() {
    return model;
  }

  public AdamW optimizer() {
    return optimizer;
  }

  public TrainConfig config() {
    return config;
  }

  /** The most recent evaluation of {@link #run}, or null. */
  public Evaluation lastEvaluation() {
    return lastEvaluation;
  }

  /** Steps completed so far. */
  public int step() {
    return step;
  }

  /** Sets the step counter after restoring weights and optimizer state from a checkpoint. */
  public void resumeAt(int completedSteps) {
    if (completedSteps < 0 || completedSteps > config.steps()) {
      throw new IllegalArgumentException("cannot resume at step " + completedSteps + " of " + config.steps());
    }
    this.step = completedSteps;
  }

  void beforeBackward(Runnable hook) {
    this.beforeBackward = hook;
  }

  /** Runs the remaining steps, evaluating and checkpointing on schedule. */
  public void run(Listener listener) {
    while (step < config.steps()) {
      StepMetrics m = trainStep();
      listener.onStep(m);
      boolean last = step == config.steps();
      if (last || (config.evalEvery() > 0 && step % config.evalEvery() == 0)) {
        lastEvaluation = evaluate();
        listener.onEvaluation(step, lastEvaluation);
      }
      if (last || (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0)) {
        listener.onCheckpoint(step);
      }
    }
  }

  /** One optimizer step: {@code accumulation} micro-batches, global-norm clipping, AdamW. */
  public StepMetrics trainStep() {
    long started = System.nanoTime();
    SplittableRandom rng = new SplittableRandom(mix(config.seed(), step));
    Engine.getEngine("PyTorch").setRandomSeed((int) mix(config.seed() + 1, step)); // dropout masks
    double progress = (double) step / config.steps();
    double lossSum = 0;
    long tokens = 0;
    double gradNorm;
    try (NDManager scope = model.manager().newSubManager()) {
      for (int micro = 0; micro < config.accumulation(); micro++) {
        int[][] batch = data.batch(config.batch(), rng);
        boolean[][] known = knownOf(batch);
        int[][] orders = new int[batch.length][];
        for (int b = 0; b < batch.length; b++) {
          orders[b] = layout(config.order().draw(progress, batch[b].length, known[b], rng), known[b]);
        }
        try (NDManager microScope = scope.newSubManager();
            GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
          Batch in = Batch.of(microScope, model.config(), batch, orders, known);
          NDArray loss = loss(in, true);
          beforeBackward.run();
          collector.backward(loss.mul(OwnedArrays.scalar(microScope, 1f / config.accumulation())));
          lossSum += loss.getFloat();
          tokens += in.predicted;
        }
      }
      JniUtils.setGradMode(false);
      gradNorm = gradientNorm(scope);
    }
    double scale = config.gradClip() > 0 && gradNorm > config.gradClip() ? config.gradClip() / (gradNorm + 1e-6) : 1.0;
    double lr = config.learningRateAt(step);
    optimizer.step(model.parameters(), lr, scale);
    step++;
    double loss = lossSum / config.accumulation();
    if (!Double.isFinite(loss)) {
      throw new IllegalStateException("training diverged at step " + step + ": loss is " + loss
          + "; lower the learning rate or enable gradient clipping");
    }
    return new StepMetrics(step, config.steps(), loss, lr, gradNorm, tokens, (System.nanoTime() - started) / 1e9);
  }

  /** Mean validation loss under the training order and under left-to-right. */
  public Evaluation evaluate() {
    OrderSchedule schedule = config.order();
    OrderKind trainingKind = schedule.type() == OrderSchedule.Type.FIXED ? schedule.kind() : OrderKind.RANDOM;
    return new Evaluation(trainingKind.label(), validationLoss(trainingKind), validationLoss(OrderKind.LEFT_TO_RIGHT));
  }

  /** Mean validation loss (nats per predicted token) under one order kind, with fixed evaluation orders. */
  public double validationLoss(OrderKind kind) {
    JniUtils.setGradMode(false);
    SplittableRandom rng = new SplittableRandom(config.seed() ^ 0xE7A1L);
    double sum = 0;
    long count = 0;
    for (int[][] batch : data.validationBatches(config.batch(), config.evalBatches())) {
      boolean[][] known = knownOf(batch);
      int[][] orders = new int[batch.length][];
      for (int b = 0; b < batch.length; b++) {
        orders[b] = layout(kind.draw(batch[b].length, known[b], rng), known[b]);
      }
      try (NDManager scope = model.manager().newSubManager()) {
        Batch in = Batch.of(scope, model.config(), batch, orders, known);
        sum += loss(in, false).getFloat() * in.predicted;
        count += in.predicted;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  /** Each sequence's known positions: the fixed mask, the data's per-sequence mask, or null (every position a target). */
  private boolean[][] knownOf(int[][] batch) {
    boolean[][] out = new boolean[batch.length][];
    for (int b = 0; b < batch.length; b++) {
      out[b] = config.knownFromData() ? data.knownPositions(batch[b]) : known;
    }
    return out;
  }

  /** The drawn order, laid out prompt first when the configuration asks for it. */
  private int[] layout(int[] order, boolean[] sequenceKnown) {
    return config.promptFirst() ? OrderKind.promptFirst(order, sequenceKnown) : order;
  }

  private NDArray loss(Batch in, boolean training) {
    SigmaGpt.Output out = model.forward(in.tokens, in.from, in.to, null, SigmaGpt.causalMask(in.tokens.getManager(), in.length), training);
    NDArray logits = model.logits(out.hidden());
    long rows = (long) in.batch * in.length;
    NDArray logProbs = logits.reshape(rows, model.config().vocabSize()).logSoftmax(1);
    NDArray picked = logProbs.gather(in.targets.reshape(rows, 1), 1);
    if (in.weights != null) {
      picked = picked.mul(in.weights.reshape(rows, 1));
    }
    return picked.sum().mul(OwnedArrays.scalar(picked.getManager(), -1f / in.predicted));
  }

  private double gradientNorm(NDManager scope) {
    NDList squares = new NDList();
    for (NDArray p : model.parameters().values()) {
      NDArray g = p.getGradient();
      g.attach(scope);
      squares.add(g.square().sum());
    }
    return Math.sqrt(NDArrays.stack(squares).sum().getFloat());
  }

  /** Inputs of one teacher-forced batch, built from sequences and their orders. */
  private static final class Batch {
    final NDArray tokens;
    final NDArray from;
    final NDArray to;
    final NDArray targets;
    /** 1 for steps predicting a target position, 0 for known ones; null when every position counts. */
    final NDArray weights;
    final int batch;
    final int length;
    final long predicted;

    private Batch(NDArray tokens, NDArray from, NDArray to, NDArray targets, NDArray weights, long predicted, int batch,
        int length) {
      this.tokens = tokens;
      this.from = from;
      this.to = to;
      this.targets = targets;
      this.weights = weights;
      this.batch = batch;
      this.length = length;
      this.predicted = predicted;
    }

    /** {@code known[i]} is sequence {@code i}'s known mask, or null when all its positions are targets. */
    static Batch of(NDManager scope, ModelConfig c, int[][] sequences, int[][] orders, boolean[][] known) {
      int b = sequences.length;
      int t = TeacherForcing.targets(c, sequences[0], orders[0]).length;
      long[] tok = new long[b * t];
      long[] from = new long[b * t];
      long[] to = new long[b * t];
      long[] tgt = new long[b * t];
      boolean anyKnown = java.util.Arrays.stream(known).anyMatch(java.util.Objects::nonNull);
      float[] weight = anyKnown ? new float[b * t] : null;
      long predicted = anyKnown ? 0 : (long) b * t;
      for (int i = 0; i < b; i++) {
        List<Step> steps = TeacherForcing.steps(c, sequences[i], orders[i]);
        int[] targets = TeacherForcing.targets(c, sequences[i], orders[i]);
        if (steps.size() != t) {
          throw new IllegalArgumentException("all sequences of a batch must have the same length");
        }
        for (int j = 0; j < t; j++) {
          tok[i * t + j] = steps.get(j).token();
          from[i * t + j] = steps.get(j).fromPosition();
          to[i * t + j] = steps.get(j).toPosition();
          tgt[i * t + j] = targets[j];
          if (weight != null && (known[i] == null || !known[i][steps.get(j).toPosition()])) {
            weight[i * t + j] = 1;
            predicted++;
          }
        }
      }
      Shape shape = new Shape(b, t);
      return new Batch(OwnedArrays.longs(scope, tok, shape), OwnedArrays.longs(scope, from, shape), OwnedArrays.longs(scope, to, shape),
          OwnedArrays.longs(scope, tgt, shape), weight == null ? null : OwnedArrays.floats(scope, weight, shape), predicted, b, t);
    }
  }

  /** A 64-bit mix of a seed and a counter (SplitMix64 finaliser), so nearby steps get unrelated streams. */
  static long mix(long seed, long counter) {
    long z = seed * 0x9E3779B97F4A7C15L + counter + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
