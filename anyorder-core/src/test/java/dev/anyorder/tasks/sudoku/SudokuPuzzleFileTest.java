package dev.anyorder.tasks.sudoku;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.tasks.TaskInstance;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public data sets' puzzle layout: parsing, and errors that name the line and the problem. */
class SudokuPuzzleFileTest {
  static Path sample() throws URISyntaxException {
    return Path.of(SudokuPuzzleFileTest.class.getResource("/sudoku/sample-puzzles.txt").toURI());
  }

  private static final String PUZZLE = "000080010508100703340200900000500000000068500209030064670000240005012070190006050";
  private static final String SOLUTION = "927683415568149723341257986836524197714968532259731864673895241485312679192476358";

  @Test
  void readsTheSampleFileWithBothBlankSpellings() throws Exception {
    List<SudokuPuzzle> puzzles = SudokuPuzzleFile.read(sample());
    assertEquals(6, puzzles.size());
    for (SudokuPuzzle p : puzzles) {
      assertTrue(SudokuSolver.isValidSolution(p.solution()));
      assertEquals(1, SudokuSolver.countSolutions(p.puzzle(), 2), "the sample puzzles are proper sudokus");
      TaskInstance instance = SudokuTask.instance(p);
      assertTrue(new SudokuTask(SudokuConfig.defaults()).check(instance, instance.sequence()).is("solved"));
    }
    assertEquals(32, puzzles.get(1).givens(), "'.' blanks (line 2) are blanks");
    assertEquals(0, puzzles.get(0).puzzle()[1], "'0' blanks (line 1) are blanks");
    assertEquals(7, puzzles.get(0).puzzle()[0], "and digits are givens");
    assertEquals(32, puzzles.get(0).givens());
  }

  @Test
  void parsesOneLineIntoPuzzleAndSolution() throws Exception {
    List<SudokuPuzzle> p = SudokuPuzzleFile.read(new StringReader("\n" + PUZZLE.replace('0', '.') + "  " + SOLUTION + "\n\n"), "t");
    assertEquals(1, p.size());
    assertEquals(9, p.get(0).solution()[0]);
    assertEquals(0, p.get(0).puzzle()[0]);
    assertEquals(8, p.get(0).puzzle()[4]);
  }

  private static String error(String text) {
    return assertThrows(IllegalArgumentException.class, () -> SudokuPuzzleFile.read(new StringReader(text), "puzzles.txt"))
        .getMessage();
  }

  @Test
  void malformedLinesAreNamedWithTheirNumberAndProblem() {
    String good = PUZZLE + " " + SOLUTION + "\n";
    String m = error(good + "\n" + PUZZLE.substring(1) + " " + SOLUTION + "\n");
    assertTrue(m.startsWith("puzzles.txt line 3: ") && m.contains("80 characters; it needs 81"), m);
    m = error(good + PUZZLE + "\n");
    assertTrue(m.startsWith("puzzles.txt line 2: ") && m.contains("found 1 field"), m);
    m = error(good + PUZZLE.replaceFirst("8", "x") + " " + SOLUTION + "\n");
    assertTrue(m.startsWith("puzzles.txt line 2: ") && m.contains("character 5 of the puzzle is 'x'"), m);
    m = error(PUZZLE + " " + SOLUTION.replaceFirst("9", ".") + "\n");
    assertTrue(m.startsWith("puzzles.txt line 1: ") && m.contains("of the solution is '.'"), m);
    m = error(PUZZLE.replaceFirst("8", "7") + " " + SOLUTION + "\n");
    assertTrue(m.contains("line 1: ") && m.contains("row 1, column 5 where the puzzle gives 7"), m);
    String swapped = SOLUTION.charAt(1) + "" + SOLUTION.charAt(0) + SOLUTION.substring(2);
    m = error("000000000" + PUZZLE.substring(9) + " " + swapped + "\n");
    assertTrue(m.contains("line 1: ") && m.contains("not a valid sudoku"), m);
    m = error(SOLUTION + " " + SOLUTION + "\n");
    assertTrue(m.contains("no blank cell"), m);
    m = error(good + PUZZLE + " " + SOLUTION + " extra\n");
    assertTrue(m.startsWith("puzzles.txt line 2: ") && m.contains("found 3 field"), m);
    assertTrue(error("\n\n").contains("holds no puzzle"));
  }

  @Test
  void answerLinesHaveTheFilesLayoutAndReadBackAsThePuzzleAndTheGeneratedGrid() throws Exception {
    SudokuPuzzle puzzle = SudokuPuzzleFile.read(new StringReader(PUZZLE.replace('0', '.') + " " + SOLUTION), "t").get(0);
    TaskInstance instance = SudokuTask.instance(puzzle);
    String answer = SudokuPuzzleFile.answerLine(instance, instance.sequence());
    assertEquals(PUZZLE + " " + SOLUTION, answer, "blanks are written as 0, the generated grid where the solution was");
    assertEquals(puzzle, SudokuPuzzleFile.read(new StringReader(answer), "answers").get(0));
    int[] wrong = instance.sequence();
    wrong[0] = (wrong[0] + 1) % 9;
    assertEquals(PUZZLE + " " + (SOLUTION.charAt(0) == '9' ? '1' : (char) (SOLUTION.charAt(0) + 1)) + SOLUTION.substring(1),
        SudokuPuzzleFile.answerLine(instance, wrong), "a wrong answer is written as generated");
  }
}
