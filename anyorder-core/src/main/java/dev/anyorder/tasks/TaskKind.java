package dev.anyorder.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * How {@link TaskFactory} rebuilds one kind of task from what a model records: each task package declares
 * its kind, and the factory's registry lists them, so a new task adds its package and one registry line.
 */
public interface TaskKind {
  /**
   * The task {@code name} (lower case, such as {@code maze-7x7} or {@code sudoku}) describes with {@code
   * params} (the full record, or null for a bare name), or empty when the name is not of this kind.
   *
   * @throws IllegalArgumentException naming what is wrong when the name is of this kind but the task
   *     cannot be rebuilt (invalid settings, data that lives outside the model)
   */
  Optional<Task> rebuild(String name, JsonNode params);

  /** The integer {@code field} of {@code params}, or {@code fallback} when absent (or no params). */
  static int intParam(JsonNode params, String field, int fallback) {
    if (params == null || !params.has(field)) {
      return fallback;
    }
    JsonNode v = params.get(field);
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("task field '" + field + "' must be an integer, got " + v);
    }
    return v.intValue();
  }

  /** The number {@code field} of {@code params}, or {@code fallback} when absent (or no params). */
  static double doubleParam(JsonNode params, String field, double fallback) {
    if (params == null || !params.has(field)) {
      return fallback;
    }
    JsonNode v = params.get(field);
    if (!v.isNumber()) {
      throw new IllegalArgumentException("task field '" + field + "' must be a number, got " + v);
    }
    return v.doubleValue();
  }
}
