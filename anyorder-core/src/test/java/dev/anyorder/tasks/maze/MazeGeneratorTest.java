package dev.anyorder.tasks.maze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MazeGeneratorTest {

  /** Every shortest start-to-goal path (cells strictly between), by depth-first search over the BFS layers. */
  private static List<int[]> allShortestPaths(Maze maze) {
    int[] dist = maze.distancesFrom(maze.start());
    int length = dist[maze.goal()];
    List<int[]> out = new ArrayList<>();
    extend(maze, dist, maze.goal(), new int[Math.max(0, length - 1)], length - 2, out);
    return out;
  }

  private static void extend(Maze maze, int[] dist, int cell, int[] path, int slot, List<int[]> out) {
    if (slot < 0) {
      out.add(path.clone());
      return;
    }
    int[] nb = new int[4];
    int n = Maze.neighbours(maze.height(), maze.width(), cell, nb);
    for (int i = 0; i < n; i++) {
      if (dist[nb[i]] == dist[cell] - 1 && nb[i] != maze.start()) {
        path[slot] = nb[i];
        extend(maze, dist, nb[i], path, slot - 1, out);
      }
    }
  }

  private static int[] sorted(int[] cells) {
    int[] s = cells.clone();
    Arrays.sort(s);
    return s;
  }

  @Test
  void theCanonicalPathIsTheShortestPathWhoseSortedCellsComeFirst() {
    int tied = 0;
    for (String size : List.of("7x7", "9x11", "13x21")) {
      MazeConfig config = MazeConfig.parse(size);
      MazeGenerator generator = new MazeGenerator(config);
      for (int seed = 0; seed < 150; seed++) {
        Maze maze = generator.generate(new Random(seed));
        List<int[]> paths = allShortestPaths(maze);
        tied += paths.size() > 1 ? 1 : 0;
        int[] expected = paths.stream().map(MazeGeneratorTest::sorted).min(Arrays::compare).orElseThrow();
        int[] path = MazeGenerator.shortestPath(maze);
        assertArrayEquals(expected, sorted(path), size + " maze " + seed + ":\n" + maze);
        // walking order: start, path..., goal is a chain of neighbours
        int prev = maze.start();
        for (int cell : path) {
          assertEquals(1, Math.abs(cell / maze.width() - prev / maze.width()) + Math.abs(cell % maze.width() - prev % maze.width()));
          prev = cell;
        }
        assertEquals(1, Math.abs(maze.goal() / maze.width() - prev / maze.width()) + Math.abs(maze.goal() % maze.width() - prev % maze.width()));
        assertArrayEquals(path, MazeGenerator.shortestPath(maze), "the path is a function of the maze");
      }
    }
    assertTrue(tied > 50, "the check must cover mazes with several shortest paths; only " + tied + " had them");
  }

  @Test
  void adjacentStartAndGoalHaveAnEmptyPath() {
    int[] grid = new int[25];
    for (int i = 0; i < 25; i++) {
      int r = i / 5;
      int c = i % 5;
      grid[i] = r == 0 || c == 0 || r == 4 || c == 4 ? Maze.WALL : Maze.EMPTY;
    }
    grid[6] = Maze.START;
    grid[7] = Maze.GOAL;
    assertEquals(0, MazeGenerator.shortestPath(new Maze(5, 5, grid)).length);
  }
}
