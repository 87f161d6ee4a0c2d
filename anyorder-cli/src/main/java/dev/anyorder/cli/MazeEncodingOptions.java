package dev.anyorder.cli;

import dev.anyorder.tasks.maze.MazeConfig;
import picocli.CommandLine.Option;

/**
 * How the maze commands ({@code demo}, {@code bench maze}) encode a maze: always lean (the solution cells
 * the maze fixes are given, not generated), and by default without the border, whose walls are the same in
 * every maze.
 */
final class MazeEncodingOptions {
  @Option(names = "--border", negatable = true, description = "Encode the border walls in every sequence, as the"
      + " paper does (default: left out, which halves a 7x7 sequence; models record their encoding).")
  boolean border;

  /** The lean encoding of mazes of {@code size} ({@code HEIGHTxWIDTH}). */
  MazeConfig config(String size) {
    return MazeConfig.parse(size).withFixedCellsGiven(true).withInteriorOnly(!border);
  }
}
