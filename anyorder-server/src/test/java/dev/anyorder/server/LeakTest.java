package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing of the server's internals reaches a client: {@code /v1/model} names the training data's file, not
 * its path; parse errors are fixed text with a line and column, not the parser's classes and settings; a body
 * that is not UTF-8 is refused; and no error body of a battery of bad requests holds a class name or an
 * absolute path.
 */
class LeakTest {
  /** A Java class name: dotted lower-case packages and a capitalized name (com.fasterxml.jackson.databind.JsonNode). */
  static final Pattern CLASS_NAME = Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\.[A-Z][A-Za-z0-9_$]*");
  /**
   * An absolute file path: a slash-rooted path of two or more parts (other than the API's own {@code /v1/...}
   * routes, which errors may echo), or a drive letter.
   */
  static final Pattern ABSOLUTE_PATH = Pattern.compile("(^|[\\s\"'(=:])/(?!v1/)[A-Za-z0-9._-]+/[A-Za-z0-9._-]+|\\b[A-Za-z]:\\\\");
  static final String SOURCE = "/home/someone/corpora/secret-project/kjv.txt";

  @TempDir
  static Path tmp;
  static ModelServer server;
  static HttpHelper http;

  @BeforeAll
  static void start() {
    server = ModelServer.start(TestModels.textModelWithSource(tmp, SOURCE), ServerConfig.defaults().withPort(0));
    http = new HttpHelper(server.uri());
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void theModelDescriptionNamesTheDataFileOnly() {
    HttpHelper.Reply r = http.get("/v1/model");
    assertEquals(200, r.status());
    assertFalse(r.body().contains("/home/someone"), r.body());
    assertEquals("kjv.txt", r.json().at("/data/source/path").asText(), r.body());
    assertFalse(r.body().contains(tmp.toString()), "the model directory's path: " + r.body());
  }

  @Test
  void parseErrorsAreFixedTextWithLineAndColumn() {
    HttpHelper.Reply nan = http.post("/v1/generate", "{\"length\": 4,\n \"temperature\": NaN}");
    assertEquals(400, nan.status(), nan.body());
    String message = nan.error().get("message").asText();
    assertTrue(message.contains("line 2, column"), message);
    assertFalse(message.contains("JsonReadFeature") || message.contains("ALLOW_") || message.contains("jackson"), message);
    HttpHelper.Reply cut = http.post("/v1/generate", "{\"length\": ");
    assertEquals(400, cut.status(), cut.body());
    assertTrue(cut.error().get("message").asText().contains("line 1, column"), cut.body());
  }

  @Test
  void aBodyThatIsNotUtf8IsRefused() {
    HttpHelper.Reply utf16 = http.postBytes("/v1/generate", "{\"length\": 4}".getBytes(StandardCharsets.UTF_16));
    assertEquals(400, utf16.status(), utf16.body());
    assertTrue(utf16.error().get("message").asText().contains("UTF-8"), utf16.body());
    HttpHelper.Reply utf16le = http.postBytes("/v1/generate", "{\"length\": 4}".getBytes(StandardCharsets.UTF_16LE));
    assertEquals(400, utf16le.status(), utf16le.body());
    HttpHelper.Reply latin1 = http.postBytes("/v1/infill", "{\"text\": \"caf\u00e9 _\"}".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(400, latin1.status(), latin1.body());
    HttpHelper.Reply declared = http.send(HttpRequest.newBuilder(server.uri().resolve("/v1/generate"))
        .header("Content-Type", "application/json; charset=utf-16").POST(HttpRequest.BodyPublishers.ofString("{\"length\": 4}")));
    assertEquals(415, declared.status(), declared.body());
    HttpHelper.Reply utf8 = http.send(HttpRequest.newBuilder(server.uri().resolve("/v1/generate"))
        .header("Content-Type", "application/json; charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString("{\"length\": 4}")));
    assertEquals(200, utf8.status(), utf8.body());
  }

  @Test
  void noErrorBodyHoldsAClassNameOrAnAbsolutePath() throws IOException {
    List<HttpHelper.Reply> replies = new ArrayList<>();
    String[] bodies = {"", "{", "[1]", "nul", "{\"length\": NaN}", "{\"length\": 1e999999}", "{\"length\": \"4\"}", "{\"length\": 4.5}",
        "{\"length\": -Infinity}", "{\"length\": 4, \"length\": 5}", "{\"length\": 4} trailing", "{\"length\": 01}",
        "{\"x\": \"\u0001\"}", "{\"length\": 4, \"nope\": 1}", "{\"length\": 99999}", "{\"sampler\": \"nope\"}",
        "{\"temperature\": 4.9e-324}", "{\"known\": {\"a\": 1}}", "{\"given\": [[1]]}", "{\"order\": {}}",
        "{\"text\": \"\\ud800\"}", "{\"length\": 4, \"timeout_ms\": 0}", "{\"num_samples\": 100000}",
        "{\"length\": 48, \"sampler\": \"burst\", \"orders\": 64, \"num_samples\": 4096}", "[" .repeat(100), "{\"a\":" + "1".repeat(100) + "}",
        "{\"length\": 4, \"seed\": 18446744073709551616}"};
    for (String path : new String[] {"/v1/generate", "/v1/infill", "/v1/score", "/v1/task/check"}) {
      for (String body : bodies) {
        replies.add(http.post(path, body));
      }
      replies.add(http.postBytes(path, new byte[] {'{', (byte) 0xff, '}'}));
      replies.add(http.send(HttpRequest.newBuilder(server.uri().resolve(path)).header("Content-Type", "text/plain")
          .POST(HttpRequest.BodyPublishers.ofString("{}"))));
      replies.add(http.get(path));
    }
    replies.add(http.get("/v1/nothing/here"));
    replies.add(http.get("/v1/task/instance?seed=x"));
    for (HttpHelper.Reply r : replies) {
      if (r.status() < 400) {
        continue;
      }
      assertFalse(CLASS_NAME.matcher(r.body()).find(), "a class name: " + r.body());
      assertFalse(ABSOLUTE_PATH.matcher(r.body()).find(), "an absolute path: " + r.body());
      assertFalse(r.body().contains("Exception") || r.body().contains(tmp.toString()), r.body());
    }
    for (String raw : new String[] {"GET /%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        "POST /v1/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: x\r\nConnection: close\r\n\r\n"}) {
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
        String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String body = all.substring(Math.max(0, all.indexOf("\r\n\r\n")));
        assertFalse(CLASS_NAME.matcher(body).find(), "a class name: " + all);
        assertFalse(ABSOLUTE_PATH.matcher(body).find(), "an absolute path: " + all);
      }
    }
  }
}
