package dev.anyorder.tasks.sudoku;

import java.util.Optional;
import java.util.Random;

/**
 * Backtracking sudoku solver with bitmask candidate sets and the most-constrained-cell-first rule. A grid
 * is 81 ints row-major, digits 1..9 and 0 for a blank. Used to generate full grids, to check that carved
 * puzzles have a unique solution (count up to 2), and to solve puzzles. Stateless and thread-safe.
 */
public final class SudokuSolver {

  /** Cells in a grid. */
  public static final int CELLS = 81;

  private static final int ALL = 0x1FF;

  private SudokuSolver() {}

  /**
   * Number of solutions of a grid, counting no further than {@code limit} (use 2 to test uniqueness).
   * A grid whose givens already clash has 0 solutions.
   */
  public static int countSolutions(int[] grid, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    Search s = Search.of(grid);
    return s == null ? 0 : s.run(limit, null, null);
  }

  /** A solution of a grid, if there is one (the first found when there are several). */
  public static Optional<int[]> solve(int[] grid) {
    Search s = Search.of(grid);
    if (s == null) {
      return Optional.empty();
    }
    int[] out = new int[CELLS];
    return s.run(1, null, out) == 1 ? Optional.of(out) : Optional.empty();
  }

  /** A random complete valid grid: the search tries each cell's candidates in an order shuffled by {@code rng}. */
  public static int[] randomFullGrid(Random rng) {
    int[] out = new int[CELLS];
    if (Search.of(new int[CELLS]).run(1, rng, out) != 1) {
      throw new IllegalStateException("an empty sudoku grid must have a solution");
    }
    return out;
  }

  /** Whether a complete grid is a valid sudoku solution: every row, column and box holds 1..9 once. */
  public static boolean isValidSolution(int[] grid) {
    if (grid.length != CELLS) {
      return false;
    }
    int[] rows = new int[9];
    int[] cols = new int[9];
    int[] boxes = new int[9];
    for (int i = 0; i < CELLS; i++) {
      int d = grid[i];
      if (d < 1 || d > 9) {
        return false;
      }
      int bit = 1 << (d - 1);
      rows[i / 9] |= bit;
      cols[i % 9] |= bit;
      boxes[box(i)] |= bit;
    }
    for (int k = 0; k < 9; k++) {
      if (rows[k] != ALL || cols[k] != ALL || boxes[k] != ALL) {
        return false;
      }
    }
    return true;
  }

  static int box(int cell) {
    return (cell / 27) * 3 + (cell % 9) / 3;
  }

  /** Mutable search state over one grid. */
  private static final class Search {
    private final int[] cells;
    private final int[] rows = new int[9];
    private final int[] cols = new int[9];
    private final int[] boxes = new int[9];
    private int found;

    private Search(int[] cells) {
      this.cells = cells;
    }

    static Search of(int[] grid) {
      if (grid.length != CELLS) {
        throw new IllegalArgumentException("a sudoku grid has 81 cells, got " + grid.length);
      }
      Search s = new Search(grid.clone());
      for (int i = 0; i < CELLS; i++) {
        int d = grid[i];
        if (d < 0 || d > 9) {
          throw new IllegalArgumentException("sudoku cell " + i + " holds " + d + "; use 1..9, or 0 for blank");
        }
        if (d == 0) {
          continue;
        }
        int bit = 1 << (d - 1);
        if (((s.rows[i / 9] | s.cols[i % 9] | s.boxes[box(i)]) & bit) != 0) {
          return null;
        }
        s.place(i, bit);
      }
      return s;
    }

    private void place(int cell, int bit) {
      rows[cell / 9] |= bit;
      cols[cell % 9] |= bit;
      boxes[box(cell)] |= bit;
    }

    private void unplace(int cell, int bit) {
      rows[cell / 9] &= ~bit;
      cols[cell % 9] &= ~bit;
      boxes[box(cell)] &= ~bit;
    }

    int run(int limit, Random rng, int[] firstSolution) {
      found = 0;
      recurse(limit, rng, firstSolution);
      return found;
    }

    private void recurse(int limit, Random rng, int[] firstSolution) {
      int best = -1;
      int bestFree = 0;
      int bestCount = 10;
      for (int i = 0; i < CELLS; i++) {
        if (cells[i] != 0) {
          continue;
        }
        int free = ~(rows[i / 9] | cols[i % 9] | boxes[box(i)]) & ALL;
        int count = Integer.bitCount(free);
        if (count < bestCount) {
          best = i;
          bestFree = free;
          bestCount = count;
          if (count <= 1) {
            break;
          }
        }
      }
      if (best < 0) {
        if (found == 0 && firstSolution != null) {
          System.arraycopy(cells, 0, firstSolution, 0, CELLS);
        }
        found++;
        return;
      }
      if (bestCount == 0) {
        return;
      }
      int[] digits = new int[bestCount];
      int n = 0;
      for (int free = bestFree; free != 0; free &= free - 1) {
        digits[n++] = Integer.numberOfTrailingZeros(free) + 1;
      }
      if (rng != null) {
        for (int i = n - 1; i > 0; i--) {
          int j = rng.nextInt(i + 1);
          int t = digits[i];
          digits[i] = digits[j];
          digits[j] = t;
        }
      }
      for (int k = 0; k < n && found < limit; k++) {
        int bit = 1 << (digits[k] - 1);
        cells[best] = digits[k];
        place(best, bit);
        recurse(limit, rng, firstSolution);
        unplace(best, bit);
        cells[best] = 0;
      }
    }
  }
}
