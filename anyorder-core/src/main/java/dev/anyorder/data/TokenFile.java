package dev.anyorder.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A file of token sequences, one per line, each a whitespace-separated list of non-negative integer ids;
 * every line has the same number of ids. Blank lines at the end are ignored. Plain or gzip UTF-8. The last
 * {@code validationFraction} of the lines validate, the others train (sampled at random, whole lines).
 */
public final class TokenFile implements Dataset {
  private final SourceFile source;
  private final int[][] lines;
  private final int vocabSize;
  private final boolean vocabSizeInferred;
  private final int trainLines;
  private final double validationFraction;

  private TokenFile(SourceFile source, int[][] lines, int vocabSize, boolean inferred, double validationFraction) {
    this.source = source;
    this.lines = lines;
    this.vocabSize = vocabSize;
    this.vocabSizeInferred = inferred;
    this.validationFraction = validationFraction;
    int validation = SplitFraction.validationCount(lines.length, validationFraction);
    this.trainLines = lines.length - validation;
    if (trainLines < 1) {
      throw new DataFileException(source.path() + ": " + lines.length + " line(s) leave no train lines after "
          + "holding out " + validation + " for validation (fraction " + validationFraction + ")");
    }
  }

  /** Reads {@code file}, inferring the vocabulary size as the largest id plus one. */
  public static TokenFile read(Path file, double validationFraction) {
    return parse(SourceFile.readText(file), 0, validationFraction);
  }

  /**
   * Reads {@code file} whose ids must all be below {@code vocabSize}.
   *
   * @throws DataFileException naming the line of the first malformed line, line of the wrong length, or
   *     id out of range
   */
  public static TokenFile read(Path file, int vocabSize, double validationFraction) {
    if (vocabSize < 1) {
      throw new IllegalArgumentException("vocabulary size must be at least 1, got " + vocabSize);
    }
    return parse(SourceFile.readText(file), vocabSize, validationFraction);
  }

  /** Parses already read text; {@code vocabSize} 0 means infer it. */
  static TokenFile parse(SourceFile.Text text, int vocabSize, double validationFraction) {
    Objects.requireNonNull(text, "text must not be null");
    SplitFraction.check(validationFraction);
    Path path = text.source().path();
    String content = text.text();
    List<int[]> lines = new ArrayList<>();
    int expected = -1;
    int maxId = -1;
    int blankLine = 0; // first blank line seen since the last sequence, 0 if none
    int lineNumber = 0;
    int lineStart = 0;
    List<Integer> ids = new ArrayList<>();
    while (lineStart < content.length()) {
      lineNumber++;
      int lineEnd = content.indexOf('\n', lineStart);
      if (lineEnd < 0) {
        lineEnd = content.length();
      }
      ids.clear();
      int i = lineStart;
      while (i < lineEnd) {
        char c = content.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
          continue;
        }
        int tokenStart = i;
        while (i < lineEnd && !Character.isWhitespace(content.charAt(i))) {
          i++;
        }
        String token = content.substring(tokenStart, i);
        int id = parseId(token);
        if (id < 0) {
          throw new DataFileException(path + ": line " + lineNumber + ": '" + token + "' (token " + (ids.size() + 1)
              + ") is not a non-negative integer id");
        }
        if (vocabSize > 0 && id >= vocabSize) {
          throw new DataFileException(path + ": line " + lineNumber + ": id " + id + " is out of range for the "
              + "vocabulary size " + vocabSize + " (ids must be in [0, " + vocabSize + "))");
        }
        maxId = Math.max(maxId, id);
        ids.add(id);
      }
      lineStart = lineEnd + 1;
      if (ids.isEmpty()) {
        if (blankLine == 0) {
          blankLine = lineNumber;
        }
        continue;
      }
      if (blankLine != 0) {
        throw new DataFileException(path + ": line " + blankLine + " is blank but sequences follow it (line "
            + lineNumber + "); only trailing blank lines are allowed");
      }
      if (expected < 0) {
        expected = ids.size();
      } else if (ids.size() != expected) {
        throw new DataFileException(path + ": line " + lineNumber + " has " + ids.size() + " ids, expected "
            + expected + " like line 1 (every sequence must have the same length)");
      }
      lines.add(ids.stream().mapToInt(Integer::intValue).toArray());
    }
    if (lines.isEmpty()) {
      throw new DataFileException(path + ": no sequences (the file is empty or blank)");
    }
    boolean inferred = vocabSize == 0;
    return new TokenFile(text.source(), lines.toArray(int[][]::new), inferred ? maxId + 1 : vocabSize, inferred,
        validationFraction);
  }

  /** The id written as {@code token}, or -1 unless it is plain decimal digits that fit an int. */
  private static int parseId(String token) {
    long value = 0;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
      if (value > Integer.MAX_VALUE) {
        return -1;
      }
    }
    return (int) value;
  }

  /** The file the lines came from. */
  public SourceFile source() {
    return source;
  }

  /** Number of sequences (non-blank lines). */
  public int lineCount() {
    return lines.length;
  }

  /** Number of lines in the train part: the first ones. */
  public int trainLineCount() {
    return trainLines;
  }

  /** Sequence {@code index} (0-based, a copy). */
  public int[] line(int index) {
    if (index < 0 || index >= lines.length) {
      throw new IndexOutOfBoundsException("line index " + index + " out of range [0, " + lines.length + ")");
    }
    return lines[index].clone();
  }

  /** Whether the vocabulary size was inferred (largest id + 1) rather than given. */
  public boolean vocabSizeInferred() {
    return vocabSizeInferred;
  }

  public double validationFraction() {
    return validationFraction;
  }

  /** {@code count} train lines drawn uniformly at random with replacement (copies). */
  public int[][] sampleLines(int count, RandomGenerator rng) {
    Objects.requireNonNull(rng, "rng must not be null");
    if (count < 0) {
      throw new IllegalArgumentException("line count must be non-negative, got " + count);
    }
    int[][] out = new int[count][];
    for (int i = 0; i < count; i++) {
      out[i] = lines[rng.nextInt(trainLines)].clone();
    }
    return out;
  }

  @Override
  public int sequenceLength() {
    return lines[0].length;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int[][] batch(int batchSize, RandomGenerator rng) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    return sampleLines(batchSize, rng);
  }

  @Override
  public List<int[][]> validationBatches(int batchSize, int maxBatches) {
    if (batchSize < 1 || maxBatches < 0) {
      throw new IllegalArgumentException("batch size must be at least 1 and max batches non-negative, got "
          + batchSize + " and " + maxBatches);
    }
    long count = Math.min(lines.length - trainLines, (long) batchSize * maxBatches);
    List<int[][]> batches = new ArrayList<>();
    for (long first = 0; first < count; first += batchSize) {
      int[][] batch = new int[(int) Math.min(batchSize, count - first)][];
      for (int i = 0; i < batch.length; i++) {
        batch[i] = lines[trainLines + (int) first + i].clone();
      }
      batches.add(batch);
    }
    return batches;
  }

  @Override
  public ObjectNode provenance() {
    ObjectNode json = source.toJson();
    json.put("format", "tokens");
    json.put("lines", lines.length);
    json.put("validationFraction", validationFraction);
    json.put("trainLines", trainLines);
    json.put("sequenceLength", sequenceLength());
    json.put("vocabSize", vocabSize);
    json.put("vocabSizeInferred", vocabSizeInferred);
    return json;
  }
}
