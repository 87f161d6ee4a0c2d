package dev.anyorder.tasks.maze;

import java.util.Arrays;

/**
 * One maze of the picoclvr maze task (Fleuret; used by the σ-GPT paper): a row-major grid of {@link
 * #EMPTY}/{@link #WALL} cells plus the start and goal cells, with breadth-first search over empty cells
 * (4-neighbourhood). Immutable.
 */
public final class Maze {

  /** Token of an empty cell. */
  public static final int EMPTY = 0;
  /** Token of a wall cell. */
  public static final int WALL = 1;
  /** Token of the start cell. */
  public static final int START = 2;
  /** Token of the goal cell. */
  public static final int GOAL = 3;
  /** Token of a cell on the path (second half of a sequence only). */
  public static final int PATH = 4;
  /** Number of tokens. */
  public static final int VOCAB = 5;

  private final int height;
  private final int width;
  private final int[] tokens;
  private final int start;
  private final int goal;

  /**
   * A maze from its token grid (row-major, {@code height·width} tokens of which exactly one START, one
   * GOAL, the rest EMPTY or WALL).
   */
  public Maze(int height, int width, int[] tokens) {
    if (height < 1 || width < 1 || tokens.length != height * width) {
      throw new IllegalArgumentException(
          "a " + height + "x" + width + " maze needs " + height * width + " tokens, got " + tokens.length);
    }
    int s = -1;
    int g = -1;
    for (int i = 0; i < tokens.length; i++) {
      switch (tokens[i]) {
        case EMPTY, WALL -> { }
        case START -> {
          if (s >= 0) {
            throw new IllegalArgumentException("maze has two start cells, at " + s + " and " + i);
          }
          s = i;
        }
        case GOAL -> {
          if (g >= 0) {
            throw new IllegalArgumentException("maze has two goal cells, at " + g + " and " + i);
          }
          g = i;
        }
        default -> throw new IllegalArgumentException("maze cell " + i + " has token " + tokens[i]
            + "; only empty (0), wall (1), start (2) and goal (3) are allowed");
      }
    }
    if (s < 0 || g < 0) {
      throw new IllegalArgumentException("maze needs one start and one goal cell");
    }
    this.height = height;
    this.width = width;
    this.tokens = tokens.clone();
    this.start = s;
    this.goal = g;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** Row-major cell index of the start. */
  public int start() {
    return start;
  }

  /** Row-major cell index of the goal. */
  public int goal() {
    return goal;
  }

  /** The token grid, row-major (a copy). */
  public int[] tokens() {
    return tokens.clone();
  }

  /** Token of one cell. */
  public int token(int cell) {
    return tokens[cell];
  }

  /** Whether a cell can be walked on (anything but a wall). */
  public boolean isOpen(int cell) {
    return tokens[cell] != WALL;
  }

  /**
   * Fills {@code out} (length ≥ 4) with the in-grid 4-neighbours of a cell (up, left, right, down) and
   * returns how many there are.
   */
  public static int neighbours(int height, int width, int cell, int[] out) {
    int r = cell / width;
    int c = cell % width;
    int n = 0;
    if (r > 0) {
      out[n++] = cell - width;
    }
    if (c > 0) {
      out[n++] = cell - 1;
    }
    if (c < width - 1) {
      out[n++] = cell + 1;
    }
    if (r < height - 1) {
      out[n++] = cell + width;
    }
    return n;
  }

  /** BFS distances in steps from a cell over open cells; -1 where unreachable (and on walls). */
  public int[] distancesFrom(int from) {
    return distances(height, width, tokens, from);
  }

  static int[] distances(int height, int width, int[] grid, int from) {
    int[] dist = new int[grid.length];
    Arrays.fill(dist, -1);
    if (grid[from] == WALL) {
      return dist;
    }
    int[] queue = new int[grid.length];
    int[] nb = new int[4];
    int head = 0;
    int tail = 0;
    queue[tail++] = from;
    dist[from] = 0;
    while (head < tail) {
      int cell = queue[head++];
      int n = neighbours(height, width, cell, nb);
      for (int k = 0; k < n; k++) {
        int next = nb[k];
        if (dist[next] < 0 && grid[next] != WALL) {
          dist[next] = dist[cell] + 1;
          queue[tail++] = next;
        }
      }
    }
    return dist;
  }

  /** Steps of a shortest start-to-goal path, or -1 when the goal cannot be reached. */
  public int shortestDistance() {
    return distancesFrom(start)[goal];
  }

  /** The maze with the path cells marked {@link #PATH}: the second half of a task sequence. */
  public int[] withPath(int[] pathCells) {
    int[] marked = tokens.clone();
    for (int cell : pathCells) {
      if (marked[cell] != EMPTY) {
        throw new IllegalArgumentException("path cell " + cell + " is not empty (token " + marked[cell] + ")");
      }
      marked[cell] = PATH;
    }
    return marked;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Maze m && m.height == height && m.width == width && Arrays.equals(m.tokens, tokens);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tokens) * 31 + width;
  }

  @Override
  public String toString() {
    return "Maze[" + height + "x" + width + ", start=" + start + ", goal=" + goal + "]";
  }
}
