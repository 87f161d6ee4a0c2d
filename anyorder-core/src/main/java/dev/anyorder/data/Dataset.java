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

  /** Where the data came from and how it was split: path, bytes, sha256, format, split fraction. */
  ObjectNode provenance();
}
