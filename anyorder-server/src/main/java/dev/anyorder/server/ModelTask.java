package dev.anyorder.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.tasks.PuzzleBoard;
import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.Task;
import dev.anyorder.tasks.TaskFactory;
import dev.anyorder.tasks.TaskInstance;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The puzzle task a model was trained on, rebuilt by {@link TaskFactory} from what the model records, so
 * the web page can offer fresh instances of exactly the kind the model learned. A task that does not fit
 * the model (length or vocabulary), or whose generator cannot produce an instance, is not offered, with
 * a warning.
 *
 * @param board how the page draws the task and judges an answer, from the task itself
 * @param task the generator
 */
record ModelTask(PuzzleBoard board, Task task) {
  private static final Logger LOG = LoggerFactory.getLogger(ModelTask.class);

  ModelTask {
    Objects.requireNonNull(board, "board");
    Objects.requireNonNull(task, "task");
    if (board.height() < 1 || board.width() < 1) {
      throw new IllegalArgumentException("grid must be at least 1x1");
    }
  }

  /** The task the model records, if any, if it fits the model and if its generator works. */
  static Optional<ModelTask> of(SavedModel saved) {
    Optional<JsonNode> field = TaskFactory.recorded(saved.data(), saved.training());
    if (field.isEmpty()) {
      return Optional.empty();
    }
    ModelTask t;
    try {
      t = parse(field.get());
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring the model's task record {}: {}", field.get(), e.getMessage());
      return Optional.empty();
    }
    ModelConfig c = saved.config();
    if (t.task.length() > c.maxLength() || t.task.vocabSize() > c.vocabSize()) {
      LOG.warn("the model's task {} (length {}, {} tokens) does not fit the model (max length {}, {} tokens); not offering it",
        t.task.name(), t.task.length(), t.task.vocabSize(), c.maxLength(), c.vocabSize());
      return Optional.empty();
    }
    try {
      t.task.generate(Split.TEST, 1, 0);
    } catch (RuntimeException e) {
      LOG.warn("the generator of the model's task {} fails ({}); not offering it", t.task.name(), e.getMessage());
      return Optional.empty();
    }
    return Optional.of(t);
  }

  /** The task a record describes (see {@link TaskFactory#rebuild}), with the board the page draws it on. */
  static ModelTask parse(JsonNode field) {
    Task task = TaskFactory.rebuild(field);
    PuzzleBoard board = task.board()
        .orElseThrow(() -> new IllegalArgumentException("the page draws puzzle boards only, and " + task.name() + " has none"));
    return new ModelTask(board, task);
  }

  /** What the page needs to draw this task. */
  ObjectNode describe() {
    ObjectNode o = ResponseWriter.MAPPER.createObjectNode();
    o.put("kind", board.kind());
    o.put("name", task.name());
    o.put("length", task.length());
    o.put("height", board.height());
    o.put("width", board.width());
    return o;
  }

  /** A fresh held-out instance: {@code given} (-1 where the model must fill in) and the reference {@code solution}. */
  ObjectNode instance(long seed) {
    TaskInstance instance = generate(seed);
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

  /**
   * Judges {@code tokens} against the instance of {@code seed} (the one {@link #instance} handed out):
   * {@code {"solved", "metrics", "wrong", "rendered"}}, where {@code rendered} is the task's plain-text
   * drawing of the tokens.
   */
  ObjectNode check(long seed, int[] tokens) {
    if (tokens.length != task.length()) {
      throw ApiException.invalidField("tokens", "'tokens' must hold the " + task.length() + " tokens of a " + task.name()
          + " sequence, got " + tokens.length);
    }
    ObjectNode o = PuzzleVerdict.of(task, board, generate(seed), tokens).toJson();
    o.put("rendered", task.render(tokens));
    return o;
  }

  private TaskInstance generate(long seed) {
    try {
      return task.generate(Split.TEST, 1, seed).get(0);
    } catch (RuntimeException e) {
      // The generator, not the model, failed: say so, without its stack trace.
      LOG.error("the {} generator failed for seed {}", task.name(), seed, e);
      throw new ApiException(500, "task_generator_failed", null, "the " + task.name() + " generator could not produce an "
          + "instance for seed " + seed + "; see the server log");
    }
  }
}
