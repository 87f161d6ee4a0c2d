package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.Backend;
import dev.anyorder.data.IdVocabulary;
import dev.anyorder.io.CheckpointException;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerConfigJson;
import dev.anyorder.sampling.SamplerDefaults;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.testing.TinyModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that records the decoding it was made for ({@code training.decoding}, as the demo's maze model
 * does) is served on it: {@code GET /v1/model} lists it as {@code options.recommended}, as the default
 * sampler and as that sampler's defaults, and a request naming no sampler decodes with it. A model without
 * one is described and served as before, and a bad record fails the start naming the file and the field.
 */
class RecommendedDecodingServingTest {
  /** The demo's kind of recommendation: adaptive, margin, one position per call, temperature 0.1. */
  static final SamplerConfig RECOMMENDED = SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(PositionRule.MARGIN).withTemperature(0.1);

  @TempDir
  static Path tmp;
  static Path modelDir;
  static ModelServer server;
  static HttpHelper http;

  @BeforeAll
  static void start() {
    modelDir = TestModels.interiorMazeModel(tmp.resolve("recommending"), SamplerConfigJson.toJson(RECOMMENDED));
    server = ModelServer.start(modelDir, ServerConfig.defaults().withPort(0));
    http = new HttpHelper(server.uri());
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void theModelDescriptionOpensOnTheRecommendedDecoding() {
    JsonNode options = http.get("/v1/model").json().get("options");
    String recommended = SamplerConfigJson.toJson(RECOMMENDED).toString();
    assertEquals(recommended, options.get("recommended").toString());
    assertEquals("adaptive", options.get("default_sampler").asText());
    assertEquals(recommended, options.at("/defaults/adaptive").toString(), "the recommended sampler's defaults are the recommendation");
    for (SamplerKind kind : List.of(SamplerKind.SEQUENTIAL, SamplerKind.BURST, SamplerKind.SPECULATIVE)) {
      assertEquals(SamplerConfigJson.toJson(SamplerConfig.defaults(kind)).toString(), options.at("/defaults/" + kind.label()).toString(),
          kind.label() + " keeps the library's defaults");
    }
  }

  @Test
  void aModelWithoutOneIsDescribedAsBefore() {
    try (ModelServer plain = ModelServer.start(TestModels.interiorMazeModel(tmp.resolve("plain")), ServerConfig.defaults().withPort(0))) {
      JsonNode options = new HttpHelper(plain.uri()).get("/v1/model").json().get("options");
      assertFalse(options.has("recommended"), options.toString());
      assertEquals(SamplerConfig.DEFAULT_KIND.label(), options.get("default_sampler").asText());
      for (SamplerKind kind : SamplerKind.values()) {
        assertEquals(SamplerConfigJson.toJson(SamplerConfig.defaults(kind)).toString(), options.at("/defaults/" + kind.label()).toString());
      }
    }
  }

  @Test
  void aRequestNamingNoSamplerDecodesWithTheRecommendedOne() throws Exception {
    JsonNode given = http.get("/v1/task/instance?seed=4").json().get("given");
    HttpHelper.Reply r = http.post("/v1/generate", "{\"given\": " + given + "}");
    assertEquals(200, r.status(), r.body());
    assertEquals(SamplerConfigJson.toJson(RECOMMENDED).toString(), r.json().get("sampler").toString());
    int targets = 0;
    int[] tokens = new int[given.size()];
    for (int i = 0; i < given.size(); i++) {
      targets += given.get(i).asInt() < 0 ? 1 : 0;
      tokens[i] = given.get(i).asInt();
    }
    assertEquals(targets, r.json().get("nfe").asInt(), "adaptive with k = 1: one network call per open cell");
    try (AnyOrderModel model = AnyOrderModel.load(modelDir, Backend.AUTO, 1)) {
      int[] direct = model.sampler(RECOMMENDED).sample(List.of(new SampleRequest(tokens))).samples().get(0).tokens();
      int[] served = new int[direct.length];
      for (int i = 0; i < served.length; i++) {
        served[i] = r.json().at("/samples/0/tokens/" + i).asInt();
      }
      assertArrayEquals(direct, served, "the same samples as the recommended decoding from Java");
    }
  }

  @Test
  void aRequestNamingASamplerStartsFromThatSamplersDefaults() {
    JsonNode given = http.get("/v1/task/instance?seed=5").json().get("given");
    assertEquals(SamplerConfigJson.toJson(RECOMMENDED).toString(), sampler("{\"given\": " + given + ", \"sampler\": \"adaptive\"}"));
    assertEquals(SamplerConfigJson.toJson(RECOMMENDED.withTemperature(1)).toString(),
        sampler("{\"given\": " + given + ", \"temperature\": 1}"), "a field given overrides only itself");
    assertEquals(SamplerConfigJson.toJson(SamplerConfig.defaults(SamplerKind.SPECULATIVE)).toString(),
        sampler("{\"given\": " + given + ", \"sampler\": \"speculative\"}"), "another sampler keeps the library's defaults");
  }

  @Test
  void theParserStartsFromTheModelsDefaults() {
    RequestParser parser = new RequestParser(TinyModels.config(3, 8), new IdVocabulary(3), ServerConfig.defaults(),
        new SamplerDefaults(Optional.of(RECOMMENDED)));
    assertEquals(RECOMMENDED, parser.generate("{\"length\": 4}".getBytes(StandardCharsets.UTF_8)).sampler());
  }

  @Test
  void aBadRecordedDecodingFailsTheStartNamingTheFileAndTheField() throws Exception {
    Path bad = TestModels.interiorMazeModel(tmp.resolve("bad"),
        ResponseWriter.MAPPER.readTree("{\"sampler\": \"adaptive\", \"rule\": \"surest\"}"));
    CheckpointException e = assertThrows(CheckpointException.class, () -> ModelServer.start(bad, ServerConfig.defaults().withPort(0)));
    assertTrue(e.getMessage().contains(bad.resolve(ModelDirectory.CONFIG_FILE).toString()), e.getMessage());
    assertTrue(e.getMessage().contains("'training.decoding.rule'"), e.getMessage());
  }

  private static String sampler(String body) {
    HttpHelper.Reply r = http.post("/v1/generate", body);
    assertEquals(200, r.status(), r.body());
    return r.json().get("sampler").toString();
  }
}
