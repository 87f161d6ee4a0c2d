package dev.anyorder.cli;

import dev.anyorder.evaluation.TaskRecipe;
import dev.anyorder.tasks.maze.MazeConfig;
import picocli.CommandLine.Option;

/**
 * How the maze commands ({@code demo}, {@code bench maze}) build their task: always the lean encoding (the
 * solution cells the maze fixes are given, not generated), by default without the border, whose walls are
 * the same in every maze, and with the recipe's share of detour training mazes.
 */
final class MazeTaskOptions {
  @Option(names = "--border", negatable = true, description = "Encode the border walls in every sequence, as the"
      + " paper does (default: left out, which halves a 7x7 sequence; models record their encoding).")
  boolean border;
  @Option(names = "--detours", description = "Share of the training mazes with several shortest paths that take another"
      + " route through a given waypoint, in [0, 1] (default: the recipe's).")
  Double detours;
  @Option(names = "--varied", description = "Share of the training mazes drawn from a wider family (any wall count,"
      + " walled lattice posts or opened walls, start and goal at any distance), in [0, 1] (default: the recipe's).")
  Double varied;

  /** The maze task of {@code size} ({@code HEIGHTxWIDTH}) these options and {@code recipe} describe. */
  MazeConfig config(String size, TaskRecipe recipe) {
    return MazeConfig.parse(size).withFixedCellsGiven(true).withInteriorOnly(!border)
        .withDetourShare(detours != null ? detours : recipe.detourShare())
        .withVariedShare(varied != null ? varied : recipe.variedShare());
  }
}
