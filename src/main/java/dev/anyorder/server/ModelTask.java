package dev.anyorder.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.Task;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.maze.MazeConfig;
import dev.anyorder.tasks.maze.MazeTask;
import dev.anyorder.tasks.sudoku.SudokuConfig;
import dev.anyorder.tasks.sudoku.SudokuTask;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The puzzle task a model was trained on, when its training or data record names one in a {@code "task"}
 * field, so the web page can offer fresh instances. Accepted forms: {@code "maze"}, {@code "maze-9x11"},
 * {@code {"name": "maze", "height": 9, "width": 11, "walls": 6}}, {@code "sudoku"}, {@code "sudoku-30"},
 * {@code {"name": "sudoku", "givens": 30}}. A task that does not fit the model (length or vocabulary) is
 * ignored with a warning.
 *
 * @param kind {@code maze} or {@code sudoku}
 * @param task the generator
 * @param height grid rows
 * @param width grid columns
 */
record ModelTask(String kind, Task task, int height, int width) {
  private static final Logger LOG = LoggerFactory.getLogger(ModelTask.class);
  private static final Pattern MAZE = Pattern.compile("maze(?:-(\\d{1,3})x(\\d{1,3}))?");
  private static final Pattern SUDOKU = Pattern.compile("sudoku(?:-(\\d{1,2}))?");

  ModelTask {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(task, "task");
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("grid must be at least 1x1");
    }
  }

  /** The task named by the model's training record (or else its data record), if any and if it fits. */
  static Optional<ModelTask> of(SavedModel saved) {
    JsonNode field = null;
    for (JsonNode record : new JsonNode[] {saved.training(), saved.data()}) {
      if (record != null && record.has("task")) {
        field = record.get("task");
        break;
      }
    }
    if (field == null) {
      return Optional.empty();
    }
    try {
      ModelTask t = parse(field);
      ModelConfig c = saved.config();
      if (t.task.length() > c.maxLength() || t.task.vocabSize() > c.vocabSize()) {
        LOG.warn("the model's task {} (length {}, {} tokens) does not fit the model (max length {}, {} tokens); not offering it",
            t.task.name(), t.task.length(), t.task.vocabSize(), c.maxLength(), c.vocabSize());
        return Optional.empty();
      }
      return Optional.of(t);
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring the model's task field {}: {}", field, e.getMessage());
      return Optional.empty();
    }
  }

  static ModelTask parse(JsonNode field) {
    String name;
    JsonNode params = null;
    if (field.isTextual()) {
      name = field.textValue().toLowerCase(Locale.ROOT);
    } else if (field.isObject() && field.path("name").isTextual()) {
      name = field.get("name").textValue().toLowerCase(Locale.ROOT);
      params = field;
    } else {
      throw new IllegalArgumentException("task must be a name or an object with a name");
    }
    Matcher m = MAZE.matcher(name);
    if (m.matches()) {
      MazeConfig d = MazeConfig.defaults();
      int h = m.group(1) != null ? Integer.parseInt(m.group(1)) : params != null ? params.path("height").asInt(d.height()) : d.height();
      int w = m.group(2) != null ? Integer.parseInt(m.group(2)) : params != null ? params.path("width").asInt(d.width()) : d.width();
      int walls = params != null ? params.path("walls").asInt(d.walls()) : (h == 13 && w == 21 ? MazeConfig.paper().walls() : d.walls());
      double fraction = params != null ? params.path("minDistanceFraction").asDouble(d.minDistanceFraction()) : d.minDistanceFraction();
      return new ModelTask("maze", new MazeTask(new MazeConfig(h, w, walls, fraction)), h, w);
    }
    m = SUDOKU.matcher(name);
    if (m.matches()) {
      SudokuConfig d = SudokuConfig.defaults();
      int givens = m.group(1) != null ? Integer.parseInt(m.group(1)) : params != null ? params.path("givens").asInt(d.givens()) : d.givens();
      return new ModelTask("sudoku", new SudokuTask(new SudokuConfig(givens, d.maxAttempts())), 9, 9);
    }
    throw new IllegalArgumentException("unknown task '" + name + "' (expected maze or sudoku)");
  }

  /** What the page needs to draw this task. */
  ObjectNode describe() {
    ObjectNode o = ResponseWriter.MAPPER.createObjectNode();
    o.put("kind", kind);
    o.put("name", task.name());
    o.put("length", task.length());
    o.put("height", height);
    o.put("width", width);
    return o;
  }

  /** A fresh held-out instance: {@code given} (-1 where the model must fill in) and the reference {@code solution}. */
  ObjectNode instance(long seed) {
    TaskInstance instance = task.generate(Split.TEST, 1, seed).get(0);
    ObjectNode o = describe();
    int[] solution = instance.sequence();
    int[] given = solution.clone();
    for (int i = 0; i < given.length; i++) {
      if (!instance.isKnown(i)) {
        given[i] = -1;
      }
    }
    ResponseWriter.ints(o.putArray("given"), given);
    ResponseWriter.ints(o.putArray("solution"), solution);
    o.put("seed", seed);
    return o;
  }
}
