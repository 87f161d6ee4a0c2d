package dev.anyorder.tasks.sudoku;

import java.util.Arrays;

/**
 * A carved sudoku puzzle with its unique solution, as made by {@link SudokuGenerator}. Grids are 81 ints
 * row-major, digits 1..9, 0 for a blank in the puzzle. Immutable (arrays are copied).
 *
 * @param puzzle the givens, 0 elsewhere
 * @param solution the unique completion
 * @param targetGivens how many givens were asked for
 * @param reachedTarget false when the generator stopped above the target because no further cell could be
 *     removed without losing uniqueness within its attempts; then {@link #givens()} is the closest reached
 */
public record SudokuPuzzle(int[] puzzle, int[] solution, int targetGivens, boolean reachedTarget) {

  public SudokuPuzzle {
    if (puzzle.length != SudokuSolver.CELLS || solution.length != SudokuSolver.CELLS) {
      throw new IllegalArgumentException("puzzle and solution must have 81 cells");
    }
    puzzle = puzzle.clone();
    solution = solution.clone();
  }

  @Override
  public int[] puzzle() {
    return puzzle.clone();
  }

  @Override
  public int[] solution() {
    return solution.clone();
  }

  /** Number of given cells. */
  public int givens() {
    int g = 0;
    for (int d : puzzle) {
      g += d != 0 ? 1 : 0;
    }
    return g;
  }

  /** A sentence on whether the target was met, for logs. */
  public String note() {
    return reachedTarget
        ? "reached " + targetGivens + " givens"
        : "stopped at " + givens() + " givens: no unique puzzle with " + targetGivens + " givens found";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SudokuPuzzle p && Arrays.equals(p.puzzle, puzzle) && Arrays.equals(p.solution, solution)
        && p.targetGivens == targetGivens && p.reachedTarget == reachedTarget;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(puzzle) * 31 + Arrays.hashCode(solution);
  }

  @Override
  public String toString() {
    return "SudokuPuzzle[givens=" + givens() + ", " + note() + "]";
  }
}
