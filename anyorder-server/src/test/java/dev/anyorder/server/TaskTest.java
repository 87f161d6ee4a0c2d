package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model whose training record names the Sudoku task: the server offers fresh puzzles; id-only rules apply. */
class TaskTest {
  @TempDir
  static Path tmp;
  static ModelServer server;
  static HttpHelper http;

  @BeforeAll
  static void start() {
    server = ModelServer.start(TestModels.sudokuModel(tmp), ServerConfig.defaults().withPort(0));
    http = new HttpHelper(server.uri());
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void theModelNamesItsTaskAndServesInstances() {
    JsonNode model = http.get("/v1/model").json();
    assertEquals("sudoku", model.at("/task/kind").asText());
    assertEquals(false, model.get("text").asBoolean());
    HttpHelper.Reply r = http.get("/v1/task/instance?seed=3");
    assertEquals(200, r.status(), r.body());
    JsonNode instance = r.json();
    assertEquals(81, instance.get("given").size());
    assertEquals(9, instance.get("width").asInt());
    int unknown = 0;
    for (int i = 0; i < 81; i++) {
      int g = instance.get("given").get(i).asInt();
      if (g < 0) {
        unknown++;
      } else {
        assertEquals(instance.get("solution").get(i).asInt(), g);
      }
    }
    assertEquals(81 - 30, unknown);
    assertEquals(instance, http.get("/v1/task/instance?seed=3").json(), "the seed fixes the instance");
    assertEquals(400, http.get("/v1/task/instance?seed=abc").status());
  }

  @Test
  void aPuzzleIsSolvedThroughGenerateKeepingItsGivens() {
    JsonNode instance = http.get("/v1/task/instance?seed=8").json();
    HttpHelper.Reply r = http.post("/v1/generate", "{\"given\": " + instance.get("given") + ", \"sampler\": \"adaptive\", \"k\": 8}");
    assertEquals(200, r.status(), r.body());
    JsonNode tokens = r.json().at("/samples/0/tokens");
    for (int i = 0; i < 81; i++) {
      int g = instance.get("given").get(i).asInt();
      if (g >= 0) {
        assertEquals(g, tokens.get(i).asInt());
      }
      assertTrue(tokens.get(i).asInt() >= 0 && tokens.get(i).asInt() < 9);
    }
    assertTrue(r.json().get("nfe").asInt() <= 51 / 8 + 2, "adaptive with k = 8 commits 8 cells a step");
  }

  @Test
  void theCheckEndpointJudgesASudokuAndMarksItsWrongCells() {
    JsonNode instance = http.get("/v1/task/instance?seed=5").json();
    JsonNode solution = instance.get("solution");
    JsonNode right = http.post("/v1/task/check", "{\"seed\": 5, \"tokens\": " + solution + "}").json();
    assertEquals(true, right.get("solved").asBoolean(), right.toString());
    assertEquals(0, right.get("wrong").size());
    assertEquals(1.0, right.at("/metrics/cellAccuracy").asDouble());
    assertTrue(right.get("rendered").asText().contains("------+-------+------"), "the plain-text drawing of the grid");

    // Swap two generated cells of one row: still a permutation per row, but columns break.
    int[] tokens = new int[81];
    for (int i = 0; i < 81; i++) {
      tokens[i] = solution.get(i).asInt();
    }
    int a = -1;
    int b = -1;
    for (int i = 0; i < 81 && b < 0; i++) {
      if (instance.get("given").get(i).asInt() < 0) {
        for (int j = i + 1; j < (i / 9 + 1) * 9; j++) {
          if (instance.get("given").get(j).asInt() < 0 && tokens[j] != tokens[i]) {
            a = i;
            b = j;
            break;
          }
        }
      }
    }
    int t = tokens[a];
    tokens[a] = tokens[b];
    tokens[b] = t;
    JsonNode wrong = http.post("/v1/task/check", "{\"seed\": 5, \"tokens\": " + java.util.Arrays.toString(tokens) + "}").json();
    assertEquals(false, wrong.get("solved").asBoolean(), wrong.toString());
    assertEquals("[" + a + "," + b + "]", wrong.get("wrong").toString(), "exactly the two swapped cells are wrong");

    HttpHelper.Reply shortOne = http.post("/v1/task/check", "{\"seed\": 5, \"tokens\": [1, 2]}");
    assertEquals(400, shortOne.status());
    assertEquals("tokens", shortOne.error().get("field").asText());
    assertEquals("seed", http.post("/v1/task/check", "{\"tokens\": " + solution + "}").error().get("field").asText());
    assertEquals("tokens", http.post("/v1/task/check", "{\"seed\": 5, \"tokens\": [9]}").error().get("field").asText());
  }

  @Test
  void theModelDescriptionCarriesTheLibraryDefaultsByRequestField() {
    JsonNode options = http.get("/v1/model").json().get("options");
    assertEquals(dev.anyorder.sampling.SamplerConfig.DEFAULT_KIND.label(), options.get("default_sampler").asText());
    for (dev.anyorder.sampling.SamplerKind kind : dev.anyorder.sampling.SamplerKind.values()) {
      dev.anyorder.sampling.SamplerConfig d = dev.anyorder.sampling.SamplerConfig.defaults(kind);
      JsonNode shown = options.at("/defaults/" + kind.label());
      assertEquals(ResponseWriter.sampler(d).toString(), shown.toString(), kind.label());
      // Sending the shown defaults back gives the same configuration as sending nothing.
      com.fasterxml.jackson.databind.node.ObjectNode body = ((com.fasterxml.jackson.databind.node.ObjectNode) shown.deepCopy());
      body.put("length", 81);
      HttpHelper.Reply r = http.post("/v1/generate", body.toString());
      assertEquals(200, r.status(), r.body());
      assertEquals(shown.toString(), r.json().get("sampler").toString(), kind.label());
    }
  }

  @Test
  void textEndpointsExplainThatThisModelUsesIds() {
    HttpHelper.Reply r = http.post("/v1/infill", "{\"text\": \"1_3\"}");
    assertEquals(400, r.status());
    assertEquals("text", r.error().get("field").asText());
    assertEquals(400, http.post("/v1/score", "{\"text\": \"123\"}").status());
    assertEquals(200, http.post("/v1/score", "{\"tokens\": [1, 2, 3], \"known\": [0]}").status());
  }

  @Test
  void taskFieldsAreParsedInEveryForm() {
    com.fasterxml.jackson.databind.ObjectMapper m = ResponseWriter.MAPPER;
    assertEquals("maze-9x11", ModelTask.parse(m.valueToTree("maze")).task().name());
    assertEquals("maze-13x21", ModelTask.parse(m.valueToTree("maze-13x21")).task().name());
    assertEquals(7, ModelTask.parse(m.createObjectNode().put("name", "maze").put("height", 7).put("width", 9)).board().height());
    assertEquals(3, ((dev.anyorder.tasks.maze.MazeTask) ModelTask.parse(m.valueToTree("maze-7x7")).task()).config().walls(),
        "an old demo model's name rebuilds the 7x7 maze the demo trained (3 walls), not 6 walls");
    assertEquals("sudoku-40", ModelTask.parse(m.valueToTree("sudoku-40")).task().name());
    assertEquals("sudoku-25", ModelTask.parse(m.createObjectNode().put("name", "sudoku").put("givens", 25)).task().name());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ModelTask.parse(m.valueToTree("chess")));
  }
}
