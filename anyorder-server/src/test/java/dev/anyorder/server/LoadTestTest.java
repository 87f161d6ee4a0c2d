package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load-test client against a live server, and the server's own time limit answering 503. */
class LoadTestTest {
  @TempDir
  Path tmp;

  @Test
  void closedLoopLevelsSucceedAndABurstGetsOnly200Or429() throws Exception {
    try (ModelServer server = ModelServer.start(TestModels.textModel(tmp, 16), ServerConfig.defaults().withPort(0).withQueueCapacity(4))) {
      LoadTest test = new LoadTest(null);
      // Adaptive decoding: long enough per request that a burst of forty overflows the queue on any machine.
      ObjectNode body = ResponseWriter.MAPPER.createObjectNode().put("sampler", "adaptive").put("length", 16);
      LoadTest.Level level = test.run(server.uri(), body, 3, 1.0);
      assertTrue(level.ok() > 0, level.toString());
      assertEquals(0, level.failed() + level.rejected(), "3 clients never overflow a queue of 4: " + level);
      assertTrue(level.p99Millis() >= level.p50Millis());
      assertEquals(0, level.serverErrors());
      if (ModelServer.residentBytes() > 0) {
        assertTrue(level.rss() != null && level.rss().before() > 0 && level.rss().peak() >= level.rss().after(), level.toString());
      }
      int[] burst = test.burst(server.uri(), body, 40);
      assertEquals(0, burst[2], "only 200 or 429 in a burst");
      assertEquals(40, burst[0] + burst[1]);
      assertTrue(burst[1] > 0, "40 simultaneous requests overflow a queue of 4");
      assertEquals("ok", test.health(server.uri()).get("status").asText());
      assertEquals(3, LoadTest.levels("1, 4,16").length);
    }
  }

  @Test
  void theMixedScenarioSendsOneLongJobASecondAmongTheShortOnes() throws Exception {
    try (ModelServer server = ModelServer.start(TestModels.textModel(tmp, 48), ServerConfig.defaults().withPort(0)
        .withMaxWork(FairnessTest.UNBOUNDED_WORK))) {
      LoadTest test = new LoadTest(null);
      ObjectNode shortBody = ResponseWriter.MAPPER.createObjectNode().put("sampler", "sequential").put("length", 8);
      ObjectNode longBody = ResponseWriter.MAPPER.createObjectNode().put("sampler", "adaptive").put("k", 1).put("length", 48)
          .put("num_samples", 4);
      LoadTest.LongJobs[] longJobs = new LoadTest.LongJobs[1];
      LoadTest.Level mixed = test.runMixed(server.uri(), shortBody, longBody, 2, 2.0, j -> longJobs[0] = j);
      assertTrue(mixed.ok() > 0 && mixed.failed() == 0, mixed.toString());
      assertEquals(2, longJobs[0].sent(), "one long job a second for two seconds: " + longJobs[0]);
      assertEquals(2, longJobs[0].ok(), longJobs[0].toString());
      System.out.printf("mixed: short p50 %.1f ms, p99 %.1f ms; long jobs %s%n", mixed.p50Millis(), mixed.p99Millis(), longJobs[0]);
    }
  }

  @Test
  void theServersOwnTimeLimitAnswers503() {
    try (ModelServer server = ModelServer.start(TestModels.textModel(tmp, 48), ServerConfig.defaults().withPort(0).withMaxWork(FairnessTest.UNBOUNDED_WORK)
        .withRequestTimeout(Duration.ofMillis(1)))) {
      HttpHelper.Reply r = new HttpHelper(server.uri()).post("/v1/generate", "{\"num_samples\": 16, \"sampler\": \"adaptive\"}");
      assertEquals(503, r.status(), r.body());
      assertEquals("timeout", r.error().get("code").asText());
    }
  }
}
