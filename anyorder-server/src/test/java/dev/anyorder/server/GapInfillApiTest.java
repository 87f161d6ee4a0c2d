package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.Backend;
import dev.anyorder.sampling.GapFill;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/infill} with gaps of unknown length ({@code {...}}, {@code {...N}}) on a model whose record
 * declares them: fills keep the context, respect each gap's bound, come best first with their log-probability
 * and gap lengths, and equal the Java API's {@link AnyOrderModel#fillGaps} for the same seed; bad requests are
 * 400s naming the field; {@code /v1/model} reports the layout and the content block as the longest sequence.
 */
class GapInfillApiTest {
  @TempDir
  static Path tmp;
  static Path modelDir;
  static ModelServer server;
  static HttpHelper http;

  @BeforeAll
  static void start() {
    modelDir = TestModels.gapTextModel(tmp, 40, 3, 12);
    server = ModelServer.start(modelDir, ServerConfig.defaults().withPort(0).withMaxBodyBytes(4096));
    http = new HttpHelper(server.uri());
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void gapsOfUnknownLengthAreFilledBestFirst() {
    String body = "{\"text\": \"the {...} fox {...4} over the dog_\", \"seed\": 5, \"num_samples\": 6, \"sampler\": \"sequential\"}";
    HttpHelper.Reply r = http.post("/v1/infill", body);
    assertEquals(200, r.status(), r.body());
    JsonNode samples = r.json().get("samples");
    assertEquals(6, samples.size());
    double previous = Double.POSITIVE_INFINITY;
    for (JsonNode s : samples) {
      String text = s.get("text").asText();
      int first = s.at("/gap_lengths/0").asInt();
      int second = s.at("/gap_lengths/1").asInt();
      assertTrue(first <= 12 && second <= 4, s.toString());
      assertTrue(text.startsWith("the "), text);
      assertEquals(" fox ", text.substring(4 + first, 9 + first), text);
      assertTrue(text.substring(9 + first + second).startsWith(" over the dog"), text);
      assertEquals("the  fox  over the dog_".length() + first + second, text.length(), text);
      double lp = s.get("log_prob").asDouble();
      assertTrue(lp <= previous, "best first");
      assertTrue(s.get("length_log_prob").asDouble() <= 0);
      previous = lp;
    }
    try (AnyOrderModel model = AnyOrderModel.load(modelDir, Backend.JAVA, 1)) {
      List<GapFill> direct = model.fillGaps("the {...} fox {...4} over the dog_",
          SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withSeed(5).withNumSamples(6));
      for (int i = 0; i < direct.size(); i++) {
        assertEquals(model.decode(direct.get(i).tokens()), samples.get(i).get("text").asText(), "fill " + i);
        assertEquals(direct.get(i).logProb(), samples.get(i).get("log_prob").asDouble(), 1e-4);
      }
    }
  }

  @Test
  void modelReportsTheGapLayout() {
    JsonNode m = http.get("/v1/model").json();
    assertEquals(40, m.at("/limits/max_length").asInt(), "the content block, not the slots: " + m);
    assertEquals(12, m.at("/limits/gaps/max_gap").asInt(), m.toString());
  }

  @Test
  void badGapRequestsAre400NamingTheField() {
    assertField("{\"text\": \"a {... b\"}", "text", "unclosed brace");
    assertField("{\"text\": \"a {...13} b\"}", "text", "at most 12");
    assertField("{\"text\": \"a {...} b\", \"stream\": true}", "stream", "not available");
    assertField("{\"text\": \"a {...} b\", \"order\": [0]}", "order", "order");
  }

  private static void assertField(String body, String field, String words) {
    HttpHelper.Reply r = http.post("/v1/infill", body);
    assertEquals(400, r.status(), body + " -> " + r.body());
    assertEquals(field, r.error().path("field").asText(), body + " -> " + r.body());
    assertTrue(r.error().get("message").asText().contains(words), r.body());
    assertFalse(r.body().contains("Exception"), r.body());
  }
}
