package dev.anyorder.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Fixed-length token sequences for training, split into a train part (sampled at random) and a
 * validation part (read deterministically). Implemented by {@link TextCorpus} (random windows of a text)
 * and {@link TokenFile} (one sequence per line).
 */
public interface Dataset {

  /** Length of every sequence. */
  int sequenceLength();

  /** Number of token ids; every id is in {@code [0, vocabSize())}. */
  int vocabSize();

  /** {@code batchSize} sequences drawn at random from the train part, with replacement. */
  int[][] batch(int batchSize, RandomGenerator rng);

  /**
   * The validation part as batches of {@code batchSize} sequences (the last may be smaller), at most
   * {@code maxBatches} of them; the same on every call. Empty if there is no validation part.
   */
  List<int[][]> validationBatches(int batchSize, int maxBatches);

  /**
   * Whether {@link #knownPositions(int[])} can say, for any sequence of this data set, which positions are
   * given at solve time. False by default: text and token files have no prompt.
   */
  default boolean knowsKnownPositions() {
    return false;
  }

  /**
   * Which positions of {@code sequence} (one of this data set's sequences) are given at solve time, for
   * training with per-sequence known positions ({@code TrainConfig.knownFromData}).
   *
   * @throws UnsupportedOperationException when {@link #knowsKnownPositions()} is false
   */
  default boolean[] knownPositions(int[] sequence) {
    throw new UnsupportedOperationException("this data set (" + provenance().path("format").asText("unknown format")
        + ") does not know which positions of its sequences are given at solve time");
  }

  /**
   * Sequences with the positions given at solve time in each.
   *
   * @param sequences the token sequences
   * @param known for each sequence, which of its positions are given
   */
  record LabeledBatch(int[][] sequences, boolean[][] known) {
    public LabeledBatch {
      if (sequences == null || known == null || sequences.length != known.length) {
        throw new IllegalArgumentException("a labeled batch needs one known mask per sequence");
      }
    }
  }

  /**
   * {@code batchSize} training sequences with their known positions, for training with per-sequence known
   * positions ({@code TrainConfig.knownFromData}). By default a {@link #batch} and {@link #knownPositions} of
   * each sequence; a data set whose sequences are drawn with their masks (a Sudoku puzzle and its givens)
   * overrides it.
   *
   * @throws UnsupportedOperationException when {@link #knowsKnownPositions()} is false
   */
  default LabeledBatch labeledBatch(int batchSize, RandomGenerator rng) {
    return labeled(batch(batchSize, rng));
  }

  /** {@link #validationBatches} with the known positions of each sequence, as {@link #labeledBatch}. */
  default List<LabeledBatch> labeledValidationBatches(int batchSize, int maxBatches) {
    return validationBatches(batchSize, maxBatches).stream().map(this::labeled).toList();
  }

  private LabeledBatch labeled(int[][] sequences) {
    boolean[][] known = new boolean[sequences.length][];
    for (int b = 0; b < sequences.length; b++) {
      known[b] = knownPositions(sequences[b]);
    }
    return new LabeledBatch(sequences, known);
  }

  /** Where the data came from and how it was split: path, bytes, sha256, format, split fraction. */
  ObjectNode provenance();
}
