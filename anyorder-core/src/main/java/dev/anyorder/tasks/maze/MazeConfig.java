package dev.anyorder.tasks.maze;

/**
 * Shape of the maze task of Fleuret's picoclvr, as used in the σ-GPT paper (Pannatier, Courdier, Fleuret
 * 2024): an odd-sized grid with border walls, {@code walls} random wall segments on even rows and columns,
 * and a start and goal at least {@code minDistanceFraction} of the maze's diameter apart (in BFS steps).
 *
 * @param height rows, odd and at least 5
 * @param width columns, odd and at least 5
 * @param walls number of interior wall segments to place
 * @param minDistanceFraction in [0, 1]: start and goal are at least {@code ceil(fraction · diameter)}
 *     steps apart (and at least 2), where the diameter is the longest shortest path between empty cells
 * @param fixedCellsGiven whether the solution cells the prompt already fixes (walls, start and goal: every
 *     cell that is not empty in the maze) are given at solve time rather than generated, so solving a maze
 *     costs network evaluations for its open cells only. False keeps the paper's encoding, where the whole
 *     solution grid is generated
 * @param interiorOnly whether sequences leave out the border: every maze has walls all round it, so the
 *     border cells carry nothing a model can learn yet cost a network its share of every step (24 of the
 *     49 cells of a 7×7 grid). Each half of a sequence is then the {@code (height-2)·(width-2)} interior
 *     cells row-major. False keeps the paper's encoding of whole grids
 * @param detourShare in [0, 1]: the share of training mazes with more than one shortest path whose reference
 *     solution is another shortest path with one of its cells given (the waypoint instances of {@code
 *     MazeTask.withAlternativeRoute}). Canonical paths alone put no probability on any other route, so a model
 *     trained on them has nothing to condition on when a waypoint lies off the canonical path; 0 trains on
 *     canonical paths only. Needs {@code fixedCellsGiven}, whose known masks carry the waypoint into training
 * @param variedShare in [0, 1]: the share of training mazes drawn from a wider family than the held-out
 *     ones ({@link MazeGenerator#generateVaried}): any number of wall segments from none to twice {@code
 *     walls}, sometimes every lattice post walled or a few wall cells opened, start and goal at any distance.
 *     A solver trained on one wall count and one start-to-goal distance learns that layout, not the task:
 *     mazes from another generator (a perfect maze, an open room) then fail. Held-out mazes always follow
 *     the shape above; 0 trains on it alone
 */
public record MazeConfig(int height, int width, int walls, double minDistanceFraction, boolean fixedCellsGiven,
    boolean interiorOnly, double detourShare, double variedShare) {

  public MazeConfig {
    if (height < 5 || height % 2 == 0) {
      throw new IllegalArgumentException("maze height must be odd and at least 5, got " + height);
    }
    if (width < 5 || width % 2 == 0) {
      throw new IllegalArgumentException("maze width must be odd and at least 5, got " + width);
    }
    if (walls < 0) {
      throw new IllegalArgumentException("number of wall segments must not be negative, got " + walls);
    }
    int slots = ((height - 3) / 2) * ((width - 3) / 2);
    if (walls > 2 * slots + 2) {
      throw new IllegalArgumentException(
          walls + " wall segments cannot fit in a " + height + "x" + width + " maze (at most " + (2 * slots + 2) + ")");
    }
    if (!(minDistanceFraction >= 0 && minDistanceFraction <= 1)) {
      throw new IllegalArgumentException("minDistanceFraction must be in [0, 1], got " + minDistanceFraction);
    }
    if (!(detourShare >= 0 && detourShare <= 1)) {
      throw new IllegalArgumentException("detourShare must be in [0, 1], got " + detourShare);
    }
    if (detourShare > 0 && !fixedCellsGiven) {
      throw new IllegalArgumentException("detour training (detourShare " + detourShare + ") needs the lean encoding"
          + " (fixedCellsGiven), whose known masks carry the waypoint");
    }
    if (!(variedShare >= 0 && variedShare <= 1)) {
      throw new IllegalArgumentException("variedShare must be in [0, 1], got " + variedShare);
    }
  }

  /** A shape whose training mazes all follow it (no varied share). */
  public MazeConfig(int height, int width, int walls, double minDistanceFraction, boolean fixedCellsGiven,
      boolean interiorOnly, double detourShare) {
    this(height, width, walls, minDistanceFraction, fixedCellsGiven, interiorOnly, detourShare, 0);
  }

  /** A shape whose whole solution grid is generated (the paper's encoding). */
  public MazeConfig(int height, int width, int walls, double minDistanceFraction) {
    this(height, width, walls, minDistanceFraction, false, false, 0);
  }

  /** A shape encoding whole grids, with the prompt-fixed solution cells given at solve time or not. */
  public MazeConfig(int height, int width, int walls, double minDistanceFraction, boolean fixedCellsGiven) {
    this(height, width, walls, minDistanceFraction, fixedCellsGiven, false, 0);
  }

  /** The same shape with the prompt-fixed solution cells given at solve time or not. */
  public MazeConfig withFixedCellsGiven(boolean given) {
    return new MazeConfig(height, width, walls, minDistanceFraction, given, interiorOnly, detourShare, variedShare);
  }

  /** The same shape with the border left out of sequences or not. */
  public MazeConfig withInteriorOnly(boolean interior) {
    return new MazeConfig(height, width, walls, minDistanceFraction, fixedCellsGiven, interior, detourShare, variedShare);
  }

  /** The same shape with {@code share} of the training mazes that have several shortest paths taking a detour. */
  public MazeConfig withDetourShare(double share) {
    return new MazeConfig(height, width, walls, minDistanceFraction, fixedCellsGiven, interiorOnly, share, variedShare);
  }

  /** The same shape with {@code share} of the training mazes drawn from the varied family. */
  public MazeConfig withVariedShare(double share) {
    return new MazeConfig(height, width, walls, minDistanceFraction, fixedCellsGiven, interiorOnly, detourShare, share);
  }

  /**
   * The small default, 9×11 with 6 walls: sequences of 198 tokens (vs 546 for the paper's size), 63
   * interior cells so paths still bend around several walls, small enough to train in minutes on 2 CPU
   * cores.
   */
  public static MazeConfig defaults() {
    return new MazeConfig(9, 11, 6, 0.5);
  }

  /** The σ-GPT paper's / picoclvr's size: 13×21 with 15 wall segments. */
  public static MazeConfig paper() {
    return new MazeConfig(13, 21, 15, 0.5);
  }

  /**
   * A maze of {@code height × width} parsed from {@code "HxW"}: the paper's and the default size as
   * above, other sizes with the default's wall density scaled to their area.
   */
  public static MazeConfig parse(String size) {
    String[] hw = size.toLowerCase(java.util.Locale.ROOT).split("x");
    if (hw.length != 2) {
      throw new IllegalArgumentException("a maze size looks like 9x11, got " + size);
    }
    int h;
    int w;
    try {
      h = Integer.parseInt(hw[0].trim());
      w = Integer.parseInt(hw[1].trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a maze size looks like 9x11, got " + size);
    }
    MazeConfig paper = paper();
    MazeConfig d = defaults();
    if (h == paper.height() && w == paper.width()) {
      return paper;
    }
    if (h == d.height() && w == d.width()) {
      return d;
    }
    int walls = Math.max(1, (int) Math.round(d.walls() * (double) (h * w) / (d.height() * d.width())));
    return new MazeConfig(h, w, walls, d.minDistanceFraction());
  }

  /** Cells in one grid. */
  public int cells() {
    return height * width;
  }

  /** Rows of the grid one half of a sequence encodes: the interior's with {@link #interiorOnly}. */
  public int encodedHeight() {
    return interiorOnly ? height - 2 : height;
  }

  /** Columns of the grid one half of a sequence encodes. */
  public int encodedWidth() {
    return interiorOnly ? width - 2 : width;
  }

  /** Tokens in one half of a sequence. */
  public int encodedCells() {
    return encodedHeight() * encodedWidth();
  }
}
