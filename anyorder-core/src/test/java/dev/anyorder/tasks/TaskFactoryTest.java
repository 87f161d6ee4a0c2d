package dev.anyorder.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.tasks.maze.MazeConfig;
import dev.anyorder.tasks.maze.MazeTask;
import dev.anyorder.tasks.sudoku.SudokuConfig;
import dev.anyorder.tasks.sudoku.SudokuTask;
import org.junit.jupiter.api.Test;

/** A task rebuilt from what a model records generates the very instances the model was trained on. */
class TaskFactoryTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aFullRecordRebuildsTheSameTask() {
    MazeTask maze = new MazeTask(new MazeConfig(7, 9, 2, 0.25));
    Task rebuilt = TaskFactory.rebuild(TaskFactory.record(maze));
    assertEquals(maze.config(), ((MazeTask) rebuilt).config());
    assertSameInstances(maze, rebuilt);
    MazeTask lean = new MazeTask(new MazeConfig(7, 7, 3, 0.5, true));
    assertEquals(lean.config(), ((MazeTask) TaskFactory.rebuild(TaskFactory.record(lean))).config(),
        "a lean-encoding maze must come back lean: its model never learned the fixed cells");
    MazeTask interior = new MazeTask(new MazeConfig(7, 7, 3, 0.5, true, true, 0.25));
    assertEquals(interior.config(), ((MazeTask) TaskFactory.rebuild(TaskFactory.record(interior))).config(),
        "an interior-only maze must come back without its border (its sequences are shorter), with its detour share");
    SudokuTask sudoku = new SudokuTask(new SudokuConfig(40, 3));
    assertEquals(sudoku.config(), ((SudokuTask) TaskFactory.rebuild(TaskFactory.record(sudoku))).config());
  }

  @Test
  void aRecordSurvivesJsonText() throws Exception {
    MazeTask maze = new MazeTask(MazeConfig.parse("7x7"));
    JsonNode reread = JSON.readTree(JSON.writeValueAsString(TaskFactory.record(maze)));
    assertEquals(maze.config(), ((MazeTask) TaskFactory.rebuild(reread)).config());
  }

  @Test
  void anOldNameOnlyRecordGetsTheSizeRuleTheDemoTrainedWith() {
    // The demo trained MazeConfig.parse("7x7") (3 walls) and recorded only "maze-7x7"; the server used to
    // rebuild 6 walls, and its generator gave up.
    MazeTask rebuilt = (MazeTask) TaskFactory.rebuild(JSON.valueToTree("maze-7x7"));
    assertEquals(MazeConfig.parse("7x7"), rebuilt.config());
    assertSameInstances(new MazeTask(MazeConfig.parse("7x7")), rebuilt);
    assertEquals(MazeConfig.defaults(), ((MazeTask) TaskFactory.rebuild(JSON.valueToTree("maze"))).config());
    assertEquals(MazeConfig.paper(), ((MazeTask) TaskFactory.rebuild(JSON.valueToTree("maze-13x21"))).config());
    assertEquals(40, ((SudokuTask) TaskFactory.rebuild(JSON.valueToTree("sudoku-40"))).config().givens());
    ObjectNode named = JSON.createObjectNode().put("name", "maze").put("height", 7).put("width", 9).put("walls", 4);
    assertEquals(new MazeConfig(7, 9, 4, 0.5), ((MazeTask) TaskFactory.rebuild(named)).config());
  }

  @Test
  void theFullRecordWinsOverTheName() {
    ObjectNode data = JSON.createObjectNode().put("task", "maze-7x7");
    data.set(TaskFactory.RECORD_FIELD, TaskFactory.record(new MazeTask(new MazeConfig(7, 7, 1, 0.5))));
    JsonNode recorded = TaskFactory.recorded(data, null).orElseThrow();
    assertEquals(1, ((MazeTask) TaskFactory.rebuild(recorded)).config().walls());
    ObjectNode training = JSON.createObjectNode().put("task", "sudoku");
    assertEquals("sudoku", TaskFactory.recorded(null, training).orElseThrow().asText());
    assertTrue(TaskFactory.recorded(JSON.createObjectNode(), null).isEmpty());
  }

  @Test
  void badRecordsAreRefusedWithTheirReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskFactory.rebuild(JSON.valueToTree("chess")));
    assertTrue(e.getMessage().contains("chess"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TaskFactory.rebuild(JSON.createObjectNode().put("kind", "maze").put("walls", "many")));
    assertTrue(e.getMessage().contains("walls"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TaskFactory.rebuild(JSON.valueToTree("maze-8x8")));
    assertTrue(e.getMessage().contains("odd"), e.getMessage());
  }

  private static void assertSameInstances(Task a, Task b) {
    TaskInstance x = a.generate(Split.TEST, 1, 5).get(0);
    TaskInstance y = b.generate(Split.TEST, 1, 5).get(0);
    assertArrayEquals(x.sequence(), y.sequence());
  }
}
