package dev.anyorder.tasks;

/**
 * What a front end needs to show a puzzle task on a grid and to judge an answer to one of its instances:
 * the web page draws the {@link #kind()}'s board of {@link #height()} × {@link #width()} cells, says whether
 * an answer is solved and marks the cells that are wrong. A task offers it through {@link Task#board()}, so a
 * server asks the task rather than testing its type.
 */
public interface PuzzleBoard {
  /** The drawing the page uses, such as {@code maze} or {@code sudoku}. */
  String kind();

  /** Rows of the grid the page draws. */
  int height();

  /** Columns of the grid the page draws. */
  int width();

  /** Whether {@code score}, the task's {@link Task#check} of an answer, says the puzzle is solved. */
  boolean solved(TaskScore score);

  /**
   * Sequence positions of {@code generated} to mark as wrong, in increasing order, for an answer that does
   * not solve {@code instance}.
   */
  int[] wrongPositions(TaskInstance instance, int[] generated);
}
