package dev.anyorder.evaluation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.data.Dataset;
import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.Task;
import dev.anyorder.tasks.TaskInstance;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Adapts a {@link Task} to the trainer's {@link Dataset}: a fixed pool of {@link Split#TRAIN} instances
 * (sampled with replacement for training batches) and a fixed list of {@link Split#TEST} instances (the
 * validation part). A σ-GPT (Pannatier, Courdier, Fleuret 2024) trains on whole task sequences, prompt
 * and answer together; which positions are known only matters at solve time.
 *
 * <p>Both pools are generated once, deterministically from {@code seed}; the task guarantees that the
 * two splits never share an instance. The provenance records the task (its full configuration, which
 * {@link dev.anyorder.tasks.TaskFactory} rebuilds), the pool sizes, the seed and a
 * SHA-256 of the training sequences, so resuming a model on different data is refused.
 */
public final class TaskDataset implements Dataset {
  private final Task task;
  private final int[][] train;
  private final int[][] validation;
  /** The training pool as instances, which {@link Task#trainingVariant} turns into the ones a step sees. */
  private final List<TaskInstance> trainInstances;
  /** Each held-out sequence's known positions: the task's derivation when it has one, else the instance's. */
  private final boolean[][] validationKnown;
  private final long seed;
  private final String sha256;
  private final boolean[] commonKnown;
  /**
   * The known mask of each training and held-out sequence, derived once: the trainer asks for every sequence
   * of every batch, and a task may derive it with a search (a maze's detour waypoint costs a shortest-path
   * search, about 60 µs at 7×7 and 200 µs at 13×21).
   */
  private final java.util.Map<SequenceKey, boolean[]> knownBySequence = new java.util.HashMap<>();

  /**
   * Generates {@code trainCount} training and {@code validationCount} held-out instances of {@code task}.
   *
   * @throws IllegalArgumentException if {@code trainCount < 1} or {@code validationCount < 0}
   */
  public static TaskDataset generate(Task task, int trainCount, int validationCount, long seed) {
    Objects.requireNonNull(task, "task");
    if (trainCount < 1) {
      throw new IllegalArgumentException("a task dataset needs at least 1 training instance, got " + trainCount);
    }
    if (validationCount < 0) {
      throw new IllegalArgumentException("validation count must not be negative, got " + validationCount);
    }
    return new TaskDataset(task, task.generate(Split.TRAIN, trainCount, seed),
        task.generate(Split.TEST, validationCount, Split.mix(seed ^ 0x7E57L)), seed);
  }

  /**
   * A dataset over instances already generated.
   *
   * @throws IllegalArgumentException if there is no training instance or an instance has the wrong length
   */
  public TaskDataset(Task task, List<TaskInstance> trainInstances, List<TaskInstance> validationInstances, long seed) {
    this.task = Objects.requireNonNull(task, "task");
    if (trainInstances == null || trainInstances.isEmpty()) {
      throw new IllegalArgumentException("a task dataset needs at least 1 training instance");
    }
    Objects.requireNonNull(validationInstances, "validation instances");
    this.train = sequences(task, trainInstances, "training");
    this.validation = sequences(task, validationInstances, "validation");
    this.trainInstances = List.copyOf(trainInstances);
    this.seed = seed;
    this.sha256 = sha256(train);
    boolean[] first = trainInstances.get(0).known();
    boolean same = true;
    for (TaskInstance i : trainInstances) {
      same &= java.util.Arrays.equals(first, i.known());
    }
    this.commonKnown = same ? first : null;
    for (int[][] pool : new int[][][] {train, validation}) {
      for (int[] sequence : pool) {
        task.knownMaskOf(sequence).ifPresent(mask -> knownBySequence.putIfAbsent(new SequenceKey(sequence), mask));
      }
    }
    this.validationKnown = new boolean[validation.length][];
    for (int i = 0; i < validation.length; i++) {
      validationKnown[i] = knownOf(validation[i], validationInstances.get(i));
    }
  }

  /** The known positions of a pool sequence: the task's derivation when it has one (a lean maze), else the instance's own. */
  private boolean[] knownOf(int[] sequence, TaskInstance instance) {
    boolean[] derived = knownBySequence.get(new SequenceKey(sequence));
    return derived != null ? derived.clone() : instance.known();
  }

  /** A sequence compared by content, so a batch's copies find the mask of the pool's original. */
  private record SequenceKey(int[] tokens) {
    @Override
    public boolean equals(Object o) {
      return o instanceof SequenceKey k && java.util.Arrays.equals(tokens, k.tokens);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(tokens);
    }
  }

  /**
   * The known mask shared by every training instance (a maze's prompt half), or empty when the instances
   * differ (sudoku givens). Training with the loss on target positions only, or with known-first orders,
   * needs it.
   */
  public java.util.Optional<boolean[]> commonKnownMask() {
    return java.util.Optional.ofNullable(commonKnown).map(boolean[]::clone);
  }

  /**
   * True: every instance carries its known positions (a Sudoku's givens), or the task derives them from the
   * sequence ({@link Task#knownMaskOf}, a lean maze with its detour waypoints).
   */
  @Override
  public boolean knowsKnownPositions() {
    return true;
  }

  /**
   * Pool instances drawn with replacement, each turned into {@link Task#trainingVariant} (fresh symmetric
   * puzzles for a Sudoku; itself for tasks without variants, which then draw exactly as {@link #batch}).
   */
  @Override
  public LabeledBatch labeledBatch(int batchSize, RandomGenerator rng) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    int[][] sequences = new int[batchSize][];
    boolean[][] known = new boolean[batchSize][];
    for (int b = 0; b < batchSize; b++) {
      int i = rng.nextInt(train.length);
      TaskInstance variant = task.trainingVariant(trainInstances.get(i), rng);
      sequences[b] = variant.sequence();
      known[b] = variant == trainInstances.get(i) ? knownOf(train[i], variant) : variant.known();
    }
    return new LabeledBatch(sequences, known);
  }

  @Override
  public List<LabeledBatch> labeledValidationBatches(int batchSize, int maxBatches) {
    List<int[][]> batches = validationBatches(batchSize, maxBatches);
    List<LabeledBatch> out = new ArrayList<>(batches.size());
    int from = 0;
    for (int[][] b : batches) {
      boolean[][] known = new boolean[b.length][];
      for (int i = 0; i < b.length; i++) {
        known[i] = validationKnown[from + i].clone();
      }
      out.add(new LabeledBatch(b, known));
      from += b.length;
    }
    return out;
  }

  @Override
  public boolean[] knownPositions(int[] sequence) {
    boolean[] known = knownBySequence.get(new SequenceKey(sequence));
    if (known != null) {
      return known.clone();
    }
    return task.knownMaskOf(sequence).orElseThrow(() -> new UnsupportedOperationException(task.name()
        + " does not derive the known positions of an instance from its sequence; draw labeled batches instead"));
  }

  private static int[][] sequences(Task task, List<TaskInstance> instances, String what) {
    int[][] out = new int[instances.size()][];
    for (int i = 0; i < out.length; i++) {
      int[] s = instances.get(i).sequence();
      if (s.length != task.length()) {
        throw new IllegalArgumentException(what + " instance " + i + " has " + s.length + " tokens; " + task.name()
            + " sequences have " + task.length());
      }
      for (int t : s) {
        if (t < 0 || t >= task.vocabSize()) {
          throw new IllegalArgumentException(what + " instance " + i + " holds token " + t + " outside [0, "
              + task.vocabSize() + ")");
        }
      }
      out[i] = s;
    }
    return out;
  }

  public Task task() {
    return task;
  }

  /** Number of training instances in the pool. */
  public int trainSize() {
    return train.length;
  }

  /** Number of held-out instances. */
  public int validationSize() {
    return validation.length;
  }

  @Override
  public int sequenceLength() {
    return task.length();
  }

  @Override
  public int vocabSize() {
    return task.vocabSize();
  }

  @Override
  public int[][] batch(int batchSize, RandomGenerator rng) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    int[][] out = new int[batchSize][];
    for (int b = 0; b < batchSize; b++) {
      out[b] = train[rng.nextInt(train.length)].clone();
    }
    return out;
  }

  @Override
  public List<int[][]> validationBatches(int batchSize, int maxBatches) {
    if (batchSize < 1 || maxBatches < 0) {
      throw new IllegalArgumentException("need batchSize >= 1 and maxBatches >= 0, got " + batchSize + ", " + maxBatches);
    }
    List<int[][]> out = new ArrayList<>();
    for (int from = 0; from < validation.length && out.size() < maxBatches; from += batchSize) {
      int n = Math.min(batchSize, validation.length - from);
      int[][] b = new int[n][];
      for (int i = 0; i < n; i++) {
        b[i] = validation[from + i].clone();
      }
      out.add(b);
    }
    return out;
  }

  @Override
  public ObjectNode provenance() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("format", "task");
    json.put("task", task.name());
    json.set(dev.anyorder.tasks.TaskFactory.RECORD_FIELD, dev.anyorder.tasks.TaskFactory.record(task));
    json.put("trainInstances", train.length);
    json.put("validationInstances", validation.length);
    json.put("seed", seed);
    json.put("sha256", sha256);
    return json;
  }

  private static String sha256(int[][] sequences) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      ByteBuffer buf = ByteBuffer.allocate(4);
      for (int[] s : sequences) {
        for (int t : s) {
          digest.update(buf.clear().putInt(t).array());
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
