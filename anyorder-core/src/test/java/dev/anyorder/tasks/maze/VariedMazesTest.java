package dev.anyorder.tasks.maze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.TaskFactory;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.TaskScore;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The varied training family ({@link MazeConfig#variedShare}): its mazes are connected, solvable and spread
 * over wall counts, lattice posts, opened walls and start-to-goal distances the configured generator never
 * draws; a varied share changes only the training pool (held-out mazes are the same), a zero share leaves the
 * pool as it was, and the share survives the task record.
 */
class VariedMazesTest {
  static final MazeConfig LEAN = new MazeConfig(7, 7, 3, 0.5).withFixedCellsGiven(true).withInteriorOnly(true);

  @Test
  void variedMazesAreConnectedSolvableAndSpread() {
    MazeGenerator generator = new MazeGenerator(LEAN);
    Random rng = new Random(3);
    Set<Integer> distances = new HashSet<>();
    Set<Integer> wallCells = new HashSet<>();
    int isolatedPosts = 0;
    for (int i = 0; i < 500; i++) {
      Maze maze = generator.generateVaried(rng);
      int[] fromStart = maze.distancesFrom(maze.start());
      int walls = 0;
      for (int cell = 0; cell < 49; cell++) {
        if (maze.isOpen(cell)) {
          assertTrue(fromStart[cell] >= 0, "every open cell is reachable:\n" + maze);
        } else {
          walls++;
        }
      }
      wallCells.add(walls);
      distances.add(maze.shortestDistance());
      isolatedPosts += isolatedPost(maze) ? 1 : 0;
    }
    assertTrue(distances.contains(1), "start and goal may touch: " + distances);
    assertTrue(distances.stream().anyMatch(d -> d >= 8), "and may be far apart: " + distances);
    assertTrue(wallCells.size() >= 8, "wall counts spread: " + wallCells);
    assertTrue(isolatedPosts > 0, "some mazes have a lattice post touching no other wall, which the configured generator never draws");
  }

  /** Whether an interior even-even cell is a wall with no wall among its four neighbours. */
  private static boolean isolatedPost(Maze maze) {
    for (int r = 2; r < 5; r += 2) {
      for (int c = 2; c < 5; c += 2) {
        int cell = r * 7 + c;
        if (!maze.isOpen(cell) && maze.isOpen(cell - 1) && maze.isOpen(cell + 1) && maze.isOpen(cell - 7) && maze.isOpen(cell + 7)) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void theShareChangesTrainingMazesOnly() {
    MazeTask plain = new MazeTask(LEAN);
    MazeTask varied = new MazeTask(LEAN.withVariedShare(0.5));
    assertEquals(plain.generate(Split.TEST, 100, 5), varied.generate(Split.TEST, 100, 5), "held-out mazes do not move");
    List<TaskInstance> train = varied.generate(Split.TRAIN, 300, 5);
    Set<TaskInstance> configured = new HashSet<>(plain.generate(Split.TRAIN, 1000, 5));
    int fromVaried = 0;
    for (TaskInstance instance : train) {
      TaskScore s = varied.check(instance, instance.sequence());
      assertTrue(s.is("correct") && s.is("optimal"), "a varied training maze's reference path is a shortest path");
      fromVaried += configured.contains(instance) ? 0 : 1;
    }
    assertTrue(fromVaried > 100 && fromVaried < 200, "about half the training mazes come from the varied family: " + fromVaried);
    List<TaskInstance> before = plain.generate(Split.TRAIN, 300, 5);
    assertEquals(before, new MazeTask(LEAN.withVariedShare(0)).generate(Split.TRAIN, 300, 5), "share 0: the pool as before");
  }

  @Test
  void theShareIsRecordedAndValidated() {
    MazeTask varied = new MazeTask(LEAN.withVariedShare(0.25));
    assertEquals(0.25, ((MazeTask) TaskFactory.rebuild(varied.record())).config().variedShare());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LEAN.withVariedShare(1.5));
    assertTrue(e.getMessage().contains("variedShare"), e.getMessage());
  }
}
