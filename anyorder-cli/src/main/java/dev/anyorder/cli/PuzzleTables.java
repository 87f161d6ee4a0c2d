package dev.anyorder.cli;

import dev.anyorder.evaluation.SamplerResult;
import java.util.List;
import java.util.Locale;

/** The terminal tables of the puzzle commands ({@code demo}, {@code bench maze|sudoku --puzzles}): one row per sampler. */
final class PuzzleTables {
  private PuzzleTables() {}

  /**
   * The maze table: sampler, correct %, optimal %, NFE per maze, and for waypoint rows how often the path
   * passes through the given cells.
   */
  static String maze(List<SamplerResult> results) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-30s %8s %9s %10s %9s %7s%n", "sampler", "correct",
        "optimal", "NFE/maze", "through", "mazes"));
    for (SamplerResult r : results) {
      String through = r.metrics().containsKey("throughWaypoints")
          ? String.format(Locale.ROOT, "%.1f%%", 100 * r.metric("throughWaypoints")) : "";
      s.append(String.format(Locale.ROOT, "%-30s %7.1f%% %8.1f%% %10.1f %9s %7d%n", r.sampler(), 100 * r.metric("correct"),
          100 * r.metric("optimal"), r.nfePerInstance(), through, r.instances()));
    }
    s.append("correct: a valid start-to-goal path; optimal: and a shortest one; NFE/maze: network calls per maze (in the"
        + " lean encoding only the open cells are generated); through: waypoint rows, the path goes through the given cells.\n");
    return s.toString();
  }

  /** The sudoku table: sampler, solved %, cell accuracy %, NFE per puzzle, puzzles. */
  static String sudoku(List<SamplerResult> results) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-26s %8s %14s %12s %8s%n", "sampler", "solved",
        "cell accuracy", "NFE/puzzle", "puzzles"));
    for (SamplerResult r : results) {
      s.append(String.format(Locale.ROOT, "%-26s %7.1f%% %13.1f%% %12.1f %8d%n", r.sampler(),
          100 * r.metric("solved"), 100 * r.metric("cellAccuracy"), r.nfePerInstance(), r.instances()));
    }
    return s.toString();
  }
}
