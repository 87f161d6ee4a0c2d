package dev.anyorder.tasks.maze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.TaskScore;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mazes from a file: the writer's lines read back, answers in the same layout, and errors naming line and problem. */
class MazePuzzleFileTest {
  @TempDir Path dir;

  /** The lean 7x7 task without the border, as the demo trains it. */
  private final MazeTask lean = new MazeTask(MazeConfig.parse("7x7").withFixedCellsGiven(true).withInteriorOnly(true));
  /** The paper's encoding of the same size: whole grids, the whole solution generated. */
  private final MazeTask whole = new MazeTask(MazeConfig.parse("7x7"));

  /** A maze our generator would not draw (open loops: several shortest paths), as rows. */
  private static final String[] LOOPS = {
    "#######",
    "#S....#",
    "#.###.#",
    "#.....#",
    "#.###.#",
    "#....G#",
    "#######",
  };

  private static String line(String... rows) {
    return "7 7 " + String.join("", rows);
  }

  private static List<TaskInstance> read(String text, MazeTask task) throws IOException {
    return MazePuzzleFile.read(new StringReader(text), "mazes.txt", task);
  }

  private String error(String text) {
    return error(text, lean);
  }

  private static String error(String text, MazeTask task) {
    return assertThrows(IllegalArgumentException.class, () -> read(text, task)).getMessage();
  }

  @Test
  void theWritersFileOfGeneratedMazesReadsBackToTheSameInstances() {
    for (MazeTask task : List.of(lean, whole, new MazeTask(MazeConfig.defaults().withFixedCellsGiven(true)))) {
      List<TaskInstance> generated = task.generate(Split.TEST, 12, 5);
      Path file = dir.resolve(task.name() + "-" + task.length() + ".txt");
      MazePuzzleFile.write(file, generated.stream().map(task::maze).toList());
      assertEquals(generated, MazePuzzleFile.read(file, task), task.config().toString());
    }
  }

  @Test
  void cellsMayBeOneRunOrSplitBySpacesAndBlankLinesAreSkipped() throws IOException {
    String oneRun = line(LOOPS);
    String byRow = "  7\t7 " + String.join(" ", LOOPS) + "  ";
    String byCell = "7 7 " + String.join(" ", String.join("", LOOPS).split(""));
    List<TaskInstance> read = read("\n" + oneRun + "\n\n" + byRow + "\n   \n" + byCell + "\n", lean);
    assertEquals(3, read.size());
    assertEquals(read.get(0), read.get(1));
    assertEquals(read.get(0), read.get(2));
    assertEquals(oneRun, MazePuzzleFile.line(lean.maze(read.get(0))), "the writer writes the cells as one run");
  }

  @Test
  void aMazeWithSeveralShortestPathsGetsItsReferenceByBreadthFirstSearch() throws IOException {
    TaskInstance maze = read(line(LOOPS), lean).get(0);
    TaskScore reference = lean.check(maze, maze.sequence());
    assertTrue(reference.is("correct") && reference.is("optimal"), reference.toString());
    assertEquals(7, reference.get("shortestLength"));

    // any shortest path is optimal, a longer one only correct, whichever path the reference took
    String down = line("#######", "#S....#", "#*###.#", "#*....#", "#*###.#", "#****G#", "#######");
    String right = line("#######", "#S****#", "#.###*#", "#....*#", "#.###*#", "#....G#", "#######");
    String around = line("#######", "#S****#", "#.###*#", "#*****#", "#*###.#", "#****G#", "#######");
    String branched = line("#######", "#S****#", "#*###*#", "#*...*#", "#.###*#", "#....G#", "#######");
    for (MazeTask task : List.of(lean, whole)) {
      TaskInstance instance = read(line(LOOPS), task).get(0);
      for (String answer : List.of(down, right)) {
        TaskScore s = task.check(instance, MazePuzzleFile.answer(task, instance, answer));
        assertTrue(s.is("correct") && s.is("optimal"), answer + ": " + s);
      }
      TaskScore longer = task.check(instance, MazePuzzleFile.answer(task, instance, around));
      assertTrue(longer.is("correct") && !longer.is("optimal"), longer.toString());
      assertEquals(15, longer.get("pathLength"));
      assertFalse(task.check(instance, MazePuzzleFile.answer(task, instance, branched)).is("correct"));
    }
  }

  @Test
  void answerLinesHaveThePuzzleLayoutWithThePathStarredAndReadBack() {
    for (MazeTask task : List.of(lean, whole)) {
      for (TaskInstance instance : task.generate(Split.TEST, 10, 9)) {
        String answer = MazePuzzleFile.answerLine(task, instance.sequence());
        String puzzle = MazePuzzleFile.line(task.maze(instance));
        assertEquals(puzzle.length(), answer.length());
        int stars = 0;
        for (int i = 0; i < answer.length(); i++) {
          char a = answer.charAt(i);
          stars += a == '*' ? 1 : 0;
          assertTrue(a == puzzle.charAt(i) || (a == '*' && puzzle.charAt(i) == '.'), "only open cells become path: " + answer);
        }
        assertEquals(task.pathInWalkingOrder(instance).length, stars);
        int[] back = MazePuzzleFile.answer(task, instance, answer);
        assertArrayEquals(instance.sequence(), back);
        assertTrue(task.check(instance, back).is("optimal"));
      }
    }
  }

  @Test
  void malformedLinesAreNamedWithTheirNumberAndProblem() {
    String good = line(LOOPS) + "\n";
    String m = error(good + "\n" + "7 7 " + String.join("", LOOPS).substring(1) + "\n");
    assertTrue(m.startsWith("mazes.txt line 3: ") && m.contains("the maze has 48 cells; a 7x7 maze needs 49"), m);
    m = error(good + line(LOOPS).replace("S....", "S..x.") + "\n");
    assertTrue(m.startsWith("mazes.txt line 2: ") && m.contains("the cell at row 2, column 5 is 'x'")
        && m.contains("expected # (wall), . (open), S (start) or G (goal)"), m);
    m = error(line(LOOPS).replace("#.....#", "#..S..#") + "\n");
    assertTrue(m.startsWith("mazes.txt line 1: ")
        && m.contains("two start cells S, at row 2, column 2 and row 4, column 4"), m);
    m = error(good + good + line(LOOPS).replace('G', '.') + "\n");
    assertTrue(m.startsWith("mazes.txt line 3: ") && m.contains("no goal cell G"), m);
    m = error(line(LOOPS).replace('S', '.') + "\n");
    assertTrue(m.contains("line 1: ") && m.contains("no start cell S"), m);
    m = error(good + line("#######", "#S....#", "#.###.#", "#.....#", "#.#####", "#...#G#", "#######") + "\n");
    assertTrue(m.startsWith("mazes.txt line 2: ") && m.contains("no path")
        && m.contains("the goal G at row 6, column 6 cannot be reached from the start S at row 2, column 2"), m);
    m = error(good + MazePuzzleFile.line(new MazeTask(MazeConfig.defaults()).maze(
        new MazeTask(MazeConfig.defaults()).generate(Split.TEST, 1, 1).get(0))) + "\n");
    assertTrue(m.startsWith("mazes.txt line 2: ") && m.contains("the maze is 9x11 but the model solves 7x7 mazes"), m);
    m = error(good + "8 7 " + "#".repeat(56) + "\n");
    assertTrue(m.contains("line 2: ") && m.contains("the maze is 8x7 but the model solves 7x7 mazes"), m);
    m = error(good + "7 seven " + String.join("", LOOPS) + "\n");
    assertTrue(m.contains("line 2: ") && m.contains("the width 'seven' is not a positive whole number"), m);
    m = error(good + "7 7\n");
    assertTrue(m.contains("line 2: ") && m.contains("found 2 field(s)"), m);
    m = error(good + line(LOOPS).replace("#S....#", "#S*...#") + "\n");
    assertTrue(m.contains("line 2: ") && m.contains("the cell at row 2, column 3 is '*'"), "a puzzle has no path yet: " + m);
    assertTrue(error("\n  \n").contains("holds no maze"));
  }

  @Test
  void linesStartingWithAWallAreNotComments() {
    String m = error("# mazes drawn by another generator\n" + line(LOOPS) + "\n");
    assertTrue(m.startsWith("mazes.txt line 1: ") && m.contains("the height '#' is not a positive whole number"), m);
  }

  @Test
  void anOpenBorderCellIsAnErrorOnlyWhereTheEncodingLeavesOutTheBorder() throws IOException {
    String[] door = LOOPS.clone();
    door[0] = "###.###";
    door[5] = "#....G.";
    String m = error(line(door) + "\n");
    assertTrue(m.startsWith("mazes.txt line 1: ") && m.contains("border cell at row 1, column 4 is '.'")
        && m.contains("must be a wall"), m);
    TaskInstance inWhole = read(line(door), whole).get(0);
    assertTrue(whole.check(inWhole, inWhole.sequence()).is("optimal"), "whole grids encode the border");
  }
}
