package dev.anyorder.tasks.sudoku;

import java.util.random.RandomGenerator;

/**
 * One element of the Sudoku symmetry group, drawn at random: a relabelling of the digits, a permutation of
 * the bands and of the rows within each band, the same for stacks and columns, and an optional transpose.
 * Each maps valid grids to valid grids and puzzles with one solution to puzzles with one solution, so a
 * small pool of carved puzzles yields about 1.2·10¹² distinct training puzzles each.
 */
final class SudokuSymmetry {
  private final int[] digit = new int[10];
  /** The source cell of each target cell. */
  private final int[] source = new int[SudokuSolver.CELLS];

  private SudokuSymmetry(RandomGenerator rng) {
    int[] labels = permutation(9, rng);
    for (int d = 1; d <= 9; d++) {
      digit[d] = labels[d - 1] + 1;
    }
    int[] rows = lines(rng);
    int[] columns = lines(rng);
    boolean transpose = rng.nextBoolean();
    for (int r = 0; r < 9; r++) {
      for (int c = 0; c < 9; c++) {
        int sr = rows[r];
        int sc = columns[c];
        source[r * 9 + c] = transpose ? sc * 9 + sr : sr * 9 + sc;
      }
    }
  }

  /** A symmetry drawn uniformly from the group. */
  static SudokuSymmetry draw(RandomGenerator rng) {
    return new SudokuSymmetry(rng);
  }

  /** The image of a grid of digits 1..9 (0 for a blank, which stays blank). */
  int[] digits(int[] grid) {
    int[] out = new int[SudokuSolver.CELLS];
    for (int cell = 0; cell < out.length; cell++) {
      out[cell] = digit[grid[source[cell]]];
    }
    return out;
  }

  /** The image of a per-cell mask. */
  boolean[] cells(boolean[] mask) {
    boolean[] out = new boolean[SudokuSolver.CELLS];
    for (int cell = 0; cell < out.length; cell++) {
      out[cell] = mask[source[cell]];
    }
    return out;
  }

  /** Source line of each of the nine lines: bands permuted, then the lines within each band. */
  private static int[] lines(RandomGenerator rng) {
    int[] bands = permutation(3, rng);
    int[] out = new int[9];
    for (int b = 0; b < 3; b++) {
      int[] within = permutation(3, rng);
      for (int i = 0; i < 3; i++) {
        out[b * 3 + i] = bands[b] * 3 + within[i];
      }
    }
    return out;
  }

  private static int[] permutation(int n, RandomGenerator rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
