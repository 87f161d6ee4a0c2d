package dev.anyorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.Backend;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.density.Scorer;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.GapLayout;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.WeightLayout;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.sampling.GapRequest;
import dev.anyorder.sampling.GapSampler;
import dev.anyorder.sampling.TokenFilter;
import dev.anyorder.testing.Statistics;
import dev.anyorder.testing.TinyModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sample --infill} with a gap of unknown length, through the command line, on a random model small enough
 * to enumerate (3 characters, a block of 6, gaps up to 2): every fill of {@code "a{...}b"} (all lengths, all
 * contents) has an exact probability, they sum to 1, the log-probability each printed fill reports is its exact
 * one, and 20,000 printed fills match the enumerated joint by a chi-square test. The negative control samples at
 * temperature 2 and fails the same test. {@code score --infill} gives each text its exact probability as a fill,
 * and where a text fits a template in several ways (two gaps that can trade characters) the probabilities of
 * all distinct texts still sum to 1.
 */
class GapSampleCliTest {
  static final String ALPHABET = "ab ";
  static final int BLOCK = 6;
  static final GapLayout LAYOUT = new GapLayout(2, 2);
  static final int SAMPLES = 20_000;
  @TempDir Path tmp;

  static Path gapModel(Path dir) {
    ModelConfig config = TinyModels.config(ALPHABET.length(), BLOCK + LAYOUT.slots());
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
    ObjectNode training = new ObjectMapper().createObjectNode();
    training.putObject("config").putObject(GapLayout.FIELD).put("slots", LAYOUT.slots()).put("maxGap", LAYOUT.maxGap());
    ModelDirectory.save(dir, new SavedModel(config, CharacterVocabulary.fromText(ALPHABET), NamedTensor.inLayout(config, w), null,
        training, null, Map.of()));
    return dir;
  }

  /** Every fill of the template's one gap, by its text, with its exact probability (content left to right). */
  static Map<String, Double> exactJoint(Path dir, String template) {
    Map<String, Double> joint = new LinkedHashMap<>();
    try (AnyOrderModel m = AnyOrderModel.load(dir, Backend.JAVA, 1)) {
      GapRequest r = m.gaps(template);
      for (int length = 0; length <= r.capacity(BLOCK, new int[1], 0); length++) {
        int[] lengths = {length};
        double lengthLp = GapSampler.lengthLogProbs(m.network(), LAYOUT, TokenFilter.NONE, List.of(r), List.of(lengths))[0];
        int[] given = r.expand(lengths);
        int[][] span = r.spans(lengths);
        int outcomes = (int) Math.pow(ALPHABET.length(), length);
        for (int o = 0; o < outcomes; o++) {
          int[] tokens = given.clone();
          boolean[] known = new boolean[given.length];
          int rest = o;
          for (int p = 0; p < given.length; p++) {
            known[p] = p < span[0][0] || p >= span[0][1];
            if (!known[p]) {
              tokens[p] = rest % ALPHABET.length();
              rest /= ALPHABET.length();
            }
          }
          int[] order = java.util.stream.IntStream.range(span[0][0], span[0][1]).toArray();
          double content = length == 0 ? 0 : new Scorer(m.network()).score(new ScoreRequest(tokens, known, order)).logProb();
          joint.put(m.decode(tokens), Math.exp(lengthLp + content));
        }
      }
    }
    return joint;
  }

  @Test
  void scoreGivesEachFillItsExactProbability() throws Exception {
    Path dir = gapModel(tmp.resolve("s"));
    Map<String, Double> joint = exactJoint(dir, "a{...}b");
    ObjectMapper json = new ObjectMapper();
    for (String text : List.of("ab", "a b", "aabb", "a  b")) {
      String out = SampleStreamSeedTest.stdout("score", "--model", dir.toString(), "--infill", "a{...}b", "--text", text,
          "--format", "jsonl", "--backend", "java");
      JsonNode n = json.readTree(out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
      assertEquals(Math.log(joint.get(text)), n.get("log_prob").asDouble(), 1e-5, text);
      assertEquals(text.length() - 2, n.at("/gap_lengths/0").asInt());
    }
    try (AnyOrderModel m = AnyOrderModel.load(dir, Backend.JAVA, 1)) {
      // Two gaps around an 'a' that they may also contain: many texts fit in several ways, summed per text.
      java.util.Set<String> texts = new java.util.TreeSet<>();
      for (String x : strings(2)) {
        for (String y : strings(2)) {
          texts.add("a" + x + "a" + y);
        }
      }
      double total = 0;
      int ambiguous = 0;
      for (String text : texts) {
        dev.anyorder.api.FillScore f = m.scoreFill("a{...}a{...}", text);
        total += Math.exp(f.logProb());
        ambiguous += f.alignments() > 1 ? 1 : 0;
      }
      System.out.printf("two gaps: %d distinct texts, %d fit in several ways, total probability %.9f%n", texts.size(), ambiguous, total);
      assertTrue(ambiguous > 0);
      assertEquals(1.0, total, 1e-5);
      assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> m.scoreFill("a{...}b", "ba"))
          .getMessage().contains("does not fit"));
    }
  }

  /** Every string of at most {@code n} characters of the alphabet. */
  static List<String> strings(int n) {
    List<String> out = new ArrayList<>(List.of(""));
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).length() < n) {
        for (char c : ALPHABET.toCharArray()) {
          out.add(out.get(i) + c);
        }
      }
    }
    return out;
  }

  static List<JsonNode> fills(String model, String template, String... options) {
    List<String> args = new ArrayList<>(List.of("sample", "--model", model, "--infill", template, "--num-samples", "" + SAMPLES,
        "--format", "jsonl", "--order", "infill", "--backend", "java"));
    args.addAll(List.of(options));
    ObjectMapper json = new ObjectMapper();
    return SampleStreamSeedTest.stdout(args.toArray(String[]::new)).lines().filter(l -> l.startsWith("{")).map(l -> {
      try {
        return json.readTree(l);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).toList();
  }

  static Statistics.Fit fit(Map<String, Double> joint, List<JsonNode> fills) {
    List<String> texts = new ArrayList<>(joint.keySet());
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < texts.size(); i++) {
      index.put(texts.get(i), i);
    }
    long[] counts = new long[texts.size()];
    for (JsonNode f : fills) {
      counts[index.get(f.get("text").asText())]++;
    }
    return Statistics.fit(joint.values().stream().mapToDouble(Double::doubleValue).toArray(), counts);
  }

  @Test
  void printedFillsFollowTheExactJointOfLengthsAndContents() {
    Path dir = gapModel(tmp.resolve("m"));
    Map<String, Double> joint = exactJoint(dir, "a{...}b");
    double total = joint.values().stream().mapToDouble(Double::doubleValue).sum();
    assertEquals(13, joint.size());
    assertEquals(1.0, total, 1e-5, "every fill of every length");
    for (String sampler : List.of("sequential", "speculative")) {
      List<JsonNode> fills = fills(dir.toString(), "a{...}b", "--sampler", sampler, "--seed", "4");
      assertEquals(SAMPLES, fills.size());
      Statistics.Fit fit = fit(joint, fills);
      System.out.printf("sample --infill a{...}b --sampler %s: %s%n", sampler, fit);
      assertTrue(fit.pValue() > 1e-3, sampler + ": " + fit);
      for (JsonNode f : fills.subList(0, 50)) {
        assertEquals(Math.log(joint.get(f.get("text").asText())), f.get("log_prob").asDouble(), 1e-4, "reported log p of " + f);
      }
      for (int i = 1; i < fills.size(); i++) {
        assertTrue(fills.get(i - 1).get("log_prob").asDouble() >= fills.get(i).get("log_prob").asDouble(), "best first");
      }
    }
    Statistics.Fit hot = fit(joint, fills(dir.toString(), "a{...}b", "--sampler", "sequential", "--temperature", "2"));
    System.out.printf("negative control, temperature 2: %s%n", hot);
    assertTrue(hot.pValue() < 1e-6, "a different distribution must be caught: " + hot);
  }
}
