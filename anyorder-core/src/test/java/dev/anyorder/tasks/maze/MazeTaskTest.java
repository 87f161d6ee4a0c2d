package dev.anyorder.tasks.maze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.TaskScore;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MazeTaskTest {

  private final MazeTask task = new MazeTask(MazeConfig.defaults());

  @Test
  void configRejectsBadShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MazeConfig(8, 11, 3, 0.5));
    assertTrue(e.getMessage().contains("height"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MazeConfig(9, 3, 3, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new MazeConfig(9, 11, -1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new MazeConfig(9, 11, 3, 1.5));
    assertThrows(IllegalArgumentException.class, () -> new MazeConfig(7, 7, 100, 0.5));
  }

  @Test
  void generatedMazesAreWellFormedSolvableAndFarApart() {
    for (MazeConfig config : List.of(MazeConfig.defaults(), MazeConfig.paper(), new MazeConfig(7, 9, 3, 0.5))) {
      MazeTask t = new MazeTask(config);
      int n = config.cells();
      for (TaskInstance inst : t.generate(Split.TRAIN, 50, 42)) {
        assertEquals(2 * n, inst.length());
        Maze maze = t.maze(inst);
        for (int r = 0; r < config.height(); r++) {
          for (int c = 0; c < config.width(); c++) {
            boolean border = r == 0 || c == 0 || r == config.height() - 1 || c == config.width() - 1;
            if (border) {
              assertEquals(Maze.WALL, maze.token(r * config.width() + c));
            }
            if (r % 2 == 1 && c % 2 == 1) {
              assertTrue(maze.isOpen(r * config.width() + c), "odd-odd cells are never walls");
            }
          }
        }
        int d = maze.shortestDistance();
        assertTrue(d >= 2, "goal reachable and not adjacent");
        assertTrue(d >= Math.ceil(0.5 * MazeGenerator.diameter(maze)), "start/goal far apart");
        TaskScore s = t.check(inst, inst.sequence());
        assertTrue(s.is("correct") && s.is("optimal"), "reference solution scores " + s);
        for (int i = 0; i < 2 * n; i++) {
          assertEquals(i < n, inst.isKnown(i));
        }
      }
    }
  }

  @Test
  void generationIsDeterministicFromSeed() {
    assertEquals(task.generate(Split.TRAIN, 20, 7), task.generate(Split.TRAIN, 20, 7));
    assertNotEquals(task.generate(Split.TRAIN, 20, 7), task.generate(Split.TRAIN, 20, 8));
  }

  @Test
  void trainAndTestNeverShareAMaze() {
    Set<String> train = new HashSet<>();
    for (TaskInstance i : task.generate(Split.TRAIN, 2000, 1)) {
      train.add(Arrays.toString(Arrays.copyOf(i.sequence(), task.config().cells())));
    }
    for (TaskInstance i : task.generate(Split.TEST, 2000, 1)) {
      assertFalse(train.contains(Arrays.toString(Arrays.copyOf(i.sequence(), task.config().cells()))));
    }
    // the generator must not collapse onto a handful of mazes
    assertTrue(train.size() > 1500, "train mazes should be mostly distinct: " + train.size());
  }

  // A hand-made 7x7 maze:
  //  #######
  //  #S    #
  //  # ### #
  //  #     #
  //  # ### #
  //  #    G#
  //  #######
  private static final String[] ROWS = {
    "#######",
    "#S    #",
    "# ### #",
    "#     #",
    "# ### #",
    "#    G#",
    "#######",
  };

  private final MazeTask small = new MazeTask(new MazeConfig(7, 7, 0, 0.5));

  private static int[] grid(String... rows) {
    int[] g = new int[rows.length * rows[0].length()];
    int i = 0;
    for (String row : rows) {
      for (char ch : row.toCharArray()) {
        g[i++] = switch (ch) {
          case '#' -> Maze.WALL;
          case 'S' -> Maze.START;
          case 'G' -> Maze.GOAL;
          case '*' -> Maze.PATH;
          default -> Maze.EMPTY;
        };
      }
    }
    return g;
  }

  private TaskInstance smallInstance() {
    Maze maze = new Maze(7, 7, grid(ROWS));
    return small.instance(maze, MazeGenerator.shortestPath(maze));
  }

  private TaskScore score(String... solutionRows) {
    TaskInstance inst = smallInstance();
    int[] gen = inst.sequence();
    System.arraycopy(grid(solutionRows), 0, gen, 49, 49);
    return small.check(inst, gen);
  }

  @Test
  void acceptsOptimalAndNonShortestPaths() {
    TaskScore optimal = score(
        "#######",
        "#S****#",
        "# ###*#",
        "#    *#",
        "# ###*#",
        "#    G#",
        "#######");
    assertTrue(optimal.is("correct") && optimal.is("optimal"), optimal.toString());
    assertEquals(7.0, optimal.get("shortestLength"));
    TaskScore detour = score(
        "#######",
        "#S****#",
        "# ###*#",
        "#*****#",
        "#*### #",
        "#****G#",
        "#######");
    assertTrue(detour.is("correct"), detour.toString());
    assertFalse(detour.is("optimal"), detour.toString());
  }

  @Test
  void rejectsBranchedBrokenWalledAndCyclicPaths() {
    TaskScore branched = score(
        "#######",
        "#S****#",
        "# ###*#",
        "#   **#",
        "# ###*#",
        "#    G#",
        "#######");
    assertFalse(branched.is("correct"), "branch");
    TaskScore broken = score(
        "#######",
        "#S** *#",
        "# ###*#",
        "#    *#",
        "# ###*#",
        "#    G#",
        "#######");
    assertFalse(broken.is("correct"), "gap");
    TaskScore throughWall = score(
        "#######",
        "#S    #",
        "#*### #",
        "#*****#",
        "# ##**#",
        "#    G#",
        "#######");
    assertFalse(throughWall.is("correct"), "path on a wall cell");
    TaskScore extraCycle = score(
        "#######",
        "#S    #",
        "#*### #",
        "#*****#",
        "# ###*#",
        "#**  G#",
        "#######");
    assertFalse(extraCycle.is("correct"), "stray path cells");
    TaskScore noPath = score(ROWS);
    assertFalse(noPath.is("correct"), "empty path with distant start and goal");
  }

  @Test
  void rejectsAlteredMazeOrPrompt() {
    TaskScore movedWall = score(
        "#######",
        "#S****#",
        "# # #*#",
        "#    *#",
        "# ###*#",
        "#    G#",
        "#######");
    assertFalse(movedWall.is("correct"), "removed wall in solution half");
    TaskInstance inst = smallInstance();
    int[] gen = inst.sequence();
    gen[8] = Maze.WALL; // alter the prompt: wall next to the start
    TaskScore s = small.check(inst, gen);
    assertFalse(s.is("promptKept"));
    assertFalse(s.is("correct"));
    assertThrows(IllegalArgumentException.class, () -> small.check(inst, new int[10]));
  }

  @Test
  void rejectsADisconnectedCycleBesideAValidChain() {
    String[] rows = {
      "#######",
      "#S   G#",
      "#     #",
      "#     #",
      "#     #",
      "#     #",
      "#######",
    };
    Maze maze = new Maze(7, 7, grid(rows));
    TaskInstance inst = small.instance(maze, new int[] {9, 10, 11});
    assertTrue(small.check(inst, inst.sequence()).is("optimal"));
    int[] gen = inst.sequence();
    for (int cell : new int[] {7 * 4 + 2, 7 * 4 + 3, 7 * 5 + 2, 7 * 5 + 3}) {
      gen[49 + cell] = Maze.PATH;
    }
    assertFalse(small.check(inst, gen).is("correct"), "a separate 2x2 loop of path cells");
  }

  @Test
  void adjacentStartAndGoalNeedAnEmptyPath() {
    String[] rows = {
      "#######",
      "#SG   #",
      "# ### #",
      "#     #",
      "# ### #",
      "#     #",
      "#######",
    };
    Maze maze = new Maze(7, 7, grid(rows));
    TaskInstance inst = small.instance(maze, new int[0]);
    TaskScore s = small.check(inst, inst.sequence());
    assertTrue(s.is("correct") && s.is("optimal"), s.toString());
    int[] gen = inst.sequence();
    gen[49 + 8 + 7] = Maze.PATH;
    assertFalse(small.check(inst, gen).is("correct"), "a lone path cell under the start");
  }

  @Test
  void rendersTextAndImage() {
    TaskInstance inst = smallInstance();
    String text = small.render(inst.sequence());
    assertEquals(7, text.lines().count());
    assertTrue(text.startsWith("#######   #######\n#S    #   #S"), text);
    assertEquals(7, text.chars().filter(ch -> ch == '*').count());
    assertTrue(small.render(inst.prompt()).contains("......."));
    BufferedImage img = small.image(inst.sequence());
    assertEquals(56, img.getHeight());
    assertEquals(15 * 8, img.getWidth());
    assertEquals("path", small.tokenName(Maze.PATH));
  }

  private final MazeTask lean = new MazeTask(new MazeConfig(7, 7, 0, 0.5, true));

  @Test
  void leanEncodingGivesTheSolutionCellsThePromptFixes() {
    String[] rows = {
      "#######",
      "#S   G#",
      "# ### #",
      "#     #",
      "#     #",
      "#     #",
      "#######",
    };
    Maze maze = new Maze(7, 7, grid(rows));
    TaskInstance inst = lean.instance(maze, new int[] {9, 10, 11});
    int open = 0;
    for (int cell = 0; cell < 49; cell++) {
      assertTrue(inst.isKnown(cell), "the maze is the prompt");
      assertEquals(maze.token(cell) != Maze.EMPTY, inst.isKnown(49 + cell), "cell " + cell);
      open += maze.token(cell) == Maze.EMPTY ? 1 : 0;
    }
    assertEquals(open, 98 - Arrays.stream(toBoxed(inst.known())).filter(k -> k).count(), "only open cells are generated");
    assertArrayEquals(inst.known(), lean.knownMaskOf(inst.sequence()).orElseThrow(), "training sees the solve-time mask");
    assertArrayEquals(small.knownMask(), small.knownMaskOf(inst.sequence()).orElseThrow(), "paper encoding: the maze only");
    assertFalse(new MazeConfig(7, 7, 0, 0.5).fixedCellsGiven(), "old shapes keep the paper's encoding");
    for (TaskInstance generated : new MazeTask(MazeConfig.parse("7x7").withFixedCellsGiven(true)).generate(Split.TEST, 20, 3)) {
      assertTrue(new MazeTask(MazeConfig.parse("7x7").withFixedCellsGiven(true)).check(generated, generated.sequence()).is("optimal"));
    }
  }

  /** A 5x5 room with no inner walls, start top left and goal bottom right: many shortest paths. */
  private static Maze openRoom() {
    String[] rows = {
      "#######",
      "#S    #",
      "#     #",
      "#     #",
      "#     #",
      "#    G#",
      "#######",
    };
    return new Maze(7, 7, grid(rows));
  }

  @Test
  void aWaypointLiesOnAnotherShortestPathAndTheCanonicalPathMissesIt() {
    Maze maze = openRoom();
    int[] canonical = MazeGenerator.shortestPath(maze);
    // the lexicographically first cell set: right along row 1, then down column 5
    assertArrayEquals(new int[] {9, 10, 11, 12, 19, 26, 33}, canonical);
    TaskInstance inst = lean.instance(maze, canonical);
    assertArrayEquals(canonical, lean.pathInWalkingOrder(inst));

    TaskInstance way = lean.withAlternativeRoute(inst, 1).orElseThrow();
    // the off-canonical cell nearest the middle (4 steps from each end) is 18; the reference path bends through it
    assertArrayEquals(new int[] {9, 10, 11, 18, 19, 26, 33}, lean.pathInWalkingOrder(way));
    assertTrue(way.isKnown(49 + 18) && !inst.isKnown(49 + 18), "the waypoint is given");
    assertEquals(1, countKnown(way) - countKnown(inst));
    TaskScore reference = lean.check(way, way.sequence());
    assertTrue(reference.is("correct") && reference.is("optimal") && reference.is("throughWaypoints"), reference.toString());
    assertFalse(lean.check(inst, inst.sequence()).metrics().containsKey("throughWaypoints"), "only waypoint instances report it");

    // the canonical path with the waypoint left as given: a stray cell where the walk branches, so neither
    // correct nor through it
    int[] usual = inst.sequence();
    usual[49 + 18] = Maze.PATH;
    TaskScore ignoring = lean.check(way, usual);
    assertFalse(ignoring.is("correct"), "the given waypoint is a stray path cell");
    assertFalse(ignoring.is("throughWaypoints"), ignoring.toString());

    assertTrue(lean.withAlternativeRoute(inst, 2).isEmpty(), "that route has only one cell off the canonical path");
    assertThrows(IllegalArgumentException.class, () -> lean.withAlternativeRoute(inst, 0));
  }

  @Test
  void theCanonicalPathThroughAWaypointFollowsTheSameRowMajorRule() {
    Maze maze = openRoom();
    assertArrayEquals(MazeGenerator.shortestPath(maze), MazeGenerator.shortestPath(maze, new int[0]));
    assertArrayEquals(MazeGenerator.shortestPath(maze), MazeGenerator.shortestPath(maze, 11), "a cell it takes anyway");
    // down column 1 to the waypoint, then the row-major rule again: right along row 4, down at the end
    assertArrayEquals(new int[] {15, 22, 29, 30, 31, 32, 33}, MazeGenerator.shortestPath(maze, 29));
    assertArrayEquals(new int[] {15, 16, 23, 24, 25, 26, 33}, MazeGenerator.shortestPath(maze, 15, 23));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MazeGenerator.shortestPath(maze, 9, 15));
    assertTrue(e.getMessage().contains("no shortest path"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MazeGenerator.shortestPath(maze, 0), "a wall");
  }

  @Test
  void aMazeWithOneShortestPathHasNoAlternativeRoute() {
    String[] rows = {
      "#######",
      "#S#   #",
      "# # # #",
      "# # # #",
      "#   #G#",
      "#######",
      "#######",
    };
    Maze maze = new Maze(7, 7, grid(rows));
    assertTrue(lean.withAlternativeRoute(lean.instance(maze, MazeGenerator.shortestPath(maze)), 1).isEmpty());
  }

  @Test
  void alternativeRoutesOfGeneratedMazesAreOptimalAndAvoidedByTheCanonicalPath() {
    int found = 0;
    for (TaskInstance inst : lean.generate(Split.TEST, 100, 11)) {
      var way = lean.withAlternativeRoute(inst, 1);
      if (way.isEmpty()) {
        continue;
      }
      found++;
      TaskScore reference = lean.check(way.get(), way.get().sequence());
      assertTrue(reference.is("optimal") && reference.is("throughWaypoints"), reference.toString());
      int[] usual = inst.sequence();
      for (int p = 49; p < 98; p++) {
        if (way.get().isKnown(p) && !inst.isKnown(p)) {
          assertEquals(Maze.EMPTY, usual[p], "the waypoint is off the canonical path");
          usual[p] = Maze.PATH;
        }
      }
      assertFalse(lean.check(way.get(), usual).is("throughWaypoints"), "the usual path with the waypoint as a stray cell");
    }
    assertTrue(found >= 10, "ties are common in 7x7 mazes, found " + found);
  }

  private final MazeTask interior = new MazeTask(new MazeConfig(7, 7, 2, 0.5, true, true, 0));

  @Test
  void interiorOnlyEncodingLeavesOutTheBorderAndLosesNothing() {
    MazeTask whole = new MazeTask(new MazeConfig(7, 7, 2, 0.5, true));
    assertEquals(2 * 25, interior.length(), "two 5x5 interiors");
    List<TaskInstance> a = interior.generate(Split.TEST, 30, 5);
    List<TaskInstance> b = whole.generate(Split.TEST, 30, 5);
    for (int i = 0; i < a.size(); i++) {
      TaskInstance in = a.get(i);
      TaskInstance wh = b.get(i);
      assertEquals(whole.maze(wh), interior.maze(in), "the same maze, the border restored as walls");
      assertArrayEquals(whole.pathInWalkingOrder(wh), interior.pathInWalkingOrder(in));
      assertArrayEquals(wh.sequence(), concat(interior.grid(in.sequence(), 0), interior.grid(in.sequence(), 1)));
      assertEquals(countKnown(wh) - 2 * 24, countKnown(in), "the same open cells to generate");
      assertArrayEquals(in.known(), interior.knownMaskOf(in.sequence()).orElseThrow());
      TaskScore s = interior.check(in, in.sequence());
      assertTrue(s.is("correct") && s.is("optimal"), s.toString());
      assertEquals(whole.render(wh.sequence()), interior.render(in.sequence()), "drawn with its border");
      assertEquals(whole.image(wh.sequence()).getWidth(), interior.image(in.sequence()).getWidth());
      Maze maze = interior.maze(in);
      for (int cell = 0; cell < 49; cell++) {
        int r = cell / 7;
        int c = cell % 7;
        boolean border = r == 0 || c == 0 || r == 6 || c == 6;
        assertEquals(border ? -1 : 25 + (r - 1) * 5 + (c - 1), interior.sequenceIndex(1, cell), "cell " + cell);
        if (!border) {
          assertEquals(maze.token(cell), in.token(interior.sequenceIndex(0, cell)));
        }
      }
      var way = interior.withAlternativeRoute(in, 1);
      var wayWhole = whole.withAlternativeRoute(wh, 1);
      assertEquals(wayWhole.isPresent(), way.isPresent());
      if (way.isPresent()) {
        assertArrayEquals(whole.pathInWalkingOrder(wayWhole.get()), interior.pathInWalkingOrder(way.get()));
        assertTrue(interior.check(way.get(), way.get().sequence()).is("throughWaypoints"));
      }
    }
    int[] broken = a.get(0).sequence();
    int firstPath = java.util.stream.IntStream.range(25, 50).filter(p -> broken[p] == Maze.PATH).findFirst().orElseThrow();
    broken[firstPath] = Maze.EMPTY;
    assertFalse(interior.check(a.get(0), broken).is("correct"), "a gap in the path");
    assertThrows(IllegalArgumentException.class, () -> interior.check(a.get(0), new int[98]));
  }

  @Test
  void detourTrainingMazesTakeAnotherRouteThroughAWaypointTheKnownMaskRecovers() {
    MazeTask detours = new MazeTask(new MazeConfig(7, 7, 2, 0.5, true, true, 1.0));
    MazeTask canonical = new MazeTask(new MazeConfig(7, 7, 2, 0.5, true, true, 0));
    List<TaskInstance> train = detours.generate(Split.TRAIN, 100, 9);
    List<TaskInstance> plain = canonical.generate(Split.TRAIN, 100, 9);
    int taken = 0;
    for (int i = 0; i < train.size(); i++) {
      TaskInstance d = train.get(i);
      TaskInstance c = plain.get(i);
      assertEquals(canonical.maze(c), detours.maze(d), "the same mazes");
      assertArrayEquals(d.known(), detours.knownMaskOf(d.sequence()).orElseThrow(), "training derives the mask it was given");
      TaskScore score = detours.check(d, d.sequence());
      assertTrue(score.is("optimal"), score.toString());
      if (!Arrays.equals(d.sequence(), c.sequence())) {
        taken++;
        assertEquals(countKnown(c) + 1, countKnown(d), "one waypoint given");
        assertTrue(score.is("throughWaypoints"), score.toString());
        TaskInstance scenario = canonical.withAlternativeRoute(c, 1).orElseThrow();
        assertArrayEquals(scenario.sequence(), d.sequence(), "the waypoint scenario's route");
        assertArrayEquals(scenario.known(), d.known(), "and its waypoint");
      } else {
        assertTrue(canonical.withAlternativeRoute(c, 1).isEmpty(), "every maze with another route takes it at share 1");
        assertArrayEquals(c.known(), d.known());
      }
    }
    assertTrue(taken >= 10, "ties are common in 7x7 mazes, took " + taken);
    for (TaskInstance t : detours.generate(Split.TEST, 50, 9)) {
      assertArrayEquals(canonical.instance(detours.maze(t), MazeGenerator.shortestPath(detours.maze(t))).sequence(),
          t.sequence(), "held-out mazes keep their canonical paths");
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MazeConfig(7, 7, 2, 0.5, false, false, 0.5));
    assertTrue(e.getMessage().contains("fixedCellsGiven"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MazeConfig(7, 7, 2, 0.5, true, false, 1.5));
  }

  private static int[] concat(int[] x, int[] y) {
    int[] out = Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }

  private static int[] withoutCell(int[] sequence, int position) {
    int[] s = sequence.clone();
    s[position] = Maze.EMPTY;
    return s;
  }

  private static long countKnown(TaskInstance inst) {
    return Arrays.stream(toBoxed(inst.known())).filter(k -> k).count();
  }

  private static Boolean[] toBoxed(boolean[] a) {
    Boolean[] b = new Boolean[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i];
    }
    return b;
  }
}
