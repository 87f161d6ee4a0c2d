package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerConfigJson;
import dev.anyorder.sampling.SamplingWork;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's fairness under abandoned, long and hostile work, on tiny models over loopback: a dropped
 * burst stream frees the worker within a call, the worst request each sampler may send stays within the
 * time the cost cap stands for, a short request waits for at most one call of a long one, and slow senders
 * on thirty addresses leave {@code /healthz} fast. Time bounds carry margins for a loaded test machine; each
 * test prints what it measured.
 */
class FairnessTest {
  /**
   * A time bound for tests about other limits: the cost cap follows a calibration, which a loaded machine can
   * make several times slower, and must not refuse their requests.
   */
  static final Duration UNBOUNDED_WORK = Duration.ofMinutes(1);

  @TempDir
  static Path tmp;

  /** A long-running server: the per-request cap is set by maxCost, not a time bound, so long jobs are accepted. */
  private static ServerConfig longJobs() {
    return ServerConfig.defaults().withPort(0).withMaxWork(Duration.ofMinutes(10)).withRequestTimeout(Duration.ofMinutes(10))
        .withBatching(false);
  }

  @Test
  void aDroppedBurstStreamFreesTheWorkerWithinOneCall() throws Exception {
    try (ModelServer server = ModelServer.start(TestModels.textModel(tmp, 128), longJobs())) {
      HttpHelper http = new HttpHelper(server.uri());
      // Burst commits only once per round, after a verification of orders × remaining rows, so only the call
      // gate stops it early. A call cannot be cut short: the bound is one call, so the calls are kept small
      // (2 orders × 8 samples) and many (about 150), and "one call" is far below the whole.
      String burst = "{\"length\": 128, \"sampler\": \"burst\", \"orders\": 2, \"num_samples\": 8, \"seed\": %d%s}";
      HttpHelper.Reply alone = http.post("/v1/generate", String.format(burst, 1, ""));
      assertEquals(200, alone.status(), alone.body());
      double aloneMillis = alone.json().at("/timing/compute_ms").asDouble();
      int calls = alone.json().get("nfe").asInt();
      long abandonedBefore = http.get("/healthz").json().at("/stats/abandoned_batches").asLong();
      try (Socket dropped = streamUntilFirstCommit(server, String.format(burst, 2, ", \"stream\": true"))) {
        // closed here: the client leaves mid-burst
      }
      // The next request costs as much as the dropped one, so it is not let in between calls as a short job
      // would be: it waits until the dropped burst has stopped.
      HttpHelper.Reply next = http.post("/v1/generate", String.format(burst, 3, ""));
      assertEquals(200, next.status(), next.body());
      double queued = next.json().at("/timing/queued_ms").asDouble();
      System.out.printf("dropped burst: alone %.0f ms in %d calls (%.1f ms a call); the next request queued %.1f ms%n", aloneMillis,
          calls, aloneMillis / calls, queued);
      assertEquals(abandonedBefore + 1, http.get("/healthz").json().at("/stats/abandoned_batches").asLong(),
          "the dropped burst was abandoned");
      // Within one call of the server learning the client left (at its next write, within a round); the bound
      // leaves room for a loaded machine while still catching a burst that runs to its end.
      assertTrue(queued < aloneMillis / 4, "queued " + queued + " ms behind a dropped burst of " + aloneMillis + " ms");
    }
  }

  @Test
  void theWorstAcceptedRequestOfEverySamplerStaysWithinTheTimeBound() {
    Duration bound = Duration.ofMillis(300);
    ServerConfig config = ServerConfig.defaults().withPort(0).withMaxWork(bound).withMaxSamples(4096).withMaxTokens(1 << 20)
        .withBatching(false);
    try (ModelServer server = ModelServer.start(TestModels.textModel(tmp, 48), config)) {
      HttpHelper http = new HttpHelper(server.uri());
      JsonNode limits = http.get("/v1/model").json().get("limits");
      Map<String, Double> weights = new LinkedHashMap<>();
      limits.get("cost_shape_factors").fields().forEachRemaining(e -> weights.put(e.getKey(), e.getValue().asDouble()));
      CostModel costs = new CostModel(limits.get("cost_ns_per_row").asDouble(), limits.get("cost_rows_per_call").asDouble(),
          limits.get("cost_rows_per_sequence_call").asDouble(), weights, limits.get("max_cost").asLong());
      // Each sampler's dearest settings: %d is a knob (beam width, burst orders) lowered from 64 until one
      // sample fits; the number of samples is then raised as far as the cap allows.
      Map<String, String> shapes = new LinkedHashMap<>();
      shapes.put("sequential", "\"sampler\": \"sequential\"");
      shapes.put("adaptive", "\"sampler\": \"adaptive\", \"k\": 1");
      shapes.put("beam", "\"sampler\": \"adaptive\", \"k\": 1, \"beam\": %d");
      shapes.put("burst", "\"sampler\": \"burst\", \"orders\": %d");
      shapes.put("speculative", "\"sampler\": \"speculative\", \"k\": 8, \"adaptive_k\": true");
      List<String> report = new ArrayList<>();
      List<String> over = new ArrayList<>();
      // /v1/model rounds the cost model's figures: a little room keeps the chosen requests under the exact cap.
      double fits = 0.98 * costs.maxCost();
      for (Map.Entry<String, String> shape : shapes.entrySet()) {
        String fields = shape.getValue();
        for (int knob = 64; fields.contains("%d"); knob--) {
          String candidate = String.format(fields, knob);
          if (knob == 1 || cost(costs, candidate, 1) <= fits) {
            fields = candidate;
          }
        }
        int most = 0;
        for (int n = 1; n <= 4096 && cost(costs, fields, n) <= fits; n++) {
          most = n;
        }
        assertTrue(most >= 1, shape.getKey() + ": even one sample is above the cap");
        if (shape.getKey().equals("burst")) {
          // Burst's orders × samples has its own limit (four batches' worth); its worst request may be below the cap.
          int orders = Integer.parseInt(fields.replaceAll(".*\"orders\": (\\d+).*", "$1"));
          most = Math.min(most, 4 * config.maxBatchSequences() / orders);
        }
        shape.setValue(fields);
        String body = "{\"length\": 48, " + shape.getValue() + ", \"num_samples\": " + most + "}";
        HttpHelper.Reply r = http.post("/v1/generate", body);
        assertEquals(200, r.status(), shape.getKey() + ": " + r.body());
        double millis = r.json().at("/timing/compute_ms").asDouble();
        report.add(String.format("%s x%d: %.0f ms", shape.getValue().replace("\"", ""), most, millis));
        // The cap stands for the bound on the machine as measured at start; a loaded machine may run slower.
        if (millis >= 2.0 * bound.toMillis()) {
          over.add(shape.getKey());
        }
        HttpHelper.Reply refused = http.post("/v1/generate", "{\"length\": 48, " + shape.getValue() + ", \"num_samples\": "
            + (2 * most + 1) + "}");
        assertEquals(400, refused.status(), shape.getKey() + ": " + refused.body());
      }
      System.out.println("worst accepted request per sampler, bound " + bound.toMillis() + " ms (cap " + costs.maxCost() + "): "
          + report);
      assertEquals(List.of(), over, "above twice the bound: " + report);
    }
  }

  private static long cost(CostModel costs, String fields, int samples) {
    SamplerConfig config = SamplerConfigJson.read(dev.anyorder.io.JsonFields.of(parse("{" + fields + ", \"num_samples\": " + samples
        + "}"), ""), new SamplerConfigJson.Limits(TestModels.ALPHABET.length(), 64, 64, 4096, 48, 100, 100),
        dev.anyorder.sampling.SamplerDefaults.LIBRARY);
    return costs.cost(config, SamplingWork.of(config, 48, 0));
  }

  private static JsonNode parse(String json) {
    try {
      return ResponseWriter.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aShortRequestQueuedBehindALongOneStartsWithinOneCall() throws Exception {
    try (ModelServer server = ModelServer.start(TestModels.textModel(tmp, 128), longJobs())) {
      HttpHelper http = new HttpHelper(server.uri());
      String longBody = "{\"length\": 128, \"num_samples\": 8, \"sampler\": \"adaptive\", \"k\": 1, \"stream\": true}";
      try (Socket stream = streamUntilFirstCommit(server, longBody)) {
        HttpHelper.Reply shortReply = http.post("/v1/generate", "{\"length\": 8, \"sampler\": \"sequential\"}");
        assertEquals(200, shortReply.status(), shortReply.body());
        double queued = shortReply.json().at("/timing/queued_ms").asDouble();
        JsonNode result = resultOf(stream);
        double longMillis = result.at("/timing/compute_ms").asDouble();
        int calls = result.get("nfe").asInt();
        System.out.printf("short behind long: the long job ran %.0f ms in %d calls (%.1f ms a call); the short one queued %.1f ms%n",
            longMillis, calls, longMillis / calls, queued);
        // One call is longMillis / calls on average; the margin covers a loaded machine's scheduling.
        assertTrue(queued < Math.max(8 * longMillis / calls, 100), "queued " + queued + " ms; a call takes about "
            + longMillis / calls + " ms");
      }
    }
  }

  @Test
  void slowUploadsFromThirtyAddressesLeaveHealthFast() throws Exception {
    ServerConfig config = ServerConfig.defaults().withPort(0).withBodyTimeout(Duration.ofSeconds(3));
    try (ModelServer server = ModelServer.start(TestModels.textModel(tmp, 16), config)) {
      HttpHelper http = new HttpHelper(server.uri());
      List<Socket> slow = new ArrayList<>();
      try {
        // Ten from each address stays under the per-address limit of 16; 300 in all would fill Jetty's threads.
        for (int a = 2; a <= 31; a++) {
          InetAddress from = InetAddress.getByName("127.0.0." + a);
          for (int i = 0; i < 10; i++) {
            slow.add(slowUpload(server, from));
          }
        }
        Thread.sleep(300);
        long[] millis = new long[10];
        for (int i = 0; i < millis.length; i++) {
          long t0 = System.nanoTime();
          HttpHelper.Reply r = http.get("/healthz");
          millis[i] = (System.nanoTime() - t0) / 1_000_000;
          assertEquals(200, r.status(), r.body());
        }
        Arrays.sort(millis);
        System.out.println("healthz with 300 slow bodies from 30 addresses: " + Arrays.toString(millis) + " ms");
        assertTrue(millis[millis.length / 2] < 100, Arrays.toString(millis));
        assertTrue(millis[millis.length - 1] < 1000, Arrays.toString(millis));
        // Every slow sender is answered: 503 beyond the server-wide cap, 408 when its deadline passes (then its
        // place goes to a later one, so how many are refused depends on the machine's speed).
        int refused = 0;
        int timedOut = 0;
        List<String> unanswered = new ArrayList<>();
        for (Socket s : slow) {
          String status = statusLine(s.getInputStream());
          if (status.contains(" 503")) {
            refused++;
          } else if (status.contains(" 408")) {
            timedOut++;
          } else if (!status.isEmpty() && !status.startsWith("closed: Connection reset")) {
            unanswered.add(status);
          }
        }
        assertTrue(refused > 0, "the server-wide cap refused none: 408 " + timedOut);
        assertEquals(List.of(), unanswered, "408 " + timedOut + ", 503 " + refused);
      } finally {
        for (Socket s : slow) {
          s.close();
        }
      }
    }
  }

  /** A connection from {@code from} that sent the headers of a 1,000-byte JSON body and one byte of it, and then stalls. */
  private static Socket slowUpload(ModelServer server, InetAddress from) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
    s.setSoTimeout(10_000);
    OutputStream out = s.getOutputStream();
    out.write(("POST /v1/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }

  private static String statusLine(InputStream in) {
    StringBuilder line = new StringBuilder();
    try {
      for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
        line.append((char) c);
      }
    } catch (IOException e) {
      return "closed: " + e.getMessage();
    }
    return line.toString();
  }

  /**
   * A raw streaming request, read up to its first commit event: closing the socket then is a client that
   * leaves mid-request, with nothing between it and the server (an HTTP client might keep the connection).
   */
  static Socket streamUntilFirstCommit(ModelServer server, String body) throws IOException {
    return streamUntilFirstCommit(server.port(), body);
  }

  /** As {@link #streamUntilFirstCommit(ModelServer, String)}, to a server on loopback port {@code port}. */
  static Socket streamUntilFirstCommit(int port, String body) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(120_000);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    OutputStream out = s.getOutputStream();
    // HTTP/1.0: the events arrive as written, without chunk framing, and the body ends when the server closes.
    out.write(("POST /v1/generate HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
    InputStream in = s.getInputStream();
    for (String line = readLine(in); line != null; line = readLine(in)) {
      if (line.equals("event: commit")) {
        return s;
      }
    }
    s.close();
    throw new AssertionError("the stream ended before its first commit");
  }

  /** Reads a stream opened by {@link #streamUntilFirstCommit} to its result event's data. */
  static JsonNode resultOf(Socket s) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    boolean result = false;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      if (line.equals("event: result")) {
        result = true;
      } else if (result && line.startsWith("data:")) {
        return ResponseWriter.MAPPER.readTree(line.substring(5).trim());
      } else if (line.startsWith("event: error")) {
        throw new AssertionError("the stream ended with an error: " + reader.readLine());
      }
    }
    throw new AssertionError("the stream ended without a result");
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (c == '\n') {
        return line.toString().replace("\r", "");
      }
      line.append((char) c);
    }
    return line.length() == 0 ? null : line.toString();
  }
}
