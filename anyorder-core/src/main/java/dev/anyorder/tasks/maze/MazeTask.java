package dev.anyorder.tasks.maze;

import dev.anyorder.model.PositionGrid;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.tasks.PuzzleBoard;
import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.Task;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.TaskKind;
import dev.anyorder.tasks.TaskScore;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The maze path-finding task of Fleuret's picoclvr, as used in the σ-GPT paper (Pannatier, Courdier,
 * Fleuret 2024). A sequence is the maze grid flattened row-major followed by the same grid with the cells
 * of a shortest start-to-goal path marked {@link Maze#PATH}: length {@code 2·H·W} ({@code 2·(H-2)·(W-2)}
 * interior only), vocabulary {@link Maze#VOCAB}. The first half is known at solve time.
 *
 * <p><b>Lean encoding</b> ({@link MazeConfig#fixedCellsGiven()}): the prompt fixes every solution cell
 * that is not empty in the maze (walls, start, goal: the solution grid copies them), so those cells are
 * given too and only the open cells are generated; a maze then costs one network evaluation per open cell
 * with sequential decoding instead of one per cell. Any sampler of an any-order model conditions on them
 * as on the prompt. A model trained left to right on whole sequences has never seen later cells before
 * earlier ones, so it should be trained in the same layout ({@code TrainConfig.knownFromData} with
 * prompt-first orders: maze, then the fixed solution cells, both in position order, then the open cells in
 * the order the schedule draws, loss on the open cells only). Whether to do so is a recipe choice, recorded
 * in the model's training record; the known mask of each training sequence is {@link #knownMaskOf}.
 *
 * <p><b>Waypoints</b> ({@link #withAlternativeRoute}): in a maze with several shortest paths, a few cells of
 * one that is not the canonical path are given as path cells as well. Since samplers never change given tokens, a solution that ignores them
 * leaves them as stray path cells and is not {@code correct}; {@code throughWaypoints} (reported for such
 * instances only) says whether the walk from the start along path cells reaches the goal, never branching,
 * through every waypoint, so a model that solved the maze its own way scores 0 there.
 *
 * <p><b>Interior only</b> ({@link MazeConfig#interiorOnly()}): each half holds the interior cells only, since
 * the border is walls in every maze; {@link #grid} restores whole grids, and every method here speaks in grid
 * cells except where it says sequence index.
 *
 * <p>{@link #check} reports {@code promptKept} (first half equals the instance's maze), {@code correct}
 * (prompt kept, maze unchanged off the path, path cells only on empty cells, path cells one unbranched
 * chain from next to the start to next to the goal with no extra pieces), {@code optimal} (correct and
 * as short as a BFS shortest path), {@code pathLength} (path cells generated) and {@code shortestLength}
 * (path cells of a shortest path).
 *
 * <p>Train/test: an instance goes to the split {@link Split#of} assigns to its maze (first half), so a
 * maze seen in training never appears in testing.
 */
public final class MazeTask implements Task {
  private static final Pattern NAME = Pattern.compile("maze(?:-(\\d{1,3})x(\\d{1,3}))?");

  /**
   * Rebuilds a maze task from its record ({@code maze}, {@code maze-7x7}, or an object with a size and
   * settings). A record that leaves out the wall count or distance gets the size rule the demo and the
   * benchmarks trained with ({@link MazeConfig#parse}), which is what models recording only a name used.
   */
  public static final TaskKind KIND = (name, params) -> {
    Matcher m = NAME.matcher(name);
    return m.matches() ? Optional.of(new MazeTask(configOf(m, params))) : Optional.empty();
  };

  private static MazeConfig configOf(Matcher m, JsonNode params) {
    Integer h = m.group(1) != null ? Integer.valueOf(m.group(1)) : null;
    Integer w = m.group(2) != null ? Integer.valueOf(m.group(2)) : null;
    if (params != null && params.has("height")) {
      h = TaskKind.intParam(params, "height", 0);
    }
    if (params != null && params.has("width")) {
      w = TaskKind.intParam(params, "width", 0);
    }
    if (h == null && w == null && params == null) {
      return MazeConfig.defaults();
    }
    MazeConfig d = MazeConfig.defaults();
    MazeConfig shape = MazeConfig.parse((h == null ? d.height() : h) + "x" + (w == null ? d.width() : w));
    int walls = TaskKind.intParam(params, "walls", shape.walls());
    double fraction = TaskKind.doubleParam(params, "minDistanceFraction", shape.minDistanceFraction());
    // Models trained on the lean encoding never learned the fixed cells, so they must be given them again.
    boolean fixedCellsGiven = params != null && params.path("fixedCellsGiven").asBoolean(false);
    boolean interiorOnly = params != null && params.path("interiorOnly").asBoolean(false);
    double detourShare = TaskKind.doubleParam(params, "detourShare", 0);
    double variedShare = TaskKind.doubleParam(params, "variedShare", 0);
    return new MazeConfig(shape.height(), shape.width(), walls, fraction, fixedCellsGiven, interiorOnly, detourShare,
        variedShare);
  }

  @Override
  public ObjectNode record() {
    return JsonNodeFactory.instance.objectNode().put("kind", "maze").put("name", name()).put("height", config.height())
        .put("width", config.width()).put("walls", config.walls()).put("minDistanceFraction", config.minDistanceFraction())
        .put("fixedCellsGiven", config.fixedCellsGiven()).put("interiorOnly", config.interiorOnly())
        .put("detourShare", config.detourShare()).put("variedShare", config.variedShare());
  }

  /**
   * The page draws the encoded grid; an answer is solved when {@link #check} says {@code correct}. Wrong
   * cells of an unsolved answer: solution cells that change the maze or hold something other than open
   * floor or path, and path cells not on one chain from the start (not connected to it, or with other than
   * two neighbours among path, start and goal), since a correct path may differ from the reference one.
   */
  @Override
  public Optional<PuzzleBoard> board() {
    return Optional.of(new PuzzleBoard() {
      @Override
      public String kind() {
        return "maze";
      }

      @Override
      public int height() {
        return config.encodedHeight();
      }

      @Override
      public int width() {
        return config.encodedWidth();
      }

      @Override
      public boolean solved(TaskScore score) {
        return score.is("correct");
      }

      @Override
      public int[] wrongPositions(TaskInstance instance, int[] generated) {
        return wrongCells(instance, generated);
      }
    });
  }

  private int[] wrongCells(TaskInstance instance, int[] generated) {
    Maze maze = maze(instance);
    int h = maze.height();
    int w = maze.width();
    int n = h * w;
    TreeSet<Integer> wrong = new TreeSet<>();
    for (int i = 0; i < generated.length / 2; i++) {
      if (generated[i] != instance.token(i)) {
        wrong.add(i);
      }
    }
    int[] solution = grid(generated, 1);
    boolean[] path = new boolean[n];
    for (int cell = 0; cell < n; cell++) {
      int m = maze.token(cell);
      int g = solution[cell];
      if (m == Maze.EMPTY ? g != Maze.EMPTY && g != Maze.PATH : g != m) {
        wrong.add(sequenceIndex(1, cell));
      }
      path[cell] = m == Maze.EMPTY && g == Maze.PATH;
    }
    // Path cells reached from the start through path cells; the rest are stray pieces.
    boolean[] reached = new boolean[n];
    int[] queue = new int[n];
    int[] nb = new int[4];
    int head = 0;
    int tail = 0;
    queue[tail++] = maze.start();
    while (head < tail) {
      int cell = queue[head++];
      int k = Maze.neighbours(h, w, cell, nb);
      for (int i = 0; i < k; i++) {
        if (path[nb[i]] && !reached[nb[i]]) {
          reached[nb[i]] = true;
          queue[tail++] = nb[i];
        }
      }
    }
    for (int cell = 0; cell < n; cell++) {
      if (!path[cell]) {
        continue;
      }
      int around = 0;
      int k = Maze.neighbours(h, w, cell, nb);
      for (int i = 0; i < k; i++) {
        around += path[nb[i]] || nb[i] == maze.start() || nb[i] == maze.goal() ? 1 : 0;
      }
      if (!reached[cell] || around != 2) {
        wrong.add(sequenceIndex(1, cell));
      }
    }
    return wrong.stream().mapToInt(Integer::intValue).toArray();
  }

  private static final int CELL_PIXELS = 8;

  private final MazeConfig config;
  private final MazeGenerator generator;
  /** The grid cell of each index of a half, in increasing order. */
  private final int[] encodedCells;
  /** The index within a half of each grid cell, -1 for a border cell left out. */
  private final int[] slotOfCell;

  public MazeTask(MazeConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.generator = new MazeGenerator(config);
    this.encodedCells = new int[config.encodedCells()];
    this.slotOfCell = new int[config.cells()];
    Arrays.fill(slotOfCell, -1);
    int border = config.interiorOnly() ? 1 : 0;
    for (int r = border, k = 0; r < config.height() - border; r++) {
      for (int c = border; c < config.width() - border; c++, k++) {
        encodedCells[k] = r * config.width() + c;
        slotOfCell[encodedCells[k]] = k;
      }
    }
  }

  public MazeConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "maze-" + config.height() + "x" + config.width();
  }

  @Override
  public int vocabSize() {
    return Maze.VOCAB;
  }

  @Override
  public int length() {
    return 2 * config.encodedCells();
  }

  /**
   * The sequence index of grid cell {@code cell} in half {@code half} (0: the maze, 1: the solution), or -1
   * for a border cell the encoding leaves out.
   */
  public int sequenceIndex(int half, int cell) {
    if (half < 0 || half > 1 || cell < 0 || cell >= config.cells()) {
      throw new IndexOutOfBoundsException("half " + half + ", cell " + cell + " of a " + name() + " grid");
    }
    int slot = slotOfCell[cell];
    return slot < 0 ? -1 : half * config.encodedCells() + slot;
  }

  /**
   * Half {@code half} of a sequence (0: the maze, 1: the solution) as a whole grid, row-major; a border left
   * out of the encoding is walls.
   */
  public int[] grid(int[] sequence, int half) {
    int n = config.encodedCells();
    if (sequence.length < (half + 1) * n) {
      throw new IllegalArgumentException("a sequence of " + sequence.length + " tokens has no half " + half + " of "
          + n + " cells");
    }
    int[] grid = new int[config.cells()];
    Arrays.fill(grid, Maze.WALL);
    for (int k = 0; k < n; k++) {
      grid[encodedCells[k]] = sequence[half * n + k];
    }
    return grid;
  }

  private int[] encode(int[] grid) {
    int[] half = new int[encodedCells.length];
    for (int k = 0; k < half.length; k++) {
      half[k] = grid[encodedCells[k]];
    }
    return half;
  }

  /**
   * Half (maze or solution), row and column of each position, over the rows and columns the encoding keeps:
   * a solution cell shares its row and column embeddings with the maze cell it answers.
   */
  @Override
  public java.util.Optional<PositionGrid> positionGrid() {
    int border = config.interiorOnly() ? 1 : 0;
    int rows = config.height() - 2 * border;
    int columns = config.width() - 2 * border;
    int[][] coordinates = new int[length()][];
    for (int half = 0; half < 2; half++) {
      for (int k = 0; k < encodedCells.length; k++) {
        int cell = encodedCells[k];
        coordinates[half * encodedCells.length + k] = new int[] {half, cell / config.width() - border, cell % config.width() - border};
      }
    }
    return java.util.Optional.of(new PositionGrid(List.of("half", "row", "column"), new int[] {2, rows, columns}, coordinates));
  }

  @Override
  public List<TaskInstance> generate(Split split, int count, long seed) {
    Objects.requireNonNull(split, "split");
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    List<TaskInstance> out = new ArrayList<>(count);
    long maxCandidates = 1000L * Split.TEST_ONE_IN * (count + 10);
    for (long k = 0; out.size() < count; k++) {
      if (k >= maxCandidates) {
        throw new IllegalStateException("could not find " + count + " " + split + " mazes among " + k
            + " candidates; the maze space of " + config + " is too small");
      }
      Random rng = new Random(Split.mix(seed ^ Split.mix(k + 1)));
      Maze maze = generator.generate(rng);
      // Drawn after the configured maze and only with a varied share: a pool without one is the same as before
      // the share existed, and the configured mazes of a pool with one are the configured pool's.
      if (split == Split.TRAIN && config.variedShare() > 0 && rng.nextDouble() < config.variedShare()) {
        maze = generator.generateVaried(rng);
      }
      if (Split.of(maze.tokens()) != split) {
        continue;
      }
      TaskInstance canonical = instance(maze, MazeGenerator.shortestPath(maze));
      boolean detour = split == Split.TRAIN && config.detourShare() > 0 && rng.nextDouble() < config.detourShare();
      out.add(detour ? withAlternativeRoute(canonical, 1).orElse(canonical) : canonical);
    }
    return out;
  }

  /** The task instance for a maze and a path (cells strictly between start and goal). */
  public TaskInstance instance(Maze maze, int[] pathCells) {
    if (maze.height() != config.height() || maze.width() != config.width()) {
      throw new IllegalArgumentException("maze is " + maze.height() + "x" + maze.width() + " but the task is "
          + config.height() + "x" + config.width());
    }
    int n = config.encodedCells();
    int[] seq = new int[2 * n];
    System.arraycopy(encode(maze.tokens()), 0, seq, 0, n);
    System.arraycopy(encode(maze.withPath(pathCells)), 0, seq, n, n);
    return new TaskInstance(seq, knownMask(seq));
  }

  /** The prompt mask: the first half (the maze) is known, the second half is to be generated. */
  public boolean[] knownMask() {
    boolean[] known = new boolean[length()];
    Arrays.fill(known, 0, config.encodedCells(), true);
    return known;
  }

  /**
   * The known mask of an instance with this full sequence: the maze, plus, with {@link
   * MazeConfig#fixedCellsGiven()}, every solution cell whose maze cell is not empty, plus, with detour
   * training ({@link MazeConfig#detourShare()} above 0), the waypoint of a path that leaves the canonical
   * one: its off-canonical cell nearest the middle, the cell {@link #withAlternativeRoute} gives. Training
   * reads the known positions of its sequences from here, so a detour is trained with its waypoint given.
   */
  public boolean[] knownMask(int[] sequence) {
    requireLength(sequence.length, "sequence");
    boolean[] known = knownMask();
    if (config.fixedCellsGiven()) {
      int n = config.encodedCells();
      for (int k = 0; k < n; k++) {
        known[n + k] = sequence[k] != Maze.EMPTY;
      }
    }
    if (config.detourShare() > 0) {
      Maze maze = new Maze(config.height(), config.width(), grid(sequence, 0));
      int[] solution = grid(sequence, 1);
      int[] onPath = Arrays.stream(encodedCells).filter(cell -> solution[cell] == Maze.PATH).toArray();
      int[] detour = offCanonicalNearestMiddle(maze, onPath);
      if (detour.length > 0) {
        known[sequenceIndex(1, detour[0])] = true;
      }
    }
    return known;
  }

  @Override
  public java.util.Optional<boolean[]> knownMaskOf(int[] sequence) {
    return java.util.Optional.of(knownMask(sequence));
  }

  /**
   * The alternative-route variant of an instance, for mazes with more than one shortest path: the pivot is
   * the cell nearest the middle of the path that lies on some shortest path but not on the canonical one
   * ({@link MazeGenerator#shortestPath}); the reference solution becomes the canonical path through the
   * pivot, and the {@code count} cells of it nearest its middle that are off the canonical path (the pivot
   * first) are given as path cells. A model that ignores the given cells draws the canonical path, which
   * misses them, so this is the waypoint test a model passes only by conditioning on them.
   *
   * @return empty when the shortest path is unique, or the other path has fewer than {@code count} cells off
   *     the canonical one
   */
  public java.util.Optional<TaskInstance> withAlternativeRoute(TaskInstance instance, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("need at least 1 waypoint, got " + count);
    }
    Maze maze = maze(instance);
    int[] pivots = offCanonicalNearestMiddle(maze, java.util.stream.IntStream.range(0, config.cells()).toArray());
    if (pivots.length == 0) {
      return java.util.Optional.empty();
    }
    int[] path = MazeGenerator.shortestPath(maze, pivots[0]);
    int[] offCanonical = offCanonicalNearestMiddle(maze, path);
    if (offCanonical.length < count) {
      return java.util.Optional.empty();
    }
    TaskInstance alternative = instance(maze, path);
    boolean[] known = alternative.known();
    for (int i = 0; i < count; i++) {
      known[sequenceIndex(1, offCanonical[i])] = true;
    }
    return java.util.Optional.of(new TaskInstance(alternative.sequence(), known));
  }

  /**
   * The cells of {@code cells} that lie on some shortest path but not on the canonical one, nearest the
   * middle of the path first (ties: lower cell first). Detour training marks the first as given in the known
   * mask it derives from a sequence, so it must pick what {@link #withAlternativeRoute} gives.
   */
  private static int[] offCanonicalNearestMiddle(Maze maze, int[] cells) {
    int[] fromStart = maze.distancesFrom(maze.start());
    int[] toGoal = maze.distancesFrom(maze.goal());
    int length = fromStart[maze.goal()];
    boolean[] canonical = new boolean[maze.height() * maze.width()];
    for (int cell : MazeGenerator.shortestPath(maze)) {
      canonical[cell] = true;
    }
    return Arrays.stream(cells)
        .filter(c -> !canonical[c] && fromStart[c] > 0 && toGoal[c] > 0 && fromStart[c] + toGoal[c] == length).boxed()
        .sorted(java.util.Comparator.<Integer>comparingInt(c -> Math.abs(2 * fromStart[c] - length)).thenComparingInt(c -> c))
        .mapToInt(Integer::intValue).toArray();
  }

  /** The reference path of an instance (its solution half), start side first; empty when start and goal touch. */
  public int[] pathInWalkingOrder(TaskInstance instance) {
    Maze maze = maze(instance);
    int[] solution = grid(instance.sequence(), 1);
    int cells = 0;
    for (int t : solution) {
      cells += t == Maze.PATH ? 1 : 0;
    }
    int[] path = new int[cells];
    int[] nb = new int[4];
    int prev = -1;
    int cur = maze.start();
    for (int i = 0; i < cells; i++) {
      int next = -1;
      int k = Maze.neighbours(config.height(), config.width(), cur, nb);
      for (int j = 0; j < k && next < 0; j++) {
        if (nb[j] != prev && solution[nb[j]] == Maze.PATH) {
          next = nb[j];
        }
      }
      if (next < 0) {
        throw new IllegalArgumentException("the instance's path cells do not form one chain from the start");
      }
      path[i] = next;
      prev = cur;
      cur = next;
    }
    return path;
  }

  /** Solution cells given as path cells (waypoints), in increasing order. */
  private int[] waypoints(TaskInstance instance) {
    return Arrays.stream(encodedCells).filter(cell -> {
      int index = sequenceIndex(1, cell);
      return instance.isKnown(index) && instance.token(index) == Maze.PATH;
    }).toArray();
  }

  /**
   * Whether the walk from the start along path cells reaches a neighbour of the goal without ever having a
   * choice of next cell, visiting every waypoint on the way. A path drawn past a waypoint that stays as a
   * stray cell beside it branches there, so it does not count; pieces of path elsewhere are left to
   * {@code correct}.
   */
  private boolean throughWaypoints(Maze maze, int[] solution, int[] waypoints) {
    int n = config.cells();
    boolean[] visited = new boolean[n];
    int[] nb = new int[4];
    int cur = maze.start();
    visited[cur] = true;
    while (true) {
      int k = Maze.neighbours(config.height(), config.width(), cur, nb);
      int next = -1;
      int choices = 0;
      for (int i = 0; i < k; i++) {
        if (nb[i] == maze.goal()) {
          for (int w : waypoints) {
            if (!visited[w]) {
              return false;
            }
          }
          return true;
        }
        if (!visited[nb[i]] && solution[nb[i]] == Maze.PATH) {
          next = nb[i];
          choices++;
        }
      }
      if (choices != 1) {
        return false;
      }
      visited[next] = true;
      cur = next;
    }
  }

  /** The maze of an instance (its first half). */
  public Maze maze(TaskInstance instance) {
    requireLength(instance.length(), "instance");
    return new Maze(config.height(), config.width(), grid(instance.sequence(), 0));
  }

  @Override
  public TaskScore check(TaskInstance instance, int[] generated) {
    requireLength(generated.length, "generated sequence");
    Maze maze = maze(instance);
    int n = config.cells();
    boolean promptKept = true;
    for (int i = 0; i < config.encodedCells(); i++) {
      promptKept &= generated[i] == instance.token(i);
    }
    int[] solution = grid(generated, 1);
    boolean mazeKept = true;
    int pathCells = 0;
    for (int cell = 0; cell < n; cell++) {
      int m = maze.token(cell);
      int g = solution[cell];
      if (m == Maze.EMPTY) {
        mazeKept &= g == Maze.EMPTY || g == Maze.PATH;
        pathCells += g == Maze.PATH ? 1 : 0;
      } else {
        mazeKept &= g == m;
      }
    }
    boolean chain = mazeKept && isSingleChain(maze, solution, pathCells);
    boolean correct = promptKept && chain;
    int shortest = maze.shortestDistance() - 1;
    TaskScore.Builder score = TaskScore.builder()
        .put("promptKept", promptKept)
        .put("correct", correct)
        .put("optimal", correct && pathCells == shortest)
        .put("pathLength", pathCells)
        .put("shortestLength", shortest);
    int[] waypoints = waypoints(instance);
    if (waypoints.length > 0) {
      score.put("throughWaypoints", promptKept && throughWaypoints(maze, solution, waypoints));
    }
    return score.build();
  }

  /**
   * Whether the PATH cells of {@code solution} form one unbranched chain from a neighbour of the start to a
   * neighbour of the goal: every path cell has exactly two neighbours among path ∪ {start, goal}, start and
   * goal exactly one path neighbour each, and walking the chain from the start visits every path cell. An
   * empty path is a chain only when start and goal are adjacent.
   */
  private boolean isSingleChain(Maze maze, int[] solution, int pathCells) {
    int h = config.height();
    int w = config.width();
    int start = maze.start();
    int goal = maze.goal();
    int[] nb = new int[4];
    if (pathCells == 0) {
      int k = Maze.neighbours(h, w, start, nb);
      for (int i = 0; i < k; i++) {
        if (nb[i] == goal) {
          return true;
        }
      }
      return false;
    }
    for (int cell = 0; cell < solution.length; cell++) {
      if (solution[cell] == Maze.PATH && countAround(solution, cell, true, nb) != 2) {
        return false;
      }
    }
    if (countAround(solution, start, false, nb) != 1 || countAround(solution, goal, false, nb) != 1) {
      return false;
    }
    int prev = start;
    int cur = pathNeighbour(solution, start, -1, nb);
    int visited = 1;
    while (true) {
      int next = -1;
      int k = Maze.neighbours(h, w, cur, nb);
      for (int i = 0; i < k; i++) {
        int q = nb[i];
        if (q != prev && (solution[q] == Maze.PATH || q == goal || q == start)) {
          next = q;
        }
      }
      if (next == goal) {
        return visited == pathCells;
      }
      if (next < 0 || next == start || visited >= pathCells) {
        return false;
      }
      prev = cur;
      cur = next;
      visited++;
    }
  }

  private int countAround(int[] solution, int cell, boolean endpointsCount, int[] nb) {
    int k = Maze.neighbours(config.height(), config.width(), cell, nb);
    int count = 0;
    for (int i = 0; i < k; i++) {
      int t = solution[nb[i]];
      if (t == Maze.PATH || (endpointsCount && (t == Maze.START || t == Maze.GOAL))) {
        count++;
      }
    }
    return count;
  }

  private int pathNeighbour(int[] solution, int cell, int exclude, int[] nb) {
    int k = Maze.neighbours(config.height(), config.width(), cell, nb);
    for (int i = 0; i < k; i++) {
      if (nb[i] != exclude && solution[nb[i]] == Maze.PATH) {
        return nb[i];
      }
    }
    return -1;
  }

  /** Draws the maze and, for a full-length sequence, the solution grid beside it. */
  @Override
  public String render(int[] sequence) {
    int halves = halves(sequence);
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < config.height(); r++) {
      for (int half = 0; half < halves; half++) {
        if (half > 0) {
          sb.append("   ");
        }
        int[] grid = grid(sequence, half);
        for (int c = 0; c < config.width(); c++) {
          sb.append(symbol(grid[r * config.width() + c]));
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** 1 for a maze alone, 2 for a whole sequence. */
  private int halves(int[] sequence) {
    int n = config.encodedCells();
    if (sequence.length != n && sequence.length != 2 * n) {
      throw new IllegalArgumentException(
          "a " + name() + " sequence has " + n + " or " + 2 * n + " tokens, got " + sequence.length);
    }
    return sequence.length / n;
  }

  private static char symbol(int token) {
    return switch (token) {
      case Maze.EMPTY -> ' ';
      case Maze.WALL -> '#';
      case Maze.START -> 'S';
      case Maze.GOAL -> 'G';
      case Maze.PATH -> '*';
      default -> token < 0 ? '.' : '?';
    };
  }

  /** Coloured cells; for a full-length sequence the solution grid is drawn right of the maze. */
  @Override
  public BufferedImage image(int[] sequence) {
    int n = config.cells();
    int halves = halves(sequence);
    int gridW = config.width() * CELL_PIXELS;
    int imgW = halves * gridW + (halves - 1) * CELL_PIXELS;
    BufferedImage img = new BufferedImage(imgW, config.height() * CELL_PIXELS, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < imgW; x++) {
        img.setRGB(x, y, 0xFFFFFF);
      }
    }
    for (int half = 0; half < halves; half++) {
      int[] grid = grid(sequence, half);
      for (int cell = 0; cell < n; cell++) {
        int rgb = colour(grid[cell]);
        int x0 = half * (gridW + CELL_PIXELS) + (cell % config.width()) * CELL_PIXELS;
        int y0 = (cell / config.width()) * CELL_PIXELS;
        for (int dy = 0; dy < CELL_PIXELS; dy++) {
          for (int dx = 0; dx < CELL_PIXELS; dx++) {
            img.setRGB(x0 + dx, y0 + dy, rgb);
          }
        }
      }
    }
    return img;
  }

  private static int colour(int token) {
    return switch (token) {
      case Maze.EMPTY -> 0xF0F0F0;
      case Maze.WALL -> 0x303030;
      case Maze.START -> 0x20A040;
      case Maze.GOAL -> 0xD03030;
      case Maze.PATH -> 0x3070E0;
      default -> token < 0 ? 0xB0B0B0 : 0xFF00FF;
    };
  }

  @Override
  public String tokenName(int id) {
    return switch (id) {
      case Maze.EMPTY -> "empty";
      case Maze.WALL -> "wall";
      case Maze.START -> "start";
      case Maze.GOAL -> "goal";
      case Maze.PATH -> "path";
      default -> id < 0 ? "?" : "invalid(" + id + ")";
    };
  }

  private void requireLength(int length, String what) {
    if (length != length()) {
      throw new IllegalArgumentException(what + " has " + length + " tokens; " + name() + " sequences have "
          + length());
    }
  }
}
