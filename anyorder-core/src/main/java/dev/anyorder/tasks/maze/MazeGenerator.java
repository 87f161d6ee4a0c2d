package dev.anyorder.tasks.maze;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Draws random mazes in the manner of Fleuret's picoclvr maze task (used by the σ-GPT paper): border
 * walls, then wall segments between even coordinates on even rows or columns, each touching at most one
 * existing wall cell so the walls stay a forest and every empty cell stays reachable; then a start and a
 * goal far apart, and a random shortest path between them. Written from the task description, not from
 * the picoclvr code.
 */
public final class MazeGenerator {

  private static final int ATTEMPTS_PER_WALL = 100;
  private static final int RESTARTS = 1000;

  private final MazeConfig config;

  public MazeGenerator(MazeConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public MazeConfig config() {
    return config;
  }

  /** A maze with start and goal, drawn from {@code rng}. */
  public Maze generate(Random rng) {
    int h = config.height();
    int w = config.width();
    for (int restart = 0; restart < RESTARTS; restart++) {
      int[] grid = wallsOnly(rng, config.walls());
      if (grid == null) {
        continue;
      }
      Maze maze = placeStartAndGoal(grid, rng, config.minDistanceFraction(), 2);
      if (maze != null) {
        return maze;
      }
    }
    throw new IllegalStateException("could not draw a " + h + "x" + w + " maze with " + config.walls()
        + " walls and start/goal at least " + config.minDistanceFraction() + " of the diameter apart after "
        + RESTARTS + " restarts; use fewer walls");
  }

  /**
   * A maze from a wider family than {@link #generate}, for training a solver that does not depend on one
   * generator's habits (the share {@link MazeConfig#variedShare}): from none to twice the configured number
   * of wall segments; in a third of the mazes every interior lattice post (even row and column) walled,
   * as in a perfect maze's grid, and in another third one to three interior wall cells opened, as in a maze
   * with its loops knocked through; start and goal at least a uniformly drawn fraction of the diameter apart
   * and at least one step, so they may touch. A post touching no wall and an opened wall cell never cut the
   * free space (every wall cell next to a post belongs to a segment through that post), so every maze stays
   * connected, as {@link #generate}'s are.
   */
  public Maze generateVaried(Random rng) {
    for (int restart = 0; restart < RESTARTS; restart++) {
      int[] grid = wallsOnly(rng, rng.nextInt(2 * config.walls() + 1));
      if (grid == null) {
        continue;
      }
      int h = config.height();
      int w = config.width();
      switch (rng.nextInt(3)) {
        case 0 -> {
          for (int r = 2; r < h - 1; r += 2) {
            for (int c = 2; c < w - 1; c += 2) {
              grid[r * w + c] = Maze.WALL;
            }
          }
        }
        case 1 -> {
          List<Integer> interiorWalls = new ArrayList<>();
          for (int r = 1; r < h - 1; r++) {
            for (int c = 1; c < w - 1; c++) {
              if (grid[r * w + c] == Maze.WALL) {
                interiorWalls.add(r * w + c);
              }
            }
          }
          for (int k = 1 + rng.nextInt(3); k > 0 && !interiorWalls.isEmpty(); k--) {
            grid[interiorWalls.remove(rng.nextInt(interiorWalls.size()))] = Maze.EMPTY;
          }
        }
        default -> { }
      }
      Maze maze = placeStartAndGoal(grid, rng, rng.nextDouble(), 1);
      if (maze != null) {
        return maze;
      }
    }
    throw new IllegalStateException("could not draw a varied " + config.height() + "x" + config.width() + " maze after "
        + RESTARTS + " restarts");
  }

  /**
   * The canonical shortest path from the maze's start to its goal, as the cells strictly between them in
   * walking order (empty when they are adjacent). When several shortest paths exist (a third of 7×7 mazes
   * have more than one), it is the one whose cells, sorted by position, come first lexicographically: in
   * row-major order, each cell is on the path whenever some shortest path through the cells chosen so far
   * can take it. The answer is then a function of the maze, as a puzzle's should be. A tie broken at random
   * instead leaves the training target several answers, and a model decoding cell by cell mixes them into
   * branched, wrong paths (the recipe search in {@code docs/recipes/maze-7x7/report.md} compares runs
   * trained both ways). Any order can learn this rule, and left-to-right decoding meets it greedily: take
   * the first cell that still fits.
   */
  public static int[] shortestPath(Maze maze) {
    return shortestPath(maze, new int[0]);
  }

  /**
   * The canonical shortest path through {@code waypoints}: of the shortest start-to-goal paths that take every
   * waypoint, the one whose cells, sorted by position, come first, chosen by the same row-major rule as
   * {@link #shortestPath(Maze)} (which is this with no waypoints). A model that learned that rule meets a
   * given path cell with the same rule it uses everywhere else, so detour training ({@code
   * MazeConfig.detourShare}) teaches it one more case of one rule rather than a second one.
   *
   * @throws IllegalArgumentException when no shortest path takes every waypoint
   */
  public static int[] shortestPath(Maze maze, int... waypoints) {
    int n = maze.height() * maze.width();
    int[] fromStart = maze.distancesFrom(maze.start());
    int[] toGoal = maze.distancesFrom(maze.goal());
    int length = fromStart[maze.goal()];
    if (length < 0) {
      throw new IllegalArgumentException("goal is unreachable from start in " + maze);
    }
    // layer[k] holds the cells k steps from the start on some shortest path; a path takes one cell per layer
    int[] layerOf = new int[n];
    Arrays.fill(layerOf, -1);
    for (int cell = 0; cell < n; cell++) {
      int k = fromStart[cell];
      if (k > 0 && k < length && toGoal[cell] >= 0 && k + toGoal[cell] == length) {
        layerOf[cell] = k;
      }
    }
    int[] chosen = new int[length + 1];
    Arrays.fill(chosen, -1);
    chosen[0] = maze.start();
    chosen[length] = maze.goal();
    boolean[] excluded = new boolean[n];
    for (int w : waypoints) {
      int k = layerOf[w];
      if (k < 0 || (chosen[k] >= 0 && chosen[k] != w)) {
        throw new IllegalArgumentException("no shortest path of " + maze + " goes through cells " + Arrays.toString(waypoints));
      }
      chosen[k] = w;
    }
    if (!connects(maze, layerOf, chosen, excluded, length)) {
      throw new IllegalArgumentException("no shortest path of " + maze + " goes through cells " + Arrays.toString(waypoints));
    }
    for (int cell = 0; cell < n; cell++) {
      int k = layerOf[cell];
      if (k < 0 || chosen[k] == cell) {
        continue;
      }
      if (chosen[k] < 0) {
        chosen[k] = cell;
        if (connects(maze, layerOf, chosen, excluded, length)) {
          continue;
        }
        chosen[k] = -1;
      }
      excluded[cell] = true;
    }
    return Arrays.copyOfRange(chosen, 1, length);
  }

  /**
   * Whether a shortest path exists that takes every chosen cell ({@code chosen[k]} for layer {@code k},
   * -1 for a free layer) and no excluded one.
   */
  private static boolean connects(Maze maze, int[] layerOf, int[] chosen, boolean[] excluded, int length) {
    int n = layerOf.length;
    boolean[] reached = new boolean[n];
    reached[maze.start()] = true;
    int[] nb = new int[4];
    for (int k = 1; k <= length; k++) {
      boolean any = false;
      for (int cell = 0; cell < n; cell++) {
        boolean inLayer = k == length ? cell == maze.goal() : layerOf[cell] == k;
        if (!inLayer || excluded[cell] || (chosen[k] >= 0 && chosen[k] != cell)) {
          continue;
        }
        int m = Maze.neighbours(maze.height(), maze.width(), cell, nb);
        for (int i = 0; i < m && !reached[cell]; i++) {
          int prev = nb[i];
          reached[cell] = reached[prev] && (k == 1 ? prev == maze.start() : layerOf[prev] == k - 1);
        }
        any |= reached[cell];
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  private int[] wallsOnly(Random rng, int walls) {
    int h = config.height();
    int w = config.width();
    int[] grid = new int[h * w];
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        if (r == 0 || c == 0 || r == h - 1 || c == w - 1) {
          grid[r * w + c] = Maze.WALL;
        }
      }
    }
    int placed = 0;
    for (int attempt = 0; placed < walls; attempt++) {
      if (attempt >= ATTEMPTS_PER_WALL * walls) {
        return null;
      }
      boolean vertical = rng.nextBoolean();
      int along = vertical ? h : w;
      int across = vertical ? w : h;
      int line = 2 + 2 * rng.nextInt((across - 3) / 2); // an interior even row/column
      int a = 2 * rng.nextInt((along + 1) / 2);
      int b = 2 * rng.nextInt((along + 1) / 2);
      int from = Math.min(a, b);
      int to = Math.max(a, b);
      if (to - from < 2 || to - from > Math.max(2, along / 2)) {
        continue;
      }
      int touching = 0;
      for (int t = from; t <= to; t++) {
        int cell = vertical ? t * w + line : line * w + t;
        touching += grid[cell] == Maze.WALL ? 1 : 0;
      }
      if (touching > 1) {
        continue;
      }
      for (int t = from; t <= to; t++) {
        grid[vertical ? t * w + line : line * w + t] = Maze.WALL;
      }
      placed++;
    }
    return grid;
  }

  /** Start and goal on open cells at least {@code max(least, ceil(fraction · diameter))} steps apart, or null. */
  private Maze placeStartAndGoal(int[] grid, Random rng, double fraction, int least) {
    int h = config.height();
    int w = config.width();
    List<Integer> empty = new ArrayList<>();
    for (int i = 0; i < grid.length; i++) {
      if (grid[i] == Maze.EMPTY) {
        empty.add(i);
      }
    }
    if (empty.size() < 2) {
      return null;
    }
    int[][] dist = new int[grid.length][];
    int diameter = 0;
    for (int cell : empty) {
      dist[cell] = Maze.distances(h, w, grid, cell);
      for (int other : empty) {
        if (dist[cell][other] < 0) {
          return null; // disconnected free space; cannot happen with forest walls, but never trust it
        }
        diameter = Math.max(diameter, dist[cell][other]);
      }
    }
    int needed = Math.max(least, (int) Math.ceil(fraction * diameter));
    List<Integer> starts = new ArrayList<>();
    for (int cell : empty) {
      for (int other : empty) {
        if (dist[cell][other] >= needed) {
          starts.add(cell);
          break;
        }
      }
    }
    if (starts.isEmpty()) {
      return null;
    }
    int start = starts.get(rng.nextInt(starts.size()));
    List<Integer> goals = new ArrayList<>();
    for (int other : empty) {
      if (dist[start][other] >= needed) {
        goals.add(other);
      }
    }
    int goal = goals.get(rng.nextInt(goals.size()));
    int[] tokens = grid.clone();
    tokens[start] = Maze.START;
    tokens[goal] = Maze.GOAL;
    return new Maze(h, w, tokens);
  }

  /** The diameter of a maze's free space: the longest shortest path between two open cells. */
  public static int diameter(Maze maze) {
    int diameter = 0;
    for (int cell = 0; cell < maze.height() * maze.width(); cell++) {
      if (maze.isOpen(cell)) {
        for (int d : maze.distancesFrom(cell)) {
          diameter = Math.max(diameter, d);
        }
      }
    }
    return diameter;
  }
}
