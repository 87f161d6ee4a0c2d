package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admission by cost: the queue holds a bounded total cost, and a long job does not starve short ones. */
class AdmissionTest {
  @TempDir
  Path tmp;

  private static GenerationJob job(int length, int samples) {
    SamplerConfig sampler = SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withNumSamples(samples);
    GenerationSpec spec = new GenerationSpec(SampleRequest.unconditional(length), sampler, false, Duration.ofSeconds(60), false);
    return new GenerationJob(spec, (long) length * samples, null);
  }

  @Test
  void theQueueIsBoundedByCostNotByCount() {
    CountDownLatch never = new CountDownLatch(1);
    Supplier<AnyOrderModel> blocked = () -> {
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("no model in this test");
    };
    InferenceWorker worker = new InferenceWorker(blocked, ServerConfig.defaults().withMaxCost(100).withQueueCost(150));
    try {
      assertEquals(100, job(25, 4).cost());
      assertTrue(worker.offer(job(25, 4)));
      assertFalse(worker.offer(job(20, 3)), "100 + 60 would pass the queue's cost of 150");
      assertTrue(worker.offer(job(10, 5)), "100 + 50 fits");
      assertEquals(150, worker.queuedCost());
      assertFalse(worker.offer(job(1, 1)), "the queue's cost is spent even though it holds two requests of 64");
    } finally {
      never.countDown();
      worker.close();
    }
  }

  @Test
  void aShortRequestIsAnsweredBetweenTheEvaluationsOfALongOne() throws Exception {
    // A generous request timeout: on a loaded machine the long job may take far longer than on an idle one.
    try (ModelServer server = ModelServer.start(TestModels.textModel(tmp, 128), ServerConfig.defaults().withPort(0).withMaxWork(FairnessTest.UNBOUNDED_WORK)
        .withRequestTimeout(Duration.ofMinutes(10)))) {
      HttpHelper http = new HttpHelper(server.uri());
      // Adaptive decoding asks for every remaining position at each of its 128 evaluations: a long job
      // even on an idle machine, where sequential decoding of the same length can end before the short
      // request arrives.
      String longBody = "{\"length\": 128, \"num_samples\": 8, \"sampler\": \"adaptive\", \"stream\": true}";
      try (SseClient.Stream stream = SseClient.open(http.client, server.uri().resolve("/v1/generate"), longBody, null)) {
        assertEquals("commit", stream.next().name(), "the long request is running");
        CompletableFuture<Long> shortDone = CompletableFuture.supplyAsync(() -> {
          HttpHelper.Reply r = http.post("/v1/generate", "{\"length\": 8, \"sampler\": \"sequential\"}");
          assertEquals(200, r.status(), r.body());
          return System.nanoTime();
        });
        long longDone = 0;
        String last = null;
        for (SseClient.Event e = stream.next(); e != null; e = stream.next()) {
          last = e.name() + " " + e.data();
          if (e.name().equals("result")) {
            longDone = e.receivedNanos();
          }
        }
        assertTrue(longDone > 0, "the long request finished; its stream ended with " + last);
        long shortAt = shortDone.get();
        assertTrue(shortAt < longDone, "the short request finished " + (shortAt - longDone) / 1e6 + " ms after the long one");
      }
      assertTrue(http.get("/healthz").json().at("/stats/yields").asLong() >= 1);
    }
  }
}
