package dev.anyorder.tasks;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A task an any-order autoregressive model (σ-GPT; Pannatier, Courdier, Fleuret 2024) is trained on and
 * evaluated with: it produces fixed-length token sequences, says which positions are given at solve
 * time, scores a generated sequence with task-specific metrics, and draws sequences for people.
 *
 * <p>Implementations: the maze path-finding task of Fleuret's picoclvr (used in the σ-GPT paper), sudoku,
 * and Fashion-MNIST image generation with inpainting/outpainting masks. A task depends on nothing else in
 * AnyOrder but the coordinates of its positions ({@link #positionGrid}), a model value type.
 *
 * <p>Convention for drawing partial sequences: {@link #render} and {@link #image} accept {@link #UNKNOWN}
 * (any negative id) at positions not yet generated and draw them as blanks.
 */
public interface Task {

  /** Token id used in sequences passed to {@link #render}/{@link #image} for a position not yet known. */
  int UNKNOWN = -1;

  /** A short identifier including the size, e.g. {@code maze-9x11}. */
  String name();

  /** Number of token ids; every token of a generated sequence is in {@code [0, vocabSize())}. */
  int vocabSize();

  /** Length of every sequence of this task. */
  int length();

  /**
   * Deterministically produces {@code count} instances of a split from a seed. TRAIN and TEST never share
   * an instance, whatever the seeds.
   */
  List<TaskInstance> generate(Split split, int count, long seed);

  /**
   * Scores a generated sequence against an instance. Throws {@link IllegalArgumentException} when
   * {@code generated} has the wrong length; out-of-vocabulary tokens just score as wrong.
   */
  TaskScore check(TaskInstance instance, int[] generated);

  /**
   * The known mask of the instance whose full sequence is {@code sequence}, when the given positions are a
   * function of the sequence (a maze's prompt and the solution cells it fixes); empty when they are not (a
   * sudoku's givens are chosen when the puzzle is carved). Training with each sequence's own known
   * positions needs it. Empty by default.
   */
  default java.util.Optional<boolean[]> knownMaskOf(int[] sequence) {
    return java.util.Optional.empty();
  }

  /**
   * Coordinates of this task's positions for grid position tables ({@code --positions grid}): rows and
   * columns of an image, row, column and box of a Sudoku cell. Empty when the task has no such structure
   * (the default).
   */
  default java.util.Optional<dev.anyorder.model.PositionGrid> positionGrid() {
    return java.util.Optional.empty();
  }

  /**
   * The instance a training step sees in place of {@code instance}, drawn from {@code rng}: a task with
   * symmetries can return an equivalent puzzle (a Sudoku relabels its digits, permutes rows, columns, bands
   * and stacks, transposes, and reveals extra givens), so a pool of instances gives fresh ones every step.
   * Returns {@code instance} and draws nothing by default.
   */
  default TaskInstance trainingVariant(TaskInstance instance, java.util.random.RandomGenerator rng) {
    return instance;
  }

  /** A multi-line drawing of a (possibly partial) sequence for a terminal. */
  String render(int[] sequence);

  /** A picture of a (possibly partial) sequence. Works headless; sets no global AWT state. */
  BufferedImage image(int[] sequence);

  /**
   * This task's full configuration as a provenance record, which its {@link TaskKind} rebuilds the task from
   * ({@link TaskFactory}): {@code kind}, {@code name} and the settings. The default records only the name,
   * for people to read.
   */
  default com.fasterxml.jackson.databind.node.ObjectNode record() {
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("kind", "other").put("name", name());
  }

  /** How a puzzle front end (the web page) draws and judges this task, or empty for a task it does not show (the default). */
  default java.util.Optional<PuzzleBoard> board() {
    return java.util.Optional.empty();
  }

  /** A readable name of a token id, for logs. */
  default String tokenName(int id) {
    return id < 0 ? "?" : Integer.toString(id);
  }
}
