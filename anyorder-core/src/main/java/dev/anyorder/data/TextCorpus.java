package dev.anyorder.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A UTF-8 text file (plain or gzip) as one long sequence of token ids under a {@link Vocabulary}, split
 * contiguously: the first {@code 1 - validationFraction} of the tokens train, the rest validate. Training
 * sequences are windows of {@link #sequenceLength()} consecutive tokens at random offsets of the train
 * part; validation sequences are consecutive non-overlapping windows of the validation part.
 */
public final class TextCorpus implements Dataset {
  private final SourceFile source;
  private final Vocabulary vocabulary;
  private final int[] ids;
  private final int trainEnd;
  private final int sequenceLength;
  private final double validationFraction;

  private TextCorpus(SourceFile source, Vocabulary vocabulary, int[] ids, int sequenceLength, double validationFraction) {
    this.source = source;
    this.vocabulary = vocabulary;
    this.ids = ids;
    this.sequenceLength = sequenceLength;
    this.validationFraction = validationFraction;
    int validation = SplitFraction.validationCount(ids.length, validationFraction);
    this.trainEnd = ids.length - validation;
    if (trainEnd < sequenceLength) {
      throw new DataFileException(source.path() + ": the train part has " + trainEnd + " tokens, fewer than the "
          + "sequence length " + sequenceLength + " (the text has " + ids.length + " tokens in all)");
    }
    if (validation > 0 && validation < sequenceLength) {
      throw new DataFileException(source.path() + ": the validation part (" + validationFraction + " of "
          + ids.length + " tokens) has " + validation + " tokens, fewer than the sequence length " + sequenceLength);
    }
  }

  /**
   * Reads {@code file} and encodes it.
   *
   * @param vocabulary the vocabulary to encode with, or {@code null} for the characters of the text
   * @param sequenceLength length of every window, at least 1
   * @param validationFraction fraction of the tokens, at the end, held out for validation; in [0, 1)
   * @throws DataFileException if the file cannot be read, is not UTF-8, holds a character the vocabulary
   *     lacks, or is too short for the split
   */
  public static TextCorpus read(Path file, Vocabulary vocabulary, int sequenceLength, double validationFraction) {
    return of(SourceFile.readText(file), vocabulary, sequenceLength, validationFraction);
  }

  /** As {@link #read}, for text already read with {@link SourceFile#readText}. */
  public static TextCorpus of(SourceFile.Text text, Vocabulary vocabulary, int sequenceLength, double validationFraction) {
    Objects.requireNonNull(text, "text must not be null");
    if (sequenceLength < 1) {
      throw new IllegalArgumentException("sequence length must be at least 1, got " + sequenceLength);
    }
    SplitFraction.check(validationFraction);
    if (text.text().isEmpty()) {
      throw new DataFileException(text.source().path() + ": the text is empty");
    }
    Vocabulary v = vocabulary != null ? vocabulary : CharacterVocabulary.fromText(text.text());
    int[] ids;
    try {
      ids = v.encode(text.text());
    } catch (UnknownTokenException e) {
      throw new DataFileException(text.source().path() + ": " + e.getMessage(), e);
    }
    return new TextCorpus(text.source(), v, ids, sequenceLength, validationFraction);
  }

  /** The vocabulary the text was encoded with. */
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** The file the text came from. */
  public SourceFile source() {
    return source;
  }

  /** Number of tokens in the whole text. */
  public int tokenCount() {
    return ids.length;
  }

  /** Every token id of the text (a copy). */
  public int[] ids() {
    return ids.clone();
  }

  /** The ids of the train part: the first tokens (a copy). */
  public int[] trainIds() {
    return Arrays.copyOfRange(ids, 0, trainEnd);
  }

  /** The ids of the validation part: the last tokens (a copy; empty for fraction 0). */
  public int[] validationIds() {
    return Arrays.copyOfRange(ids, trainEnd, ids.length);
  }

  public double validationFraction() {
    return validationFraction;
  }

  /** {@code count} windows of {@code length} consecutive train tokens at uniformly random offsets. */
  public int[][] sampleWindows(int count, int length, RandomGenerator rng) {
    Objects.requireNonNull(rng, "rng must not be null");
    if (count < 0) {
      throw new IllegalArgumentException("window count must be non-negative, got " + count);
    }
    if (length < 1 || length > trainEnd) {
      throw new IllegalArgumentException("window length must be in [1, " + trainEnd + "] (the train part), got " + length);
    }
    int[][] windows = new int[count][];
    for (int i = 0; i < count; i++) {
      int start = rng.nextInt(trainEnd - length + 1);
      windows[i] = Arrays.copyOfRange(ids, start, start + length);
    }
    return windows;
  }

  @Override
  public int sequenceLength() {
    return sequenceLength;
  }

  @Override
  public int vocabSize() {
    return vocabulary.size();
  }

  @Override
  public int[][] batch(int batchSize, RandomGenerator rng) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    return sampleWindows(batchSize, sequenceLength, rng);
  }

  @Override
  public List<int[][]> validationBatches(int batchSize, int maxBatches) {
    if (batchSize < 1 || maxBatches < 0) {
      throw new IllegalArgumentException("batch size must be at least 1 and max batches non-negative, got "
          + batchSize + " and " + maxBatches);
    }
    long windows = Math.min((long) (ids.length - trainEnd) / sequenceLength, (long) batchSize * maxBatches);
    List<int[][]> batches = new ArrayList<>();
    for (long first = 0; first < windows; first += batchSize) {
      int[][] batch = new int[(int) Math.min(batchSize, windows - first)][];
      for (int i = 0; i < batch.length; i++) {
        int start = trainEnd + (int) (first + i) * sequenceLength;
        batch[i] = Arrays.copyOfRange(ids, start, start + sequenceLength);
      }
      batches.add(batch);
    }
    return batches;
  }

  @Override
  public ObjectNode provenance() {
    ObjectNode json = source.toJson();
    json.put("format", "text");
    json.put("tokens", ids.length);
    json.put("validationFraction", validationFraction);
    json.put("trainTokens", trainEnd);
    json.put("sequenceLength", sequenceLength);
    return json;
  }
}
