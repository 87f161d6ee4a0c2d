package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint of a text model's server, its successes and its client errors. */
class ApiTest {
  @TempDir
  static Path tmp;
  static Path modelDir;
  static ModelServer server;
  static HttpHelper http;

  @BeforeAll
  static void start() {
    modelDir = TestModels.textModel(tmp);
    server = ModelServer.start(modelDir, ServerConfig.defaults().withPort(0).withMaxBodyBytes(4096)
        .withMaxWork(FairnessTest.UNBOUNDED_WORK));
    http = new HttpHelper(server.uri());
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void healthzReportsOkAndTheQueue() {
    HttpHelper.Reply r = http.get("/healthz");
    assertEquals(200, r.status());
    assertEquals("ok", r.json().get("status").asText());
    assertEquals(64, r.json().at("/queue/capacity").asInt());
    assertTrue(r.json().at("/stats/batches").isNumber());
  }

  @Test
  void modelDescribesConfigVocabularyAndLimits() {
    HttpHelper.Reply r = http.get("/v1/model");
    assertEquals(200, r.status());
    JsonNode m = r.json();
    assertEquals(TestModels.TEXT_LENGTH, m.at("/config/maxLength").asInt(), m.toString());
    assertTrue(m.get("text").asBoolean());
    assertEquals("characters", m.at("/vocabulary/type").asText());
    assertTrue(m.get("task").isNull());
    assertEquals(16, m.at("/limits/max_samples").asInt());
    assertTrue(m.at("/options/samplers").toString().contains("speculative"));
  }

  @Test
  void generateKeepsKnownTokensAndReportsNfeAndTiming() {
    HttpHelper.Reply r = http.post("/v1/generate", "{\"length\": 20, \"known\": {\"0\": 3, \"19\": 5}, \"sampler\": \"sequential\", \"seed\": 4}");
    assertEquals(200, r.status(), r.body());
    JsonNode s = r.json().at("/samples/0");
    assertEquals(20, s.get("tokens").size());
    assertEquals(3, s.get("tokens").get(0).asInt());
    assertEquals(5, s.get("tokens").get(19).asInt());
    assertEquals(18, s.get("nfe").asInt(), "sequential: one evaluation per generated token");
    assertEquals(18, r.json().get("tokens_generated").asInt());
    assertEquals(20, s.get("text").asText().length());
    assertTrue(r.json().at("/timing/total_ms").asDouble() >= r.json().at("/timing/compute_ms").asDouble());
    assertEquals("sequential", r.json().at("/sampler/sampler").asText());
  }

  @Test
  void generateFromAPromptOrAGivenArray() {
    HttpHelper.Reply r = http.post("/v1/generate", "{\"prompt\": \"the \", \"length\": 12}");
    assertEquals(200, r.status(), r.body());
    assertTrue(r.json().at("/samples/0/text").asText().startsWith("the "));
    r = http.post("/v1/generate", "{\"given\": [1, -1, 2, -1], \"sampler\": \"adaptive\", \"k\": 2}");
    assertEquals(200, r.status(), r.body());
    assertEquals(1, r.json().at("/samples/0/tokens/0").asInt());
    assertEquals(2, r.json().at("/samples/0/tokens/2").asInt());
  }

  @Test
  void infillFillsOnlyTheGapsWithEverySampler() {
    String text = "the qu_ck br__n fox ju_ps";
    for (String sampler : List.of("sequential", "adaptive", "burst", "speculative")) {
      HttpHelper.Reply r = http.post("/v1/infill", "{\"text\": \"" + text + "\", \"sampler\": \"" + sampler + "\", \"seed\": 9}");
      assertEquals(200, r.status(), sampler + ": " + r.body());
      String out = r.json().at("/samples/0/text").asText();
      assertEquals(text.length(), out.length());
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) != '_') {
          assertEquals(text.charAt(i), out.charAt(i), sampler + " changed a known character: " + out);
        } else {
          assertNotEquals('_', out.charAt(i));
        }
      }
      assertEquals(4, r.json().get("tokens_generated").asInt());
      assertTrue(r.json().get("nfe").asInt() >= 1);
    }
  }

  @Test
  void sameSeedSameSamplesAsTheJavaApi() throws Exception {
    String body = "{\"text\": \"a____b____c\", \"sampler\": \"speculative\", \"seed\": 77, \"num_samples\": 3, \"order\": \"fractal\"}";
    HttpHelper.Reply first = http.post("/v1/infill", body);
    HttpHelper.Reply second = http.post("/v1/infill", body);
    assertEquals(200, first.status(), first.body());
    assertEquals(first.json().get("samples"), second.json().get("samples"));
    assertEquals(3, first.json().get("samples").size());
    try (AnyOrderModel model = AnyOrderModel.load(modelDir)) {
      SamplerConfig config = SamplerConfig.defaults(SamplerKind.SPECULATIVE).withSeed(77).withNumSamples(3)
          .withOrder(dev.anyorder.orders.OrderKind.FRACTAL);
      List<Sample> direct = model.sampler(config).sample(model.infill("a____b____c", '_')).samples();
      for (int i = 0; i < 3; i++) {
        int[] served = new int[11];
        for (int p = 0; p < 11; p++) {
          served[p] = first.json().at("/samples/" + i + "/tokens/" + p).asInt();
        }
        assertArrayEquals(direct.get(i).tokens(), served, "sample " + i);
      }
    }
    HttpHelper.Reply other = http.post("/v1/infill", body.replace("77", "78"));
    assertNotEquals(first.json().get("samples"), other.json().get("samples"));
  }

  @Test
  void scoreUnderOneOrderAndOrderFree() {
    HttpHelper.Reply r = http.post("/v1/score", "{\"text\": \"the lazy dog\", \"known\": [0, 1, 2]}");
    assertEquals(200, r.status(), r.body());
    assertEquals(9, r.json().get("targets").asInt());
    assertTrue(r.json().get("log_prob").asDouble() < 0);
    assertTrue(r.json().at("/per_position/0").isNull(), "known positions are not scored");
    assertEquals(r.json().get("log_prob").asDouble() / -9, r.json().get("nats_per_token").asDouble(), 1e-9);
    HttpHelper.Reply m = http.post("/v1/score", "{\"tokens\": [1, 2, 3, 4, 5], \"orders\": 6, \"seed\": 3}");
    assertEquals(200, m.status(), m.body());
    assertEquals(6, m.json().get("per_order_log_prob").size());
    assertTrue(m.json().get("standard_error").isNumber());
    HttpHelper.Reply e = http.post("/v1/score", "{\"tokens\": [1, 2, 3], \"order\": [2, 0, 1]}");
    assertEquals(200, e.status(), e.body());
    assertEquals("[2,0,1]", e.json().get("order").toString());
  }

  @Test
  void clientErrorsAre400NamingTheField() {
    assertField("/v1/infill", "{\"text\": \"a_b\", \"colour\": 1}", "colour");
    assertField("/v1/infill", "{\"text\": \"a_b\", \"k\": \"4\"}", "k");
    assertField("/v1/infill", "{\"text\": \"a_b\", \"k\": 4.5}", "k");
    assertField("/v1/infill", "{\"text\": \"a_b\", \"num_samples\": 1000}", "num_samples");
    assertField("/v1/infill", "{\"text\": \"a_b\", \"temperature\": 0}", "temperature");
    assertField("/v1/infill", "{\"text\": \"a_b\", \"top_p\": 1.5}", "top_p");
    assertField("/v1/infill", "{\"text\": \"a_b\", \"sampler\": \"magic\"}", "sampler");
    assertField("/v1/infill", "{\"text\": \"a_b\", \"order\": \"sideways\"}", "order");
    assertField("/v1/infill", "{\"text\": \"a_b\", \"order\": [0]}", "order");
    assertField("/v1/infill", "{\"text\": \"a_b\", \"seed\": 1e400}", "seed");
    assertField("/v1/infill", "{\"text\": \"a_b\", \"stream\": \"yes\"}", "stream");
    assertField("/v1/infill", "{\"text\": \"a_b\", \"sampler\": \"speculative\", \"bonus\": false, \"k\": 1}", "k");
    assertField("/v1/infill", "{\"text\": \"A_B\"}", "text");
    assertField("/v1/infill", "{\"placeholder\": \"_\"}", "text");
    assertField("/v1/infill", "{\"text\": \"" + "_".repeat(TestModels.TEXT_LENGTH + 1) + "\"}", "text");
    assertField("/v1/generate", "{\"length\": 0}", "length");
    assertField("/v1/generate", "{\"length\": 5, \"known\": {\"7\": 1}}", "known");
    assertField("/v1/generate", "{\"known\": {\"1\": 999}}", "known");
    assertField("/v1/generate", "{\"given\": [1, -2]}", "given");
    assertField("/v1/generate", "{\"given\": [1, -1], \"length\": 2}", "length");
    assertField("/v1/generate", "{\"length\": 48, \"num_samples\": 16, \"orders\": 64, \"sampler\": \"burst\"}", "orders");
    assertField("/v1/score", "{\"text\": \"abc\", \"tokens\": [1]}", "tokens");
    assertField("/v1/score", "{\"tokens\": [1, 2], \"known\": [0, 0]}", "known");
    HttpHelper.Reply r = http.post("/v1/infill", "[1, 2]");
    assertEquals(400, r.status());
    assertEquals("bad_request", r.error().get("code").asText());
    r = http.post("/v1/infill", "{\"text\": \"a_b\"");
    assertEquals(400, r.status());
    assertTrue(r.error().get("message").asText().contains("not valid JSON"), r.body());
  }

  private static void assertField(String path, String body, String field) {
    HttpHelper.Reply r = http.post(path, body);
    assertEquals(400, r.status(), body + " -> " + r.body());
    assertNotNull(r.error(), r.body());
    assertEquals(field, r.error().path("field").asText(), body + " -> " + r.body());
    assertTrue(r.error().get("message").asText().contains(field), r.body());
    assertFalse(r.body().contains("Exception"), r.body());
  }

  @Test
  void httpLevelErrorsAreJson() {
    HttpHelper.Reply r = http.get("/v1/nothing-here");
    assertEquals(404, r.status());
    assertEquals("not_found", r.error().get("code").asText());
    r = http.get("/v1/generate");
    assertEquals(405, r.status(), r.body());
    assertEquals("method_not_allowed", r.error().get("code").asText());
    r = http.postBytes("/v1/infill", ("{\"text\": \"" + "a".repeat(5000) + "\"}").getBytes());
    assertEquals(413, r.status());
    assertEquals("body_too_large", r.error().get("code").asText());
    r = http.send(java.net.http.HttpRequest.newBuilder(http.base.resolve("/v1/infill")).header("Content-Type", "text/plain")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
    assertEquals(415, r.status());
    r = http.get("/v1/task");
    assertEquals(404, r.status());
    assertEquals("no_task", r.error().get("code").asText());
  }

  @Test
  void aRequestPastItsOwnDeadlineGets408() {
    HttpHelper.Reply r = http.post("/v1/generate", "{\"length\": 48, \"num_samples\": 16, \"sampler\": \"adaptive\", \"timeout_ms\": 1}");
    assertEquals(408, r.status(), r.body());
    assertEquals("deadline_exceeded", r.error().get("code").asText());
    assertEquals("timeout_ms", r.error().get("field").asText());
    assertEquals("ok", http.get("/healthz").json().get("status").asText());
  }

  @Test
  void theStaticPageIsServed() {
    HttpHelper.Reply r = http.get("/");
    assertEquals(200, r.status());
    assertTrue(r.body().contains("<title>AnyOrder"), r.body());
    assertEquals(200, http.get("/app.js").status());
  }

  @Test
  void concurrentRequestsAreBatchedAndKeepTheirOwnSeeds() throws Exception {
    // A long adaptive job (another batch key) keeps the inference thread busy while the eight arrive, so they
    // queue together; a 16-token sequential request alone can finish before the next one is sent.
    java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> busy = http.client.sendAsync(
        java.net.http.HttpRequest.newBuilder(http.base.resolve("/v1/generate")).header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"length\": 48, \"num_samples\": 16, \"sampler\": \"adaptive\"}"))
            .build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> futures = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String body = "{\"length\": 16, \"sampler\": \"sequential\", \"seed\": " + i + "}";
      futures.add(http.client.sendAsync(java.net.http.HttpRequest.newBuilder(http.base.resolve("/v1/generate"))
          .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()));
    }
    int maxBatch = 0;
    for (int i = 0; i < futures.size(); i++) {
      java.net.http.HttpResponse<String> response = futures.get(i).get();
      assertEquals(200, response.statusCode(), response.body());
      JsonNode batched = ResponseWriter.MAPPER.readTree(response.body());
      maxBatch = Math.max(maxBatch, batched.at("/batch/requests").asInt());
      JsonNode alone = http.post("/v1/generate", "{\"length\": 16, \"sampler\": \"sequential\", \"seed\": " + i + "}").json();
      assertEquals(alone.at("/samples/0/tokens"), batched.at("/samples/0/tokens"), "seed " + i);
    }
    assertTrue(maxBatch > 1, "8 concurrent requests should share at least one batch");
    assertEquals(200, busy.get().statusCode());
  }
}
