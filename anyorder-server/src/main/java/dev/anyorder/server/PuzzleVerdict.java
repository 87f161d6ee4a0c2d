package dev.anyorder.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.tasks.PuzzleBoard;
import dev.anyorder.tasks.Task;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.TaskScore;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a generated sequence solves a puzzle instance, by the task's own {@link Task#check}, and which
 * cells the page should mark as wrong when it does not, so the solved / incorrect badge and the marks come
 * from one judgement.
 *
 * <p>Wrong cells, for an unsolved sequence only, are the task's to say ({@link PuzzleBoard#wrongPositions}).
 *
 * @param solved whether the task's board calls the score solved ({@link PuzzleBoard#solved})
 * @param score every metric the task reports
 * @param wrong sequence positions to mark, in increasing order
 */
record PuzzleVerdict(boolean solved, TaskScore score, int[] wrong) {
  PuzzleVerdict {
    Objects.requireNonNull(score, "score");
    wrong = wrong.clone();
  }

  @Override
  public int[] wrong() {
    return wrong.clone();
  }

  /** Judges {@code generated} against {@code instance} of {@code task}, by the task's own {@code board}. */
  static PuzzleVerdict of(Task task, PuzzleBoard board, TaskInstance instance, int[] generated) {
    TaskScore score = task.check(instance, generated);
    boolean solved = board.solved(score);
    return new PuzzleVerdict(solved, score, solved ? new int[0] : board.wrongPositions(instance, generated));
  }

  /** {@code {"solved", "metrics": {...}, "wrong": [...]}}. */
  ObjectNode toJson() {
    ObjectNode o = ResponseWriter.MAPPER.createObjectNode();
    o.put("solved", solved);
    ObjectNode metrics = o.putObject("metrics");
    for (Map.Entry<String, Double> m : score.metrics().entrySet()) {
      ResponseWriter.number(metrics, m.getKey(), m.getValue());
    }
    ResponseWriter.ints(o.putArray("wrong"), wrong);
    return o;
  }
}
