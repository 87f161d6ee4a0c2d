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
