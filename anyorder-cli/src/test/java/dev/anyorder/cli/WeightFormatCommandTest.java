package dev.anyorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --weights bfloat16} changes the model the same way on both backends (the matrices are rounded once,
 * at load), so switching backends, as {@code --backend auto} does by shape, never changes a draw or a score.
 */
class WeightFormatCommandTest {
  @TempDir Path tmp;

  static double logProb(String... args) throws Exception {
    String out = SampleStreamSeedTest.stdout(args);
    JsonNode n = new ObjectMapper().readTree(out.substring(out.indexOf('{')));
    return n.findValue("log_prob").asDouble();
  }

  @Test
  void bothBackendsRunTheSameRoundedModel() throws Exception {
    String model = SampleStreamSeedTest.textModel(tmp.resolve("m")).toString();
    double full = logProb("score", "--model", model, "--text", "abc defg hab", "--backend", "java");
    double javaHalf = logProb("score", "--model", model, "--text", "abc defg hab", "--backend", "java", "--weights", "bfloat16");
    double djlHalf = logProb("score", "--model", model, "--text", "abc defg hab", "--backend", "djl", "--weights", "bfloat16");
    assertEquals(javaHalf, djlHalf, 1e-4, "DJL and the Java runtime score the same bfloat16 model");
    assertNotEquals(full, javaHalf, 1e-6, "rounding the weights changes the model");
    for (String sampler : List.of("sequential", "speculative", "adaptive")) {
      List<String> java = SampleStreamSeedTest.draws(SampleStreamSeedTest.jsonLines("sample", "--model", model, "--infill",
          "ab______cd______", "--num-samples", "3", "--seed", "4", "--sampler", sampler, "--format", "jsonl", "--backend", "java",
          "--weights", "bfloat16"));
      List<String> djl = SampleStreamSeedTest.draws(SampleStreamSeedTest.jsonLines("sample", "--model", model, "--infill",
          "ab______cd______", "--num-samples", "3", "--seed", "4", "--sampler", sampler, "--format", "jsonl", "--backend", "djl",
          "--weights", "bfloat16"));
      assertEquals(3, java.size(), java.toString());
      assertEquals(java, djl, sampler + ": the same draws on both backends");
    }
  }
}
