package dev.anyorder.tasks.maze;

import java.util.ArrayList;
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
      int[] grid = wallsOnly(rng);
      if (grid == null) {
        continue;
      }
      Maze maze = placeStartAndGoal(grid, rng);
      if (maze != null) {
        return maze;
      }
    }
    throw new IllegalStateException("could not draw a " + h + "x" + w + " maze with " + config.walls()
        + " walls and start/goal at least " + config.minDistanceFraction() + " of the diameter apart after "
        + RESTARTS + " restarts; use fewer walls");
  }

  /**
   * A random shortest path from the maze's start to its goal, as the cells strictly between them in walking
   * order (empty when they are adjacent). Ties between shortest paths are broken by {@code rng}.
   */
  public static int[] shortestPath(Maze maze, Random rng) {
    int[] dist = maze.distancesFrom(maze.start());
    int goal = maze.goal();
    if (dist[goal] < 0) {
      throw new IllegalArgumentException("goal is unreachable from start in " + maze);
    }
    int[] path = new int[Math.max(0, dist[goal] - 1)];
    int[] nb = new int[4];
    int[] choices = new int[4];
    int cur = goal;
    for (int k = path.length - 1; k >= 0; k--) {
      int n = Maze.neighbours(maze.height(), maze.width(), cur, nb);
      int c = 0;
      for (int i = 0; i < n; i++) {
        if (dist[nb[i]] == dist[cur] - 1) {
          choices[c++] = nb[i];
        }
      }
      cur = choices[rng.nextInt(c)];
      path[k] = cur;
    }
    return path;
  }

  private int[] wallsOnly(Random rng) {
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
    for (int attempt = 0; placed < config.walls(); attempt++) {
      if (attempt >= ATTEMPTS_PER_WALL * config.walls()) {
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

  private Maze placeStartAndGoal(int[] grid, Random rng) {
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
    int needed = Math.max(2, (int) Math.ceil(config.minDistanceFraction() * diameter));
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
