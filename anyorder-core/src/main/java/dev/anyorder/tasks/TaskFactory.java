package dev.anyorder.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.tasks.images.FashionMnistTask;
import dev.anyorder.tasks.images.ImageTaskConfig;
import dev.anyorder.tasks.maze.MazeConfig;
import dev.anyorder.tasks.maze.MazeTask;
import dev.anyorder.tasks.sudoku.SudokuConfig;
import dev.anyorder.tasks.sudoku.SudokuTask;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
  private static final Pattern MAZE = Pattern.compile("maze(?:-(\\d{1,3})x(\\d{1,3}))?");
  private static final Pattern SUDOKU = Pattern.compile("sudoku(?:-(\\d{1,2})(?:to(\\d{1,2}))?)?");

  private TaskFactory() {}

  /**
   * The full configuration of {@code task} as a provenance record. A task this factory cannot rebuild
   * (images, whose pixels live outside the model) is recorded with its kind and settings for people to
   * read.
   */
  public static ObjectNode record(Task task) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (task instanceof MazeTask maze) {
      MazeConfig c = maze.config();
      o.put("kind", "maze").put("name", task.name()).put("height", c.height()).put("width", c.width())
          .put("walls", c.walls()).put("minDistanceFraction", c.minDistanceFraction()).put("fixedCellsGiven", c.fixedCellsGiven())
          .put("interiorOnly", c.interiorOnly()).put("detourShare", c.detourShare())
          .put("variedShare", c.variedShare());
    } else if (task instanceof SudokuTask sudoku) {
      SudokuConfig c = sudoku.config();
      o.put("kind", "sudoku").put("name", task.name()).put("givens", c.givens()).put("maxAttempts", c.maxAttempts())
          .put("maxTrainingGivens", c.maxTrainingGivens());
    } else if (task instanceof FashionMnistTask images) {
      ImageTaskConfig c = images.config();
      o.put("kind", "fashion-mnist").put("name", task.name()).put("levels", c.levels()).put("downsample", c.downsample())
          .put("mask", String.valueOf(c.mask()));
    } else {
      o.put("kind", "other").put("name", task.name());
    }
    return o;
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
    Matcher m = MAZE.matcher(name);
    if (m.matches()) {
      return new MazeTask(maze(m, params));
    }
    m = SUDOKU.matcher(name);
    if (m.matches()) {
      SudokuConfig d = SudokuConfig.defaults();
      int givens = m.group(1) != null ? Integer.parseInt(m.group(1)) : intParam(params, "givens", d.givens());
      return new SudokuTask(new SudokuConfig(givens, intParam(params, "maxAttempts", d.maxAttempts()),
          m.group(2) != null ? Integer.parseInt(m.group(2)) : intParam(params, "maxTrainingGivens", givens)));
    }
    if (name.startsWith("fashion-mnist")) {
      throw new IllegalArgumentException("the image task needs its data set and cannot be rebuilt from a record alone");
    }
    throw new IllegalArgumentException("unknown task '" + name + "' (expected maze or sudoku)");
  }

  private static MazeConfig maze(Matcher m, JsonNode params) {
    Integer h = m.group(1) != null ? Integer.valueOf(m.group(1)) : null;
    Integer w = m.group(2) != null ? Integer.valueOf(m.group(2)) : null;
    if (params != null && params.has("height")) {
      h = intParam(params, "height", 0);
    }
    if (params != null && params.has("width")) {
      w = intParam(params, "width", 0);
    }
    if (h == null && w == null && params == null) {
      return MazeConfig.defaults();
    }
    MazeConfig d = MazeConfig.defaults();
    // The size rule the demo and the benchmarks trained with: wall count and distance follow from the size
    // unless the record states them.
    MazeConfig shape = MazeConfig.parse((h == null ? d.height() : h) + "x" + (w == null ? d.width() : w));
    int walls = intParam(params, "walls", shape.walls());
    double fraction = params != null && params.has("minDistanceFraction") ? doubleParam(params, "minDistanceFraction")
        : shape.minDistanceFraction();
    // Models trained on the lean encoding never learned the fixed cells, so they must be given them again.
    boolean fixedCellsGiven = params != null && params.path("fixedCellsGiven").asBoolean(false);
    boolean interiorOnly = params != null && params.path("interiorOnly").asBoolean(false);
    double detourShare = params != null && params.has("detourShare") ? doubleParam(params, "detourShare") : 0;
    double variedShare = params != null && params.has("variedShare") ? doubleParam(params, "variedShare") : 0;
    return new MazeConfig(shape.height(), shape.width(), walls, fraction, fixedCellsGiven, interiorOnly, detourShare,
        variedShare);
  }

  private static int intParam(JsonNode params, String field, int fallback) {
    if (params == null || !params.has(field)) {
      return fallback;
    }
    JsonNode v = params.get(field);
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("task field '" + field + "' must be an integer, got " + v);
    }
    return v.intValue();
  }

  private static double doubleParam(JsonNode params, String field) {
    JsonNode v = params.get(field);
    if (!v.isNumber()) {
      throw new IllegalArgumentException("task field '" + field + "' must be a number, got " + v);
    }
    return v.doubleValue();
  }
}
