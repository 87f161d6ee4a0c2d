package dev.anyorder.tasks.sudoku;

/**
 * How sudoku puzzles are carved for the sudoku task: remove cells from a random full grid while the
 * solution stays unique, down to {@code givens}.
 *
 * @param givens target number of given cells, 17..81 (17 is the proven minimum for a unique sudoku;
 *     targets below about 22 are rarely reachable by greedy removal)
 * @param maxAttempts removal passes (each a fresh random cell order) to try before settling for the
 *     closest puzzle found, 1..1000
 * @param maxTrainingGivens training draws ({@code SudokuTask.trainingVariant}) reveal extra cells of the solution
 *     so that a puzzle shows a number of givens drawn uniformly from {@code givens..maxTrainingGivens}: one model
 *     then learns hard and easy puzzles; equal to {@code givens} for no spread
 */
public record SudokuConfig(int givens, int maxAttempts, int maxTrainingGivens) {

  public SudokuConfig {
    if (maxTrainingGivens < givens || maxTrainingGivens > 81) {
      throw new IllegalArgumentException("sudoku training givens must range from the puzzle's " + givens + " up to at most 81, got "
          + maxTrainingGivens);
    }
    if (givens < 17 || givens > 81) {
      throw new IllegalArgumentException(
          "sudoku givens must be in 17..81 (no unique sudoku has fewer than 17), got " + givens);
    }
    if (maxAttempts < 1 || maxAttempts > 1000) {
      throw new IllegalArgumentException("maxAttempts must be in 1..1000, got " + maxAttempts);
    }
  }

  /** Puzzles of {@code givens} givens, trained on as they are. */
  public SudokuConfig(int givens, int maxAttempts) {
    this(givens, maxAttempts, givens);
  }

  /** 30 givens, 5 attempts: always reachable, quick to generate. */
  public static SudokuConfig defaults() {
    return new SudokuConfig(30, 5);
  }

  /** Whether training draws reveal extra givens. */
  public boolean spreadsGivens() {
    return maxTrainingGivens > givens;
  }
}
