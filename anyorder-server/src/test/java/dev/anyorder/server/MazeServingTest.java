package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.io.CheckpointException;
import dev.anyorder.io.ModelDirectory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's maze model served from its report directory: the server rebuilds the maze the model was
 * trained on and hands out instances (it used to rebuild other walls and answer 500 on every call).
 */
class MazeServingTest {
  @TempDir
  Path tmp;

  @Test
  void aReportDirectoryWithOneModelServesItsMazes() {
    Path report = tmp.resolve("demo");
    TestModels.mazeModel(report.resolve("models").resolve("maze-7x7-curriculum"));
    try (ModelServer server = ModelServer.start(report, ServerConfig.defaults().withPort(0))) {
      HttpHelper http = new HttpHelper(server.uri());
      assertEquals("maze", http.get("/v1/model").json().at("/task/kind").asText());
      for (int seed = 0; seed < 5; seed++) {
        HttpHelper.Reply r = http.get("/v1/task/instance?seed=" + seed);
        assertEquals(200, r.status(), r.body());
        JsonNode instance = r.json();
        assertEquals(98, instance.get("given").size());
        assertEquals(7, instance.get("height").asInt());
        int unknown = 0;
        for (JsonNode g : instance.get("given")) {
          unknown += g.asInt() < 0 ? 1 : 0;
        }
        assertEquals(49, unknown, "the solution half is to be generated");
      }
    }
  }

  @Test
  void theCheckEndpointJudgesAMazePathAndMarksStrayAndMissingPieces() {
    try (ModelServer server = ModelServer.start(TestModels.mazeModel(tmp.resolve("maze")), ServerConfig.defaults().withPort(0))) {
      HttpHelper http = new HttpHelper(server.uri());
      JsonNode instance = http.get("/v1/task/instance?seed=11").json();
      int[] solution = new int[98];
      for (int i = 0; i < 98; i++) {
        solution[i] = instance.get("solution").get(i).asInt();
      }
      JsonNode right = check(http, solution);
      assertTrue(right.get("solved").asBoolean(), right.toString());
      assertEquals(0, right.get("wrong").size());
      assertTrue(right.get("rendered").asText().contains("S") && right.get("rendered").asText().contains("G"));

      // Drop one path cell (the chain breaks: its neighbours become dead ends) and put a stray path cell
      // on an open cell away from the path.
      int dropped = -1;
      int stray = -1;
      for (int cell = 0; cell < 49; cell++) {
        if (solution[49 + cell] == dev.anyorder.tasks.maze.Maze.PATH && dropped < 0) {
          dropped = 49 + cell;
        }
      }
      for (int cell = 48; cell >= 0 && stray < 0; cell--) {
        if (solution[49 + cell] == dev.anyorder.tasks.maze.Maze.EMPTY && !touchesPath(solution, cell)) {
          stray = 49 + cell;
        }
      }
      int[] broken = solution.clone();
      broken[dropped] = dev.anyorder.tasks.maze.Maze.EMPTY;
      JsonNode verdict = check(http, broken);
      assertEquals(false, verdict.get("solved").asBoolean());
      long pathCells = java.util.Arrays.stream(solution, 49, 98).filter(t -> t == dev.anyorder.tasks.maze.Maze.PATH).count();
      assertTrue(pathCells < 2 || verdict.get("wrong").size() >= 1, "the path's loose end is marked: " + verdict);
      if (stray >= 0) {
        int[] withStray = solution.clone();
        withStray[stray] = dev.anyorder.tasks.maze.Maze.PATH;
        JsonNode v = check(http, withStray);
        assertEquals(false, v.get("solved").asBoolean());
        assertEquals("[" + stray + "]", v.get("wrong").toString(), "only the stray cell is wrong: " + v);
      }
      int[] onWall = solution.clone();
      for (int cell = 0; cell < 49; cell++) {
        if (solution[cell] == dev.anyorder.tasks.maze.Maze.WALL) {
          onWall[49 + cell] = dev.anyorder.tasks.maze.Maze.EMPTY;
          JsonNode v = check(http, onWall);
          assertEquals(false, v.get("solved").asBoolean());
          assertEquals("[" + (49 + cell) + "]", v.get("wrong").toString(), "a removed wall is marked: " + v);
          break;
        }
      }
    }
  }

  @Test
  void anInteriorOnlyModelIsDrawnAsItsInteriorAndItsWrongCellsAreSequenceIndices() {
    try (ModelServer server = ModelServer.start(TestModels.interiorMazeModel(tmp.resolve("interior")),
        ServerConfig.defaults().withPort(0))) {
      HttpHelper http = new HttpHelper(server.uri());
      JsonNode instance = http.get("/v1/task/instance?seed=11").json();
      assertEquals(5, instance.get("height").asInt(), instance.toString());
      assertEquals(50, instance.get("length").asInt());
      int[] solution = new int[50];
      for (int i = 0; i < 50; i++) {
        solution[i] = instance.get("solution").get(i).asInt();
      }
      assertTrue(check(http, solution).get("solved").asBoolean());
      int wallsTried = 0;
      for (int k = 0; k < 25; k++) {
        if (solution[25 + k] == dev.anyorder.tasks.maze.Maze.WALL) {
          int[] onWall = solution.clone();
          onWall[25 + k] = dev.anyorder.tasks.maze.Maze.PATH;
          JsonNode v = check(http, onWall);
          assertEquals(false, v.get("solved").asBoolean());
          assertTrue(v.get("wrong").toString().contains(String.valueOf(25 + k)), "the path on a wall is marked: " + v);
          java.util.stream.StreamSupport.stream(v.get("wrong").spliterator(), false)
              .forEach(w -> assertTrue(w.asInt() >= 0 && w.asInt() < 50, "a sequence index: " + v));
          wallsTried++;
          break;
        }
      }
      assertEquals(1, wallsTried, "the instance has an interior wall to draw a path on");
    }
  }

  private static JsonNode check(HttpHelper http, int[] tokens) {
    HttpHelper.Reply r = http.post("/v1/task/check", "{\"seed\": 11, \"tokens\": " + java.util.Arrays.toString(tokens) + "}");
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  /** Whether a solution cell or one of its neighbours (in the 7x7 grid) is a path, start or goal cell. */
  private static boolean touchesPath(int[] sequence, int cell) {
    int[] nb = new int[4];
    int k = dev.anyorder.tasks.maze.Maze.neighbours(7, 7, cell, nb);
    for (int i = 0; i < k; i++) {
      int t = sequence[49 + nb[i]];
      if (t == dev.anyorder.tasks.maze.Maze.PATH || t == dev.anyorder.tasks.maze.Maze.START || t == dev.anyorder.tasks.maze.Maze.GOAL) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aDirectoryWithSeveralModelsNamesThem() {
    Path report = tmp.resolve("bench");
    TestModels.mazeModel(report.resolve("models").resolve("a"));
    TestModels.mazeModel(report.resolve("models").resolve("b"));
    CheckpointException e = assertThrows(CheckpointException.class, () -> ModelDirectory.locate(report));
    assertTrue(e.getMessage().contains("2 models") && e.getMessage().contains("a") && e.getMessage().contains(
        report.resolve("models").resolve("b").toString()), e.getMessage());
    e = assertThrows(CheckpointException.class, () -> ModelDirectory.locate(tmp.resolve("nothing")));
    assertTrue(e.getMessage().contains("nothing"), e.getMessage());
  }
}
