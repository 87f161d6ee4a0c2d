package dev.anyorder.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the pure-Java backend stops being faster than DJL, which {@link Backend#AUTO} decides by. A call's
 * cost on DJL is a fixed per-call overhead plus a small cost per row; on the Java backend it is a larger
 * cost per row and almost no overhead. So the Java backend wins while a call puts few rows through the
 * network, and the boundary is one number: the most rows per call ({@code batch × rows per sequence}) for
 * which the Java backend is still faster.
 *
 * <p>The one source of truth is {@link #forModel}: the file {@value #FILE} in the model directory when
 * {@code anyorder bench sample --save-crossover} measured and wrote one there, else {@link #DEFAULT}, the
 * crossover measured on the project's reference machine (2 cores) with the 4-layer, width-128 KJV model.
 *
 * @param javaMaxRows the Java backend is chosen for calls of at most this many rows, DJL above
 * @param source where the number comes from (a file, or the built-in default)
 */
public record BackendCrossover(int javaMaxRows, String source) {
  /** The file in a model directory that holds a measured crossover. */
  public static final String FILE = "backend-crossover.json";

  /**
   * Measured with {@code anyorder bench sample --windows 16 --batch 8} on the 4-layer, width-128 KJV model
   * and with {@code --random-size 6x384x256} (call-cost tables on an idle 2-core machine, one thread per
   * backend, after the Java backend's blocked multi-row kernels): the Java backend won every call up to the
   * largest measured, 512 rows (8 sequences of 64), on both models. Models or machines that differ should
   * record their own with {@code --save-crossover}.
   */
  public static final BackendCrossover DEFAULT = new BackendCrossover(512, "built-in default");

  private static final ObjectMapper JSON = new ObjectMapper();

  public BackendCrossover {
    if (javaMaxRows < 0) {
      throw new IllegalArgumentException("javaMaxRows must be >= 0, got " + javaMaxRows);
    }
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("a crossover needs a source");
    }
  }

  /** Whether a state of {@code batch} sequences with about {@code rowsPerCall} rows each belongs on the Java backend. */
  public boolean prefersJava(int batch, int rowsPerCall) {
    return (long) batch * Math.max(1, rowsPerCall) <= javaMaxRows;
  }

  /** The crossover recorded in {@code directory}, or {@link #DEFAULT} when none was measured there. */
  public static BackendCrossover forModel(Path directory) {
    Path file = directory == null ? null : directory.resolve(FILE);
    if (file == null || !Files.isRegularFile(file)) {
      return DEFAULT;
    }
    try {
      JsonNode node = JSON.readTree(file.toFile());
      JsonNode rows = node.get("javaMaxRows");
      if (rows == null || !rows.canConvertToInt()) {
        throw new IllegalArgumentException(file + " has no integer javaMaxRows");
      }
      return new BackendCrossover(rows.intValue(), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Writes this crossover to {@code directory}/{@value #FILE}, with a note of how it was measured. */
  public Path save(Path directory, String measuredWith) {
    ObjectNode node = JSON.createObjectNode().put("javaMaxRows", javaMaxRows).put("measuredWith", measuredWith);
    Path file = directory.resolve(FILE);
    try {
      AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }
}
