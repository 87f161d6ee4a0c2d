package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and hostile bodies on every POST endpoint: wrong types for every field, huge numbers, deep
 * nesting, invalid UTF-8, oversized arrays and random mutations of valid bodies. None may get a 5xx or
 * a stack trace, the server stays healthy, and the heap does not grow.
 */
class FuzzTest {
  static final List<String> PATHS = List.of("/v1/generate", "/v1/infill", "/v1/score");
  static final List<String> FIELDS = List.of("sampler", "order", "k", "temperature", "top_k", "top_p", "seed", "num_samples", "rule",
      "orders", "drafter", "bonus", "adaptive_k", "gumbel", "stream", "timeout_ms", "length", "prompt", "known", "given", "text",
      "placeholder", "tokens");
  static final List<String> VALUES = List.of("null", "true", "-1", "0", "3", "2.5", "-0.0", "1e308", "1e309", "-1e309",
      "123456789012345678901234567890", "9223372036854775808", "\"\"", "\"x\"", "\"speculative\"", "\"\\ud800\"", "\"\\u0000\"",
      "[]", "[1, -1]", "[\"a\"]", "[null]", "{}", "{\"0\": 1}", "{\"-1\": 1}", "{\"x\": \"y\"}", "[[1]]");
  static final List<String> VALID = List.of("{\"text\": \"a_b__c\", \"sampler\": \"sequential\"}",
      "{\"length\": 6, \"known\": {\"0\": 2}, \"sampler\": \"speculative\", \"k\": 2}", "{\"given\": [1, -1, 3, -1], \"sampler\": \"adaptive\"}",
      "{\"text\": \"abc\", \"known\": [0]}", "{\"tokens\": [1, 2, 3], \"orders\": 3}");

  @TempDir
  static Path tmp;
  static ModelServer server;
  static HttpHelper http;

  @BeforeAll
  static void start() {
    server = ModelServer.start(TestModels.textModel(tmp, 8), ServerConfig.defaults().withPort(0).withMaxBodyBytes(64 << 10));
    http = new HttpHelper(server.uri());
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  static List<byte[]> hostileBodies() {
    List<byte[]> bodies = new ArrayList<>();
    for (String field : FIELDS) {
      for (String value : VALUES) {
        bodies.add(("{\"" + field + "\": " + value + "}").getBytes(StandardCharsets.UTF_8));
        bodies.add(("{\"text\": \"a_b\", \"tokens\": [1], \"" + field + "\": " + value + "}").getBytes(StandardCharsets.UTF_8));
      }
    }
    bodies.add("[".repeat(100_000).getBytes(StandardCharsets.UTF_8));
    bodies.add(("{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000)).getBytes(StandardCharsets.UTF_8));
    bodies.add(("{\"known\": " + "{\"0\":".repeat(30) + "1" + "}".repeat(30) + "}").getBytes(StandardCharsets.UTF_8));
    bodies.add(("{\"seed\": 1" + "0".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8));
    bodies.add(("{\"temperature\": 0." + "1".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8));
    bodies.add(("{\"given\": [" + "1,".repeat(20_000) + "1]}").getBytes(StandardCharsets.UTF_8));
    bodies.add(("{\"tokens\": [" + "1,".repeat(20_000) + "1]}").getBytes(StandardCharsets.UTF_8));
    bodies.add(("{\"given\": [" + "-1,".repeat(49) + "-1]}").getBytes(StandardCharsets.UTF_8));
    bodies.add(("{\"text\": \"" + "_".repeat(60_000) + "\"}").getBytes(StandardCharsets.UTF_8));
    bodies.add(("{\"given\": [" + "1,".repeat(40_000) + "1]}").getBytes(StandardCharsets.UTF_8));
    bodies.add(("{\"known\": {" + "\"1\": 1,".repeat(2000) + "\"2\": 2}}").getBytes(StandardCharsets.UTF_8));
    bodies.add("{\"text\": \"a_b\", \"text\": \"c_d\"}".getBytes(StandardCharsets.UTF_8));
    bodies.add("{\"text\": \"a_b\"} {\"text\": \"c\"}".getBytes(StandardCharsets.UTF_8));
    bodies.add("{\"text\": \"a_b\",}".getBytes(StandardCharsets.UTF_8));
    bodies.add("{'text': 'a_b'}".getBytes(StandardCharsets.UTF_8));
    bodies.add("{\"text\": NaN}".getBytes(StandardCharsets.UTF_8));
    bodies.add("{\"k\": Infinity}".getBytes(StandardCharsets.UTF_8));
    bodies.add("{\"k\": 0x10}".getBytes(StandardCharsets.UTF_8));
    bodies.add("\"just a string\"".getBytes(StandardCharsets.UTF_8));
    bodies.add("null".getBytes(StandardCharsets.UTF_8));
    bodies.add(new byte[0]);
    bodies.add(new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'});
    bodies.add(new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', 'a', (byte) 0xe2, (byte) 0x82, '"', '}'});
    bodies.add(new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '_', '"', '}'});
    bodies.add(new byte[] {'{', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', ':', '1', '}'});
    bodies.add(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'});
    bodies.add(new byte[] {0, 0, 0, '{'});
    SplittableRandom rng = new SplittableRandom(2024);
    for (int i = 0; i < 60; i++) {
      byte[] noise = new byte[1 + rng.nextInt(200)];
      for (int j = 0; j < noise.length; j++) {
        noise[j] = (byte) rng.nextInt(256);
      }
      bodies.add(noise);
    }
    for (int i = 0; i < 150; i++) {
      bodies.add(mutate(VALID.get(rng.nextInt(VALID.size())).getBytes(StandardCharsets.UTF_8), rng));
    }
    return bodies;
  }

  /** A few random byte edits of a valid body: deletions, duplications, substitutions with JSON punctuation. */
  static byte[] mutate(byte[] body, SplittableRandom rng) {
    byte[] punctuation = "{}[]:,\"-09.e \\".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int edits = 1 + rng.nextInt(3);
    int[] at = new int[edits];
    for (int e = 0; e < edits; e++) {
      at[e] = rng.nextInt(body.length);
    }
    for (int i = 0; i < body.length; i++) {
      boolean edited = false;
      for (int p : at) {
        if (p == i) {
          edited = true;
        }
      }
      if (!edited) {
        out.write(body[i]);
        continue;
      }
      switch (rng.nextInt(3)) {
        case 0:
          break;
        case 1:
          out.write(body[i]);
          out.write(body[i]);
          break;
        default:
          out.write(punctuation[rng.nextInt(punctuation.length)]);
      }
    }
    return out.toByteArray();
  }

  @Test
  void hostileBodiesNeverGet5xxAndTheServerStaysHealthy() {
    List<byte[]> bodies = hostileBodies();
    // A warm-up slice first, so the heap is measured after the server's caches and pools have settled.
    int sent = send(bodies.subList(0, 150));
    long heapBefore = usedHeapAfterGc();
    sent += send(bodies);
    long growth = usedHeapAfterGc() - heapBefore;
    System.out.printf("[fuzz] %d hostile requests, heap growth over %d of them %.1f MiB%n", sent, bodies.size() * PATHS.size(),
        growth / 1048576.0);
    assertTrue(growth < 32L << 20, "heap grew by " + growth + " bytes over " + bodies.size() * PATHS.size() + " requests");
    assertEquals("ok", http.get("/healthz").json().get("status").asText());
    assertEquals(0, http.get("/healthz").json().at("/stats/failures").asInt());
  }

  private static int send(List<byte[]> bodies) {
    int sent = 0;
    for (byte[] body : bodies) {
      for (String path : PATHS) {
        HttpHelper.Reply r = http.postBytes(path, body);
        sent++;
        String shown = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
        assertTrue(r.status() < 500, path + " " + shown + " -> " + r.status() + " " + r.body());
        assertTrue(r.status() == 200 || r.json() != null && r.json().has("error"), path + " " + shown + " -> " + r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), "no stack trace: " + r.body());
      }
    }
    return sent;
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
