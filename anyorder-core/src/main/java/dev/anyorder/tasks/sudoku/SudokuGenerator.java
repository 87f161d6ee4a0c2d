package dev.anyorder.tasks.sudoku;

import java.util.Objects;
import java.util.Random;

/**
 * Makes sudoku puzzles with a unique solution: a random full grid, then cells removed in random order,
 * each removal kept only if {@link SudokuSolver#countSolutions} still finds exactly one solution, until the
 * configured number of givens. A pass that gets stuck above the target is retried with a new order up to
 * {@link SudokuConfig#maxAttempts()} times; the puzzle with the fewest givens is returned and flagged. All
 * randomness comes from the caller's seed, so output is deterministic.
 */
public final class SudokuGenerator {

  private final SudokuConfig config;

  public SudokuGenerator(SudokuConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public SudokuConfig config() {
    return config;
  }

  /** A puzzle drawn deterministically from a seed. */
  public SudokuPuzzle generate(long seed) {
    Random rng = new Random(seed);
    return carve(SudokuSolver.randomFullGrid(rng), rng);
  }

  /** A puzzle carved from a given complete valid grid. */
  public SudokuPuzzle carve(int[] solution, Random rng) {
    return carve(solution, solution, rng);
  }

  /**
   * A puzzle carved further from {@code start}, a puzzle whose only solution is {@code solution}: its givens
   * are removed in random order while the solution stays unique.
   */
  public SudokuPuzzle carve(int[] start, int[] solution, Random rng) {
    if (!SudokuSolver.isValidSolution(solution)) {
      throw new IllegalArgumentException("can only carve puzzles from a complete valid sudoku grid");
    }
    int startGivens = 0;
    for (int cell = 0; cell < SudokuSolver.CELLS; cell++) {
      if (start[cell] != 0 && start[cell] != solution[cell]) {
        throw new IllegalArgumentException("cell " + cell + " of the puzzle to carve differs from its solution");
      }
      startGivens += start[cell] != 0 ? 1 : 0;
    }
    int[] best = start.clone();
    int bestGivens = startGivens;
    for (int attempt = 0; attempt < config.maxAttempts() && bestGivens > config.givens(); attempt++) {
      int[] puzzle = start.clone();
      int givens = startGivens;
      int[] order = shuffledCells(rng);
      for (int k = 0; k < order.length && givens > config.givens(); k++) {
        int cell = order[k];
        int digit = puzzle[cell];
        if (digit == 0) {
          continue;
        }
        puzzle[cell] = 0;
        if (SudokuSolver.countSolutions(puzzle, 2) == 1) {
          givens--;
        } else {
          puzzle[cell] = digit;
        }
      }
      if (givens < bestGivens) {
        best = puzzle;
        bestGivens = givens;
      }
    }
    return new SudokuPuzzle(best, solution, config.givens(), bestGivens == config.givens());
  }

  private static int[] shuffledCells(Random rng) {
    int[] order = new int[SudokuSolver.CELLS];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
