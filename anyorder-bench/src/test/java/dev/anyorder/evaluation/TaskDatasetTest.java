package dev.anyorder.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.maze.MazeConfig;
import dev.anyorder.tasks.maze.MazeTask;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TaskDatasetTest {
  private final MazeTask task = new MazeTask(new MazeConfig(7, 7, 2, 0.5));

  @Test
  void shapeComesFromTheTask() {
    TaskDataset d = TaskDataset.generate(task, 20, 5, 3);
    assertEquals(task.length(), d.sequenceLength());
    assertEquals(task.vocabSize(), d.vocabSize());
    assertEquals(20, d.trainSize());
    assertEquals(5, d.validationSize());
  }

  @Test
  void knownMasksOfBatchesAreTheTasksOwnAndCannotBeChangedThroughTheCopyReturned() {
    MazeTask detours = new MazeTask(new MazeConfig(7, 7, 2, 0.5, true, true, 1.0));
    TaskDataset d = TaskDataset.generate(detours, 60, 5, 3);
    for (int[] sequence : d.batch(40, new SplittableRandom(2))) {
      boolean[] known = d.knownPositions(sequence);
      assertArrayEquals(detours.knownMask(sequence), known);
      Arrays.fill(known, true);
      assertArrayEquals(detours.knownMask(sequence), d.knownPositions(sequence), "a caller's change stays its own");
    }
    int[] unseen = detours.generate(Split.TRAIN, 200, 77).get(150).sequence();
    assertArrayEquals(detours.knownMask(unseen), d.knownPositions(unseen), "a sequence outside the pools is derived");
  }

  @Test
  void batchesComeFromTheTrainingPoolOnlyAndAreReproducible() {
    TaskDataset d = TaskDataset.generate(task, 20, 5, 3);
    Set<String> train = new HashSet<>();
    task.generate(Split.TRAIN, 20, 3).forEach(i -> train.add(Arrays.toString(i.sequence())));
    int[][] a = d.batch(16, new SplittableRandom(9));
    int[][] b = d.batch(16, new SplittableRandom(9));
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i]);
      assertTrue(train.contains(Arrays.toString(a[i])), "batch sequence is not a training instance");
      assertEquals(Split.TRAIN, Split.of(a[i], 0, task.config().cells()), "a training maze must hash to TRAIN");
    }
    a[0][0] = 99; // callers get copies
    assertNotEquals(99, d.batch(1, new SplittableRandom(9))[0][0]);
  }

  @Test
  void validationIsHeldOutFixedAndBatched() {
    TaskDataset d = TaskDataset.generate(task, 10, 7, 3);
    List<int[][]> v = d.validationBatches(3, 10);
    assertEquals(List.of(3, 3, 1), v.stream().map(x -> x.length).toList());
    assertEquals(2, d.validationBatches(3, 2).size());
    for (int[][] batch : v) {
      for (int[] s : batch) {
        assertEquals(Split.TEST, Split.of(s, 0, task.config().cells()));
      }
    }
    assertArrayEquals(v.get(0)[0], d.validationBatches(3, 10).get(0)[0]);
  }

  @Test
  void provenanceNamesTheTaskAndChangesWithTheData() {
    TaskDataset a = TaskDataset.generate(task, 10, 2, 3);
    TaskDataset b = TaskDataset.generate(task, 10, 2, 4);
    assertEquals(task.name(), a.provenance().get("task").asText());
    assertEquals(a.provenance().get("sha256"), TaskDataset.generate(task, 10, 2, 3).provenance().get("sha256"));
    assertNotEquals(a.provenance().get("sha256"), b.provenance().get("sha256"));
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> TaskDataset.generate(task, 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> TaskDataset.generate(task, 1, -1, 1));
    TaskInstance wrongLength = new TaskInstance(new int[] {1, 2}, new boolean[2]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TaskDataset(task, List.of(wrongLength), List.of(), 1));
    assertTrue(e.getMessage().contains("tokens"), e.getMessage());
    TaskDataset d = TaskDataset.generate(task, 2, 1, 1);
    assertThrows(IllegalArgumentException.class, () -> d.batch(0, new SplittableRandom(1)));
  }
}
