package dev.anyorder.tasks.sudoku;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.TaskScore;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SudokuTaskTest {

  private final SudokuTask task = new SudokuTask(SudokuConfig.defaults());

  @Test
  void solverFindsAndCountsSolutions() {
    int[] full = SudokuSolver.randomFullGrid(new Random(3));
    assertTrue(SudokuSolver.isValidSolution(full));
    assertEquals(1, SudokuSolver.countSolutions(full, 2));
    assertEquals(2, SudokuSolver.countSolutions(new int[81], 2));
    int[] clash = new int[81];
    clash[0] = 5;
    clash[1] = 5;
    assertEquals(0, SudokuSolver.countSolutions(clash, 2));
    SudokuPuzzle p = new SudokuGenerator(new SudokuConfig(24, 10)).generate(11);
    assertArrayEquals(p.solution(), SudokuSolver.solve(p.puzzle()).orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> SudokuSolver.countSolutions(new int[80], 2));
  }

  @Test
  void generatorMakesUniquePuzzlesWithTheRequestedGivens() {
    SudokuGenerator gen = new SudokuGenerator(new SudokuConfig(28, 5));
    for (long seed = 0; seed < 20; seed++) {
      SudokuPuzzle p = gen.generate(seed);
      assertTrue(p.reachedTarget(), p.note());
      assertEquals(28, p.givens());
      assertEquals(1, SudokuSolver.countSolutions(p.puzzle(), 2), "unique solution");
      int[] puzzle = p.puzzle();
      int[] solution = p.solution();
      for (int i = 0; i < 81; i++) {
        assertTrue(puzzle[i] == 0 || puzzle[i] == solution[i]);
      }
    }
    assertEquals(gen.generate(5), gen.generate(5));
    assertNotEquals(gen.generate(5), gen.generate(6));
  }

  @Test
  void unreachableTargetStopsAtTheClosestAndSaysSo() {
    SudokuPuzzle p = new SudokuGenerator(new SudokuConfig(17, 1)).generate(1);
    assertFalse(p.reachedTarget());
    assertTrue(p.givens() > 17);
    assertEquals(1, SudokuSolver.countSolutions(p.puzzle(), 2));
    assertTrue(p.note().contains("stopped at " + p.givens()), p.note());
  }

  @Test
  void configValidates() {
    assertThrows(IllegalArgumentException.class, () -> new SudokuConfig(16, 5));
    assertThrows(IllegalArgumentException.class, () -> new SudokuConfig(30, 0));
  }

  @Test
  void taskInstancesAreDeterministicAndSplitsDisjoint() {
    assertEquals(task.generate(Split.TRAIN, 5, 9), task.generate(Split.TRAIN, 5, 9));
    Set<String> train = new HashSet<>();
    for (TaskInstance i : task.generate(Split.TRAIN, 200, 1)) {
      train.add(Arrays.toString(i.sequence()));
      int known = 0;
      for (int k = 0; k < 81; k++) {
        known += i.isKnown(k) ? 1 : 0;
      }
      assertEquals(30, known);
    }
    for (TaskInstance i : task.generate(Split.TEST, 100, 1)) {
      assertFalse(train.contains(Arrays.toString(i.sequence())));
    }
  }

  @Test
  void checkerAcceptsTheSolutionAndRejectsWrongOnes() {
    TaskInstance inst = task.generate(Split.TEST, 1, 4).get(0);
    TaskScore ok = task.check(inst, inst.sequence());
    assertTrue(ok.is("solved") && ok.is("givensKept"));
    assertEquals(1.0, ok.get("cellAccuracy"));

    // duplicate in a box: copy one unknown cell's digit to another unknown cell of the same box
    int[] dup = inst.sequence();
    int a = -1;
    int b = -1;
    for (int i = 0; i < 81 && b < 0; i++) {
      for (int j = i + 1; j < 81; j++) {
        if (!inst.isKnown(i) && !inst.isKnown(j) && SudokuSolver.box(i) == SudokuSolver.box(j)) {
          a = i;
          b = j;
          break;
        }
      }
    }
    dup[b] = dup[a];
    TaskScore d = task.check(inst, dup);
    assertFalse(d.is("solved"));
    assertTrue(d.is("givensKept"));

    // a changed given, even when the grid stays a valid sudoku (relabel all digits)
    int[] relabeled = inst.sequence();
    for (int i = 0; i < 81; i++) {
      relabeled[i] = (relabeled[i] + 1) % 9;
    }
    TaskScore r = task.check(inst, relabeled);
    assertFalse(r.is("givensKept"));
    assertFalse(r.is("solved"));
    assertEquals(0.0, r.get("cellAccuracy"));
  }

  @Test
  void renders() {
    TaskInstance inst = task.generate(Split.TRAIN, 1, 2).get(0);
    String text = task.render(inst.prompt());
    assertEquals(11, text.lines().count());
    assertEquals(81 - 30, text.chars().filter(c -> c == '.').count());
    assertEquals(9 * 21 + 4, task.image(inst.sequence()).getWidth());
    assertEquals("9", task.tokenName(8));
  }
}
