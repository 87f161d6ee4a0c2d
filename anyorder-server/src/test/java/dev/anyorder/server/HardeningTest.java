package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a server one can expose must refuse or withstand: non-JSON bodies, foreign Host names, framing and
 * sniffing, Jetty's own errors, costly requests, subnormal temperatures and slow senders.
 */
class HardeningTest {
  @TempDir
  static Path tmp;
  static ModelServer server;
  static HttpHelper http;

  @BeforeAll
  static void start() {
    server = ModelServer.start(TestModels.textModel(tmp), ServerConfig.defaults().withPort(0)
        .withBodyTimeout(Duration.ofMillis(1500)).withMaxBodiesPerClient(4).withMaxCost(100_000));
    http = new HttpHelper(server.uri());
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void onlyJsonBodiesAreAccepted() {
    for (String type : new String[] {null, "text/plain", "application/x-www-form-urlencoded", "application/jsonp"}) {
      HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve("/v1/generate"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"length\": 4}"));
      if (type != null) {
        b.header("Content-Type", type);
      }
      HttpHelper.Reply r = http.send(b);
      assertEquals(415, r.status(), type + ": " + r.body());
      assertEquals("unsupported_media_type", r.error().get("code").asText());
    }
    HttpHelper.Reply ok = http.send(HttpRequest.newBuilder(server.uri().resolve("/v1/generate"))
        .header("Content-Type", "application/json; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString("{\"length\": 4}")));
    assertEquals(200, ok.status(), ok.body());
  }

  @Test
  void aForeignHostNameIsRefusedOnLoopback() throws IOException {
    Raw r = raw("GET /v1/model HTTP/1.1\r\nHost: rebind.example:" + server.port() + "\r\nConnection: close\r\n\r\n");
    assertEquals(403, r.status, r.text);
    assertEquals("host_not_allowed", r.json().at("/error/code").asText());
    assertEquals(200, raw("GET /healthz HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\nConnection: close\r\n\r\n").status);
    assertEquals(200, raw("GET /healthz HTTP/1.1\r\nHost: [::1]:" + server.port() + "\r\nConnection: close\r\n\r\n").status);
    assertEquals("[::1]", ModelServer.hostName("[::1]:8080"));
    assertEquals("example.org", ModelServer.hostName("Example.org"));
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() throws Exception {
    for (String path : new String[] {"/", "/healthz", "/v1/model", "/v1/nothing"}) {
      HttpResponse<String> r = http.client.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), path);
      assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null), path);
      String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), path + ": " + csp);
    }
  }

  @Test
  void jettysOwnErrorsAreJson() throws IOException {
    Raw badUri = raw("GET /%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertEquals(400, badUri.status, badUri.text);
    assertEquals(400, badUri.json().at("/error/status").asInt(), badUri.text);
    Raw longUri = raw("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertEquals(414, longUri.status, longUri.text);
    assertEquals("uri_too_long", longUri.json().at("/error/code").asText(), longUri.text);
    Raw bigHeader = raw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
    assertEquals(431, bigHeader.status, bigHeader.text);
    assertEquals("headers_too_large", bigHeader.json().at("/error/code").asText(), bigHeader.text);
    for (Raw r : List.of(badUri, longUri, bigHeader)) {
      assertFalse(r.text.contains("<html") || r.text.contains("at org."), r.text);
      assertTrue(r.head.toLowerCase().contains("content-type: application/json"), r.head);
    }
  }

  @Test
  void aRequestAboveTheCostCapIsRefusedNamingTheCostAndTheCap() {
    // Priced by the rows it can push through the network: 16 samples × (up to 48 rounds of a draft and a
    // verification of 16 orders × the remaining positions) ≈ 321,000 rows, far above the cap of 100,000.
    HttpHelper.Reply r = http.post("/v1/generate", "{\"length\": 48, \"orders\": 16, \"num_samples\": 16, \"sampler\": \"burst\"}");
    assertEquals(400, r.status(), r.body());
    assertEquals("cost_limit", r.error().get("code").asText());
    long cap = http.get("/v1/model").json().at("/limits/max_cost").asLong();
    assertTrue(cap <= 100_000, "the configured cap, or less if the time bound says so: " + cap);
    String message = r.error().get("message").asText();
    assertTrue(message.matches("this request costs \\d+ \\(up to \\d+ network rows in \\d+ calls; burst: 16 orders.*")
        && message.contains("max_cost of " + cap), message);
    HttpHelper.Reply score = http.post("/v1/score", "{\"text\": \"" + "a".repeat(48) + "\", \"orders\": 64}");
    assertEquals(200, score.status(), "one call of 48 x 64 = 3072 rows is within the cap: " + score.body());
  }

  @Test
  void aSubnormalTemperatureIsAFieldError() {
    for (String path : new String[] {"/v1/generate", "/v1/score"}) {
      String body = path.endsWith("score") ? "{\"text\": \"abc\", \"temperature\": 4.9e-324}" : "{\"length\": 4, \"temperature\": 4.9e-324}";
      HttpHelper.Reply r = http.post(path, body);
      assertEquals(400, r.status(), r.body());
      assertEquals("temperature", r.error().get("field").asText(), r.body());
    }
  }

  @Test
  void healthStaysAnswerableWhileThreeHundredSlowBodiesAreOpen() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 300; i++) {
        slow.add(slowUpload());
      }
      long[] millis = new long[10];
      for (int i = 0; i < millis.length; i++) {
        long t0 = System.nanoTime();
        HttpHelper.Reply r = http.get("/healthz");
        millis[i] = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.status());
      }
      Arrays.sort(millis);
      System.out.println("healthz with 300 slow bodies open: " + Arrays.toString(millis) + " ms");
      // The issue's bound is 100 ms; the median holds it, the worst case leaves room for a busy test machine.
      assertTrue(millis[millis.length / 2] < 100, Arrays.toString(millis));
      assertTrue(millis[millis.length - 1] < 1000, Arrays.toString(millis));
      // Every slow sender is answered: 429 beyond the per-client limit, 408 (or the connection closed) when
      // its deadline passes. Only a sender still waiting when the client gives up would be a failure.
      int timedOut = 0;
      int refused = 0;
      int cutOff = 0;
      List<String> unanswered = new ArrayList<>();
      for (Socket s : slow) {
        String status = statusLine(s.getInputStream());
        if (status.contains(" 408")) {
          timedOut++;
        } else if (status.contains(" 429")) {
          refused++;
        } else if (status.isEmpty() || status.startsWith("closed: Connection reset")) {
          cutOff++;
        } else {
          unanswered.add(status);
        }
      }
      // How many got in before others timed out depends on the machine's speed; that each got an answer does not.
      assertTrue(refused > 0, "the per-client limit refused some: 408 " + timedOut + ", 429 " + refused);
      assertEquals(List.of(), unanswered, "408 " + timedOut + ", 429 " + refused + ", closed " + cutOff);
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void anAddressAtItsUploadLimitStillGetsRequestsWhoseBodyArrivedWhole() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      // More slow uploads from this address than the per-client limit (4 here) allows.
      for (int i = 0; i < 8; i++) {
        slow.add(slowUpload());
      }
      Thread.sleep(300); // the server has taken them all in, well before their 1.5 s deadline
      long t0 = System.nanoTime();
      // A request sent in one piece is read at once and holds no thread, so the limit does not apply to it.
      for (int i = 0; i < 5; i++) {
        HttpHelper.Reply r = http.post("/v1/generate", "{\"length\": 4, \"seed\": " + i + "}");
        assertEquals(200, r.status(), r.body());
      }
      assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "the slow uploads were still open");
      int refusedSlow = 0;
      for (Socket s : slow) {
        refusedSlow += statusLine(s.getInputStream()).contains(" 429") ? 1 : 0;
      }
      assertEquals(4, refusedSlow, "the limit held the slow uploads to 4");
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  /** A connection that sent the headers of a 1,000-byte JSON body and one byte of it, and then stalls. */
  private static Socket slowUpload() throws java.io.IOException {
    Socket s = new Socket("127.0.0.1", server.port());
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

  private record Raw(int status, String head, String text) {
    JsonNode json() {
      try {
        return ResponseWriter.MAPPER.readTree(text);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text, e);
      }
    }
  }

  private static Raw raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int split = all.indexOf("\r\n\r\n");
      assertNotNull(all, request);
      String head = split < 0 ? all : all.substring(0, split);
      String body = split < 0 ? "" : all.substring(split + 4);
      int status = Integer.parseInt(head.split(" ", 3)[1]);
      return new Raw(status, head, body);
    }
  }
}
