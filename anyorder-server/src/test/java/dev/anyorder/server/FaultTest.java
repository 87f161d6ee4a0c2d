package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.java.JavaNetwork;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures of the server itself, injected through the network: a network that throws gives a 500 without
 * a stack trace and leaves the server serving; shutting down answers 503 to the running and the queued
 * requests.
 */
class FaultTest {
  @TempDir
  Path tmp;

  /** A real network whose calls can be made to throw or to wait. */
  static final class InjectedNetwork implements Network {
    final Network inner;
    volatile boolean failing;
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch entered = new CountDownLatch(1);
    volatile boolean blocking;
    /** Milliseconds each call waits first, to make a generation last long enough to stop it. */
    volatile long delayMillis;

    InjectedNetwork(Network inner) {
      this.inner = inner;
    }

    @Override
    public ModelConfig config() {
      return inner.config();
    }

    @Override
    public DecodeState newState(int batch) {
      return inner.newState(batch);
    }

    @Override
    public List<CallResult> call(DecodeState state, List<SequenceCall> calls) {
      if (failing) {
        throw new IllegalStateException("injected fault: native failure at /secret/path/libtorch.so");
      }
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (blocking) {
        entered.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return inner.call(state, calls);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  /** Loads the model in {@code dir} on a Java network wrapped in an {@link InjectedNetwork}, left in {@code holder[0]}. */
  static Supplier<AnyOrderModel> loader(Path dir, InjectedNetwork[] holder) {
    return () -> {
      SavedModel saved = ModelDirectory.load(dir);
      holder[0] = new InjectedNetwork(new JavaNetwork(saved.config(), NamedTensor.byName(saved.weights()), 1));
      return AnyOrderModel.of(dir, saved, holder[0]);
    };
  }

  @Test
  void aNetworkThatThrowsGivesA500WithoutAStackTrace() {
    InjectedNetwork[] net = new InjectedNetwork[1];
    try (ModelServer server = ModelServer.start(loader(TestModels.textModel(tmp), net), ServerConfig.defaults().withPort(0))) {
      HttpHelper http = new HttpHelper(server.uri());
      net[0].failing = true;
      for (String[] request : new String[][] {{"/v1/generate", "{\"length\": 8}"}, {"/v1/infill", "{\"text\": \"ab__\", \"stream\": true}"},
          {"/v1/score", "{\"text\": \"abc\"}"}}) {
        HttpHelper.Reply r = http.post(request[0], request[1]);
        String body = r.body();
        if (request[1].contains("stream")) {
          assertEquals(200, r.status(), "a stream has started before the failure");
          assertTrue(body.contains("event: error") && body.contains("\"status\":500"), body);
        } else {
          assertEquals(500, r.status(), body);
          assertEquals("internal_error", r.error().get("code").asText());
        }
        assertFalse(body.contains("injected") || body.contains("secret") || body.contains("Exception") || body.contains("\tat "),
            "no internals reach the client: " + body);
      }
      net[0].failing = false;
      assertEquals(200, http.post("/v1/generate", "{\"length\": 8}").status(), "the inference thread survived");
      assertEquals("ok", http.get("/healthz").json().get("status").asText());
    }
  }

  @Test
  void aQueuedStreamWhoseClientLeftGivesUpItsPlaceWithinSeconds() throws Exception {
    InjectedNetwork[] net = new InjectedNetwork[1];
    try (ModelServer server = ModelServer.start(loader(TestModels.textModel(tmp), net), ServerConfig.defaults().withPort(0).withBatching(false))) {
      HttpHelper http = new HttpHelper(server.uri());
      net[0].blocking = true;
      CompletableFuture<HttpHelper.Reply> running = CompletableFuture.supplyAsync(() -> http.post("/v1/generate", "{\"length\": 8}"));
      assertTrue(net[0].entered.await(20, TimeUnit.SECONDS), "the first request reached the network");
      SseClient.Stream stream = SseClient.open(http.client, server.uri().resolve("/v1/generate"), "{\"length\": 6, \"stream\": true}", null);
      assertEquals(200, stream.status());
      assertEquals(1, http.get("/healthz").json().at("/queue/size").asInt(), "the stream's job waits in the queue");
      stream.close(); // what the page's Stop does
      long deadline = System.currentTimeMillis() + 10_000;
      while (http.get("/healthz").json().at("/queue/size").asInt() > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(0, http.get("/healthz").json().at("/queue/size").asInt(), "the job left the queue while the first still ran");
      net[0].release.countDown();
      assertEquals(200, running.get(20, TimeUnit.SECONDS).status());
    }
  }

  @Test
  void shuttingDownAnswers503ToRunningAndQueuedRequests() throws Exception {
    InjectedNetwork[] net = new InjectedNetwork[1];
    ModelServer server = ModelServer.start(loader(TestModels.textModel(tmp), net), ServerConfig.defaults().withPort(0).withBatching(false));
    HttpHelper http = new HttpHelper(server.uri());
    net[0].blocking = true;
    CompletableFuture<HttpHelper.Reply> running = CompletableFuture.supplyAsync(() -> http.post("/v1/generate", "{\"length\": 8}"));
    assertTrue(net[0].entered.await(20, TimeUnit.SECONDS), "the first request reached the network");
    CompletableFuture<HttpHelper.Reply> queued = CompletableFuture.supplyAsync(() -> http.post("/v1/generate", "{\"length\": 6}"));
    long deadline = System.currentTimeMillis() + 10_000;
    while (http.get("/healthz").json().at("/queue/size").asInt() < 1 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(1, http.get("/healthz").json().at("/queue/size").asInt(), "the second request waits in the queue");
    Thread stopper = new Thread(server::stop);
    stopper.start();
    for (CompletableFuture<HttpHelper.Reply> f : List.of(running, queued)) {
      HttpHelper.Reply r = f.get(20, TimeUnit.SECONDS);
      assertEquals(503, r.status(), r.body());
      assertEquals("shutting_down", r.error().get("code").asText());
    }
    net[0].release.countDown();
    stopper.join(30_000);
    assertFalse(stopper.isAlive(), "the server stopped");
  }
}
