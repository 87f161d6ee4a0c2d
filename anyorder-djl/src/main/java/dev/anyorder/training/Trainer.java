package dev.anyorder.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.engine.PtNDArray;
import dev.anyorder.data.Dataset;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Step;
import dev.anyorder.model.TeacherForcing;
import dev.anyorder.model.djl.OwnedArrays;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.model.java.WorkerTeam;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.orders.OrderSchedule;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Trains a σ-GPT on shuffled sequences (Pannatier et al., 2024): each sequence of a batch gets its own
 * order from the schedule, is laid out by {@link TeacherForcing} and contributes the mean cross-entropy
 * of its predicted steps.
 *
 * <p>With {@code workers > 1} a step is data-parallel inside the process: each worker thread holds a
 * replica of the weights, runs forward and backward on its share of the batch with one intra-op thread,
 * and the gradients are summed into the model's in a fixed order before one AdamW update that writes the
 * new weights into every replica (both passes in Java on the tensors' memory, {@link ParameterSlices}). At these model sizes one core per worker is far faster than two cores
 * splitting every small kernel (waking OpenMP threads costs more than the work they share), and the fixed
 * split and summation order keep a run bit-for-bit reproducible for a given worker count.
 *
 * <p>Everything random in step {@code s} comes from a generator seeded by {@code (seed, s)} and is drawn on
 * the calling thread before the batch is split, and the optimizer state is part of the checkpoint, so a
 * run resumed at step {@code s} with the same worker count computes the same weights as one that never
 * stopped. Each step allocates in sub-managers that are closed when it ends.
 */
public final class Trainer implements AutoCloseable {
  /** How long idle training workers spin before they park (see {@link #pool}). */
  private static final long HAND_OFF_SPIN_NANOS = 2_000_000;
  /** Whether this thread's OpenMP and MKL thread count is set to one (the counts are per thread). */
  private static final ThreadLocal<Boolean> SINGLE_THREADED = ThreadLocal.withInitial(() -> false);

  private final SigmaGpt model;
  /** One model per worker; the first is {@link #model}, the others are replicas of its weights. */
  private final List<SigmaGpt> replicas;
  /**
   * The workers. A step hands them work three times (forward and backward, the gradient sums, the update),
   * and waking a parked thread took up to a millisecond on the 2-vCPU VMs this was measured on, so idle
   * workers spin this long before they park: longer than the gaps inside a step, shorter than evaluation.
   */
  private final WorkerTeam pool;
  /** The weights and gradients of the model and its replicas as Java memory, for the optimizer step. */
  private final ParameterSlices slices;
  /** One run of slices per worker, balanced by size, for the parallel optimizer step. */
  private final List<List<ParameterSlices.Slice>> sliceGroups;
  private final int intraOpThreadsBefore;
  private final NDManager constants;
  private final Map<Integer, NDArray> causalMasks = new LinkedHashMap<>();
  private final TrainConfig config;
  private final Dataset data;
  private final AdamW optimizer;
  private final boolean[] known;
  private int step;
  private Evaluation lastEvaluation;
  private double evaluationSeconds;
  /** Runs between each forward pass and its backward pass; tests use it to force garbage collections. */
  private Runnable beforeBackward = () -> {};
  private volatile boolean stopRequested;

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

  /** A trainer that runs every step on the calling thread. */
  public Trainer(SigmaGpt model, TrainConfig config, Dataset data) {
    this(model, config, data, 1);
  }

  /**
   * A trainer with {@code workers} data-parallel threads, each running one intra-op thread (see the class
   * comment). Results depend on the worker count, not on timing.
   */
  public Trainer(SigmaGpt model, TrainConfig config, Dataset data, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    if (workers > 1 && model.config().dropout() > 0) {
      // PyTorch draws dropout masks from one global generator; threads sharing it would race.
      throw new IllegalArgumentException("dropout " + model.config().dropout() + " needs a single training thread (--threads 1)");
    }
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
    if (config.gaps() != null) {
      config.gaps().layout().validate(model.config());
      if (data.sequenceLength() > config.gaps().layout().block(model.config())) {
        throw new IllegalArgumentException("gap training needs " + config.gaps().slots() + " length slots after the "
            + data.sequenceLength() + " positions of a window, but the model has " + model.config().maxLength() + " positions");
      }
    }
    this.model = model;
    this.config = config;
    this.known = known;
    this.data = data;
    Map<String, long[]> shapes = new LinkedHashMap<>();
    model.parameters().forEach((name, p) -> shapes.put(name, p.getShape().getShape()));
    this.optimizer = new AdamW(shapes, config.beta1(), config.beta2(), TrainConfig.ADAM_EPSILON, config.weightDecay());
    this.constants = model.manager().newSubManager();
    this.replicas = new ArrayList<>(List.of(model));
    if (workers > 1) {
      this.intraOpThreadsBefore = JniUtils.getNumThreads();
      JniUtils.setNumThreads(1);
      Map<String, float[]> weights = model.weights();
      for (int w = 1; w < workers; w++) {
        replicas.add(SigmaGpt.fromWeights(model.config(), weights, model.manager(), true));
      }
      this.pool = new WorkerTeam(workers, HAND_OFF_SPIN_NANOS, "anyorder-train-worker-");
    } else {
      this.intraOpThreadsBefore = -1;
      this.pool = null;
    }
    this.slices = new ParameterSlices(replicas);
    if (OptimizerKernels.VECTOR) {
      VectorOptimizerKernels.warmUp();
    }
    this.sliceGroups = slices.groups(workers);
  }

  /** Number of data-parallel workers. */
  public int workers() {
    return replicas.size();
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

  /** Seconds {@link #run} has spent evaluating. */
  public double evaluationSeconds() {
    return evaluationSeconds;
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

  /**
   * Asks {@link #run} to stop after the step in progress; it then checkpoints that step (unless it just
   * did) and returns. Safe to call from any thread, for example a shutdown hook on Ctrl-C.
   */
  public void requestStop() {
    stopRequested = true;
  }

  /** Whether {@link #requestStop} was called. */
  public boolean stopRequested() {
    return stopRequested;
  }

  /**
   * Runs the remaining steps, evaluating and checkpointing on schedule. After {@link #requestStop} it returns
   * early with the last completed step checkpointed, so {@code --resume} continues exactly from there.
   */
  public void run(Listener listener) {
    int checkpointed = step;
    while (step < config.steps()) {
      if (stopRequested) {
        if (checkpointed != step) {
          listener.onCheckpoint(step);
        }
        return;
      }
      StepMetrics m = trainStep();
      listener.onStep(m);
      boolean last = step == config.steps();
      if (last || (config.evalEvery() > 0 && step % config.evalEvery() == 0)) {
        long started = System.nanoTime();
        lastEvaluation = evaluate();
        evaluationSeconds += (System.nanoTime() - started) / 1e9;
        listener.onEvaluation(step, lastEvaluation);
      }
      if (last || (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0)) {
        listener.onCheckpoint(step);
        checkpointed = step;
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
    for (int micro = 0; micro < config.accumulation(); micro++) {
      Dataset.LabeledBatch drawn = draw(rng);
      int[][] batch = drawn.sequences();
      boolean[][] known = drawn.known();
      int[][] orders = new int[batch.length][];
      for (int b = 0; b < batch.length; b++) {
        orders[b] = layout(config.order().draw(progress, batch[b].length, known[b], rng), known[b]);
      }
      long predicted;
      List<Double> sums;
      if (config.gaps() == null) {
        predicted = predictedSteps(orders, known);
        // Each worker's loss is its share of the batch mean, so the summed gradients are the batch's.
        float weight = (float) (1.0 / ((double) predicted * config.accumulation()));
        sums = onWorkers(batch, orders, known, (replica, sequences, sequenceOrders, sequenceKnown) -> backward(replica,
            sequences, sequenceOrders, sequenceKnown, weight));
      } else {
        Laid[] laid = withGapExamples(batch, orders, known, rng);
        predicted = Arrays.stream(laid).mapToLong(Laid::predicted).sum();
        float weight = (float) (1.0 / ((double) predicted * config.accumulation()));
        sums = onWorkers(laid, share -> backward(share, weight));
      }
      for (double sum : sums) {
        lossSum += sum / predicted;
      }
      tokens += predicted;
    }
    // The optimizer step runs on the workers too, each on its run of slices; the global norm adds the
    // slices' sums in slice order, so it does not depend on timing or on the number of workers.
    double lr = config.learningRateAt(step);
    try (NDManager scope = model.manager().newSubManager()) {
      ByteBuffer[][] gradients = slices.gradients(scope);
      double[] squares = new double[slices.slices().size()];
      onSlices(s -> squares[s.index()] = OptimizerKernels.sumGradients(gradients[s.tensor()], s.from(), s.to()));
      double sum = 0;
      for (double s : squares) {
        sum += s;
      }
      gradNorm = Math.sqrt(sum);
      double scale = config.gradClip() > 0 && gradNorm > config.gradClip() ? config.gradClip() / (gradNorm + 1e-6) : 1.0;
      AdamW.Update update = optimizer.prepare(lr, scale);
      onSlices(s -> optimizer.apply(update, s.tensor(), s.from(), s.to(), gradients[s.tensor()][0], slices.parameters(s.tensor())));
    }
    step++;
    double loss = lossSum / config.accumulation();
    if (!Double.isFinite(loss)) {
      throw new IllegalStateException("training diverged at step " + step + ": loss is " + loss
          + "; lower the learning rate or enable gradient clipping");
    }
    return new StepMetrics(step, config.steps(), loss, lr, gradNorm, tokens, (System.nanoTime() - started) / 1e9);
  }

  /** Forward and backward of one worker's share; returns its summed negative log-likelihood. */
  private double backward(SigmaGpt replica, int[][] sequences, int[][] orders, boolean[][] known, float weight) {
    JniUtils.setGradMode(true);
    try (NDManager scope = replica.manager().newSubManager()) {
      Batch in = Batch.of(scope, model.config(), sequences, orders, known);
      NDArray nll = negativeLogLikelihood(replica, in, true);
      beforeBackward.run();
      NDArray objective = nll.mul(OwnedArrays.scalar(scope, weight));
      JniUtils.backward((PtNDArray) objective, (PtNDArray) scope.ones(objective.getShape()), false, false);
      return nll.getFloat();
    } finally {
      JniUtils.setGradMode(false);
    }
  }

  /**
   * One sequence of a batch as teacher-forced steps, what each predicts and whether it counts in the loss:
   * an ordinary sequence in its order, or a gap example's length stream (docs/algorithms.md#training-for-gaps).
   */
  private record Laid(List<Step> steps, int[] targets, float[] weights) {
    long predicted() {
      long n = 0;
      for (float w : weights) {
        n += w > 0 ? 1 : 0;
      }
      return n;
    }
  }

  /**
   * The batch with each window made a gap example with probability {@code gaps.share()}: its context and
   * gap markers fed first, then each gap's length predicted in its slot; only the lengths carry loss.
   */
  private Laid[] withGapExamples(int[][] batch, int[][] orders, boolean[][] known, SplittableRandom rng) {
    ModelConfig c = model.config();
    dev.anyorder.data.GapTraining gaps = config.gaps();
    dev.anyorder.model.GapLayout layout = gaps.layout();
    Laid[] laid = new Laid[batch.length];
    for (int b = 0; b < batch.length; b++) {
      dev.anyorder.data.GapTraining.Example example = rng.nextDouble() < gaps.share()
          ? gaps.example(batch[b], layout.block(c), rng) : null;
      if (example != null) {
        int[] lengths = example.lengths();
        dev.anyorder.model.GapLayout.LengthStream stream = layout.stream(c, example.layout(), lengths, lengths.length - 1);
        int[] targets = new int[stream.steps().size()];
        float[] weights = new float[targets.length];
        int[] slotSteps = stream.slotSteps();
        for (int g = 0; g < lengths.length; g++) {
          targets[slotSteps[g]] = lengths[g];
          weights[slotSteps[g]] = 1;
        }
        laid[b] = new Laid(stream.steps(), targets, weights);
        continue;
      }
      List<Step> steps = TeacherForcing.steps(c, batch[b], orders[b]);
      int[] targets = TeacherForcing.targets(c, batch[b], orders[b]);
      float[] weights = new float[targets.length];
      for (int j = 0; j < targets.length; j++) {
        weights[j] = known[b] == null || !known[b][steps.get(j).toPosition()] ? 1 : 0;
      }
      laid[b] = new Laid(steps, targets, weights);
    }
    return laid;
  }

  /** Forward and backward of one worker's share of laid-out sequences; returns its summed negative log-likelihood. */
  private double backward(LaidShare share, float weight) {
    JniUtils.setGradMode(true);
    try (NDManager scope = share.replica.manager().newSubManager()) {
      Batch in = Batch.of(scope, share.sequences);
      NDArray nll = negativeLogLikelihood(share.replica, in, true);
      beforeBackward.run();
      NDArray objective = nll.mul(OwnedArrays.scalar(scope, weight));
      JniUtils.backward((PtNDArray) objective, (PtNDArray) scope.ones(objective.getShape()), false, false);
      return nll.getFloat();
    } finally {
      JniUtils.setGradMode(false);
    }
  }

  private record LaidShare(SigmaGpt replica, Laid[] sequences) {}

  /** As the other {@code onWorkers}, over laid-out sequences. */
  private List<Double> onWorkers(Laid[] batch, java.util.function.ToDoubleFunction<LaidShare> share) {
    int workers = Math.min(replicas.size(), batch.length);
    List<Callable<Double>> shares = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      int from = (int) ((long) batch.length * w / workers);
      int to = (int) ((long) batch.length * (w + 1) / workers);
      LaidShare part = new LaidShare(replicas.get(w), Arrays.copyOfRange(batch, from, to));
      shares.add(() -> share.applyAsDouble(part));
    }
    return parallel(shares);
  }

  /** Work on one worker's contiguous share of a batch. */
  private interface Share {
    double run(SigmaGpt replica, int[][] sequences, int[][] orders, boolean[][] known);
  }

  /**
   * Splits the batch into contiguous shares, one per worker (the calling thread takes the first), and
   * returns their results in worker order.
   */
  private List<Double> onWorkers(int[][] batch, int[][] orders, boolean[][] known, Share share) {
    int workers = Math.min(replicas.size(), batch.length);
    List<Callable<Double>> shares = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      int from = (int) ((long) batch.length * w / workers);
      int to = (int) ((long) batch.length * (w + 1) / workers);
      SigmaGpt replica = replicas.get(w);
      int[][] sequences = Arrays.copyOfRange(batch, from, to);
      int[][] sequenceOrders = Arrays.copyOfRange(orders, from, to);
      boolean[][] sequenceKnown = Arrays.copyOfRange(known, from, to);
      shares.add(() -> share.run(replica, sequences, sequenceOrders, sequenceKnown));
    }
    return parallel(shares);
  }

  /** Runs {@code work} on every slice, each worker on its run of slices. */
  private void onSlices(java.util.function.Consumer<ParameterSlices.Slice> work) {
    parallel(sliceGroups.stream().map(group -> (Callable<Double>) () -> {
      group.forEach(work);
      return 0.0;
    }).toList());
  }

  /** Runs the tasks, the first on the calling thread and the others on the workers; results in task order. */
  private List<Double> parallel(List<Callable<Double>> tasks) {
    double[] results = new double[tasks.size()];
    WorkerTeam.Job job = (part, parts) -> {
      if (part > 0 && !SINGLE_THREADED.get()) {
        JniUtils.setNumThreads(1); // before this worker's first op
        SINGLE_THREADED.set(true);
      }
      try {
        results[part] = tasks.get(part).call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("training worker failed: " + e, e);
      }
    };
    if (pool == null) {
      job.run(0, 1);
    } else {
      pool.run(job, tasks.size());
    }
    List<Double> out = new ArrayList<>(results.length);
    for (double r : results) {
      out.add(r);
    }
    return out;
  }

  /** Steps that count in the loss of a batch: every predicted step, or those predicting a target position. */
  private long predictedSteps(int[][] orders, boolean[][] known) {
    int first = model.config().startSlot() ? 0 : 1;
    long count = 0;
    for (int i = 0; i < orders.length; i++) {
      for (int t = first; t < orders[i].length; t++) {
        count += known[i] == null || !known[i][orders[i][t]] ? 1 : 0;
      }
    }
    return count;
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
    for (Dataset.LabeledBatch labeled : validationBatches()) {
      int[][] batch = labeled.sequences();
      boolean[][] known = labeled.known();
      int[][] orders = new int[batch.length][];
      for (int b = 0; b < batch.length; b++) {
        orders[b] = layout(kind.draw(batch[b].length, known[b], rng), known[b]);
      }
      for (double s : onWorkers(batch, orders, known, this::evaluate)) {
        sum += s;
      }
      count += predictedSteps(orders, known);
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  /**
   * A training batch and each sequence's known positions: the data's per-sequence masks (drawn with the
   * sequences), or the fixed mask or null (every position a target) for all.
   */
  private Dataset.LabeledBatch draw(SplittableRandom rng) {
    return config.knownFromData() ? data.labeledBatch(config.batch(), rng) : sharedMask(data.batch(config.batch(), rng));
  }

  /** The validation batches with their known positions, as {@link #draw}. */
  private List<Dataset.LabeledBatch> validationBatches() {
    return config.knownFromData() ? data.labeledValidationBatches(config.batch(), config.evalBatches())
        : data.validationBatches(config.batch(), config.evalBatches()).stream().map(this::sharedMask).toList();
  }

  private Dataset.LabeledBatch sharedMask(int[][] batch) {
    boolean[][] out = new boolean[batch.length][];
    java.util.Arrays.fill(out, known);
    return new Dataset.LabeledBatch(batch, out);
  }

  /** The drawn order, laid out prompt first when the configuration asks for it. */
  private int[] layout(int[] order, boolean[] sequenceKnown) {
    return config.promptFirst() ? OrderKind.promptFirst(order, sequenceKnown) : order;
  }

  private double evaluate(SigmaGpt replica, int[][] sequences, int[][] orders, boolean[][] known) {
    JniUtils.setGradMode(false);
    try (NDManager scope = replica.manager().newSubManager()) {
      return negativeLogLikelihood(replica, Batch.of(scope, model.config(), sequences, orders, known), false).getFloat();
    }
  }

  /** Summed cross-entropy of the predicted steps of a batch, a scalar. */
  private NDArray negativeLogLikelihood(SigmaGpt replica, Batch in, boolean training) {
    SigmaGpt.Output out = replica.forward(in.tokens, in.from, in.to, null, causalMask(in.length), training);
    NDArray logits = replica.logits(out.hidden());
    long rows = (long) in.batch * in.length;
    NDArray logProbs = logits.reshape(rows, model.config().vocabSize()).logSoftmax(1);
    NDArray picked = logProbs.gather(in.targets.reshape(rows, 1), 1);
    if (in.weights != null) {
      picked = picked.mul(in.weights.reshape(rows, 1));
    }
    return picked.sum().neg();
  }

  /** The causal mask of a length, built once and shared read-only by the workers. */
  private synchronized NDArray causalMask(int length) {
    return causalMasks.computeIfAbsent(length, t -> SigmaGpt.causalMask(constants, t));
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

    private Batch(NDArray tokens, NDArray from, NDArray to, NDArray targets, NDArray weights, int batch, int length) {
      this.tokens = tokens;
      this.from = from;
      this.to = to;
      this.targets = targets;
      this.weights = weights;
      this.batch = batch;
      this.length = length;
    }

    /**
     * Laid-out sequences of different lengths, padded at the end to the longest with steps that carry no
     * loss; under the causal mask padding at the end changes no earlier step's output.
     */
    static Batch of(NDManager scope, Laid[] sequences) {
      int b = sequences.length;
      int t = Arrays.stream(sequences).mapToInt(l -> l.steps().size()).max().orElseThrow();
      long[] tok = new long[b * t];
      long[] from = new long[b * t];
      long[] to = new long[b * t];
      long[] tgt = new long[b * t];
      float[] weight = new float[b * t];
      for (int i = 0; i < b; i++) {
        Laid l = sequences[i];
        Step pad = l.steps().get(l.steps().size() - 1);
        for (int j = 0; j < t; j++) {
          Step s = j < l.steps().size() ? l.steps().get(j) : pad;
          tok[i * t + j] = s.token();
          from[i * t + j] = s.fromPosition();
          to[i * t + j] = s.toPosition();
          tgt[i * t + j] = j < l.steps().size() ? l.targets()[j] : 0;
          weight[i * t + j] = j < l.steps().size() ? l.weights()[j] : 0;
        }
      }
      Shape shape = new Shape(b, t);
      return new Batch(OwnedArrays.longs(scope, tok, shape), OwnedArrays.longs(scope, from, shape), OwnedArrays.longs(scope, to, shape),
          OwnedArrays.longs(scope, tgt, shape), OwnedArrays.floats(scope, weight, shape), b, t);
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
          }
        }
      }
      Shape shape = new Shape(b, t);
      return new Batch(OwnedArrays.longs(scope, tok, shape), OwnedArrays.longs(scope, from, shape), OwnedArrays.longs(scope, to, shape),
          OwnedArrays.longs(scope, tgt, shape), weight == null ? null : OwnedArrays.floats(scope, weight, shape), b, t);
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
    if (pool != null) {
      pool.close();
      JniUtils.setNumThreads(intraOpThreadsBefore);
    }
    for (int w = 1; w < replicas.size(); w++) {
      replicas.get(w).close();
    }
    constants.close();
  }
}
