package dev.anyorder.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.tasks.Task;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.TaskScore;
import dev.anyorder.tasks.maze.Maze;
import dev.anyorder.tasks.maze.MazeTask;
import dev.anyorder.tasks.sudoku.SudokuTask;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Whether a generated sequence solves a puzzle instance, by the task's own {@link Task#check}, and which
 * cells the page should mark as wrong when it does not, so the solved / incorrect badge and the marks come
 * from one judgement.
 *
 * <p>Wrong cells, for an unsolved sequence only: for a Sudoku, the generated cells that differ from the
 * instance's unique solution (any valid completion equals it); for a maze, solution cells that change the
 * maze or hold something other than open floor or path, and path cells that are not on one chain from the
 * start (not connected to it, or with other than two neighbours among path, start and goal), since a
 * correct path may differ from the reference one.
 *
 * @param solved the task's yes/no metric ({@code correct} for a maze, {@code solved} for a Sudoku)
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

  /** Judges {@code generated} against {@code instance} of {@code task} (a maze or a Sudoku). */
  static PuzzleVerdict of(Task task, TaskInstance instance, int[] generated) {
    TaskScore score = task.check(instance, generated);
    if (task instanceof MazeTask maze) {
      boolean solved = score.is("correct");
      return new PuzzleVerdict(solved, score, solved ? new int[0] : wrongMazeCells(maze, instance, generated));
    }
    if (task instanceof SudokuTask) {
      boolean solved = score.is("solved");
      return new PuzzleVerdict(solved, score, solved ? new int[0] : cellsUnlikeSolution(instance, generated));
    }
    throw new IllegalArgumentException("no verdict for task " + task.name());
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

  private static int[] cellsUnlikeSolution(TaskInstance instance, int[] generated) {
    return java.util.stream.IntStream.range(0, generated.length).filter(i -> generated[i] != instance.token(i)).toArray();
  }

  private static int[] wrongMazeCells(MazeTask task, TaskInstance instance, int[] generated) {
    Maze maze = task.maze(instance);
    int h = maze.height();
    int w = maze.width();
    int n = h * w;
    TreeSet<Integer> wrong = new TreeSet<>();
    for (int i = 0; i < generated.length / 2; i++) {
      if (generated[i] != instance.token(i)) {
        wrong.add(i);
      }
    }
    int[] solution = task.grid(generated, 1);
    boolean[] path = new boolean[n];
    for (int cell = 0; cell < n; cell++) {
      int m = maze.token(cell);
      int g = solution[cell];
      if (m == Maze.EMPTY ? g != Maze.EMPTY && g != Maze.PATH : g != m) {
        wrong.add(task.sequenceIndex(1, cell));
      }
      path[cell] = m == Maze.EMPTY && g == Maze.PATH;
    }
    // Path cells reached from the start through path cells; the rest are stray pieces.
    boolean[] reached = new boolean[n];
    int[] queue = new int[n];
    int[] nb = new int[4];
    int head = 0;
    int tail = 0;
    queue[tail++] = maze.start();
    while (head < tail) {
      int cell = queue[head++];
      int k = Maze.neighbours(h, w, cell, nb);
      for (int i = 0; i < k; i++) {
        if (path[nb[i]] && !reached[nb[i]]) {
          reached[nb[i]] = true;
          queue[tail++] = nb[i];
        }
      }
    }
    for (int cell = 0; cell < n; cell++) {
      if (!path[cell]) {
        continue;
      }
      int around = 0;
      int k = Maze.neighbours(h, w, cell, nb);
      for (int i = 0; i < k; i++) {
        around += path[nb[i]] || nb[i] == maze.start() || nb[i] == maze.goal() ? 1 : 0;
      }
      if (!reached[cell] || around != 2) {
        wrong.add(task.sequenceIndex(1, cell));
      }
    }
    return wrong.stream().mapToInt(Integer::intValue).toArray();
  }
}
