package dev.anyorder.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.tasks.images.FashionMnistTask;
import dev.anyorder.tasks.maze.MazeConfig;
import dev.anyorder.tasks.maze.MazeTask;
import dev.anyorder.tasks.sudoku.SudokuTask;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one place that writes a task's full configuration into a model's provenance and rebuilds the task
 * from it, so the demo, the benchmarks and the server all generate the instances the model was trained on.
 *
 * <p>A record is a JSON object, stored under {@value #RECORD_FIELD} of the data provenance: {@code {"kind": "maze", "name": "maze-7x7", "height": 7, "width": 7,
 * "walls": 3, "minDistanceFraction": 0.5}}, {@code {"kind": "sudoku", "name": "sudoku-30", "givens": 30,
 * "maxAttempts": 5}}. Models trained before records were complete only name their task; such a name
 * ({@code "maze-7x7"}, {@code "sudoku-40"}, or an object with a {@code name} and some parameters) is
 * rebuilt with the shape rules the benchmarks and the demo use ({@link MazeConfig#parse}), which is what
 * those models were trained with.
 */
public final class TaskFactory {
  /** Every kind of task a model can record: a new task adds one line here. */
  private static final List<TaskKind> KINDS = List.of(MazeTask.KIND, SudokuTask.KIND, FashionMnistTask.KIND);

  private TaskFactory() {}

  /**
   * The full configuration of {@code task} as a provenance record. A task this factory cannot rebuild
   * (images, whose pixels live outside the model) is recorded with its kind and settings for people to
   * read.
   */
  public static ObjectNode record(Task task) {
    return task.record();
  }

  /** Field of a data provenance record that holds {@link #record}; {@code "task"} keeps the plain name. */
  public static final String RECORD_FIELD = "taskConfig";

  /**
   * The task a model records: the full record under {@value #RECORD_FIELD} of its data record, else the
   * {@code "task"} name of its data or training record (older models), if any.
   */
  public static Optional<JsonNode> recorded(JsonNode data, JsonNode training) {
    for (String field : new String[] {RECORD_FIELD, "task"}) {
      for (JsonNode r : new JsonNode[] {data, training}) {
        if (r != null && r.hasNonNull(field)) {
          return Optional.of(r.get(field));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Rebuilds the task a record describes: a full record as {@link #record} writes it, or a name
   * (or named object) from older models.
   *
   * @throws IllegalArgumentException naming what is wrong when the record describes no task this factory
   *     can rebuild or its settings are invalid
   */
  public static Task rebuild(JsonNode record) {
    if (record == null || record.isNull()) {
      throw new IllegalArgumentException("no task is recorded");
    }
    String name;
    JsonNode params = null;
    if (record.isTextual()) {
      name = record.textValue();
    } else if (record.isObject() && (record.path("kind").isTextual() || record.path("name").isTextual())) {
      params = record;
      name = record.path("kind").isTextual() ? record.get("kind").textValue() : record.get("name").textValue();
    } else {
      throw new IllegalArgumentException("a task record must be a name or an object with a kind or name, got " + record);
    }
    name = name.toLowerCase(Locale.ROOT);
    for (TaskKind kind : KINDS) {
      Optional<Task> task = kind.rebuild(name, params);
      if (task.isPresent()) {
        return task.get();
      }
    }
    throw new IllegalArgumentException("unknown task '" + name + "' (expected maze or sudoku)");
  }
}
