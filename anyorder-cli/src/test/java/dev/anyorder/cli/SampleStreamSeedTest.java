package dev.anyorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.WeightLayout;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sample --stream} draws the same samples as the batch path for the same seed. */
class SampleStreamSeedTest {
  @TempDir Path tmp;

  static Path textModel(Path dir) {
    String alphabet = "abcdefgh ";
    ModelConfig config = TinyModels.config(alphabet.length(), 24);
    Map<String, float[]> w = SigmaGpt.initialWeights(config, 3);
    SplittableRandom rng = new SplittableRandom(5);
    w.forEach((name, data) -> {
      if (!name.contains("ln_")) {
        for (int i = 0; i < data.length; i++) {
          data[i] = (float) ((rng.nextDouble() * 2 - 1) * 0.8);
        }
      }
    });
    w.put(WeightLayout.LM_HEAD, w.get(WeightLayout.WTE).clone());
    ModelDirectory.save(dir, new SavedModel(config, CharacterVocabulary.fromText(alphabet), NamedTensor.inLayout(config, w), null, null,
        null, Map.of()));
    return dir;
  }

  /** What a successful command prints on standard output. */
  static String stdout(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, AnyOrderCli.commandLine().execute(args));
    } finally {
      System.setOut(saved);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  static List<String> jsonLines(String... args) {
    return stdout(args).lines().map(l -> l.substring(Math.max(0, l.indexOf("{\"tokens\""))))
        .filter(l -> l.startsWith("{\"tokens\"")).toList();
  }

  static List<String> draws(List<String> lines) {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    return lines.stream().map(l -> {
      try {
        com.fasterxml.jackson.databind.JsonNode n = json.readTree(l);
        return n.get("tokens") + " " + n.get("commit_order") + " " + n.get("nfe");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).toList();
  }

  @Test
  void streamedSamplesEqualBatchedOnes() {
    String model = textModel(tmp.resolve("m")).toString();
    for (String sampler : List.of("sequential", "speculative")) {
      List<String> batch = jsonLines("sample", "--model", model, "--infill", "ab______cd______", "--num-samples", "3", "--seed", "9",
          "--sampler", sampler, "--format", "jsonl");
      List<String> streamed = jsonLines("sample", "--model", model, "--infill", "ab______cd______", "--num-samples", "3", "--seed", "9",
          "--sampler", sampler, "--format", "jsonl", "--stream");
      assertEquals(3, batch.size(), batch.toString());
      // Tokens, orders and NFE agree exactly; log-probabilities only up to the float rounding of batched passes.
      assertEquals(draws(batch), draws(streamed), sampler);
    }
  }
}
