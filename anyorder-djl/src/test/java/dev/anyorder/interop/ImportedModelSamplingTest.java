package dev.anyorder.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.density.OrderScore;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.density.Scorer;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.Safetensors;
import dev.anyorder.io.TensorFile;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.WeightLayout;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.sampling.OrderSpec;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.Sampler;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.testing.Statistics;
import dev.anyorder.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model imported from the published σ-GPT layout (no start slot) samples with every sampler, refuses a
 * request without a known token, and speculative decoding stays exact on it (docs/algorithms.md#exactness-tests).
 */
class ImportedModelSamplingTest {
  @TempDir Path tmp;

  Path importFixture() {
    Path out = tmp.resolve("imported");
    SigmaGptImporter.importModel(InteropFixtures.copy("sigma-gpt-nobias.safetensors", tmp),
        InteropFixtures.copy("sigma-gpt-nobias.config.json", tmp), out);
    return out;
  }

  @Test
  void everySamplerRunsAndKeepsTheKnownTokens() {
    try (AnyOrderModel model = AnyOrderModel.load(importFixture())) {
      SampleRequest request = model.infill("a__c_e__", '_');
      for (SamplerKind kind : SamplerKind.values()) {
        Sampler sampler = model.sampler(SamplerConfig.defaults(kind).withSeed(3).withNumSamples(4));
        for (Sample s : sampler.sample(request).samples()) {
          String text = model.decode(s.tokens());
          assertEquals(8, text.length(), kind + ": " + text);
          assertEquals('a', text.charAt(0), kind + " changed a known token: " + text);
          assertEquals('c', text.charAt(3), kind + " changed a known token: " + text);
          assertEquals('e', text.charAt(5), kind + " changed a known token: " + text);
          assertTrue(text.chars().allMatch(ch -> " abcdefghi".indexOf(ch) >= 0), text);
        }
      }
      SampleRequest oneKnown = model.infill("{_3}b{_4}", '_');
      assertEquals(8, oneKnown.length());
      assertEquals(1, oneKnown.knownCount());
      for (SamplerKind kind : SamplerKind.values()) {
        Sample s = model.sampler(SamplerConfig.defaults(kind).withSeed(4)).sample(List.of(oneKnown)).samples().get(0);
        assertEquals('b', model.decode(s.tokens()).charAt(3), kind.toString());
      }
    }
  }

  @Test
  void anUnconditionalRequestFailsClearly() {
    try (AnyOrderModel model = AnyOrderModel.load(importFixture())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.infill("________", '_'));
      assertTrue(e.getMessage().contains("needs at least one known token"), e.getMessage());
    }
  }

  /** A tiny random no-start-slot model written in the published layout (lm_head only, F32) and imported. */
  Path tinyImported() throws Exception {
    ModelConfig config = new ModelConfig(3, 5, 2, 2, 16, 4, 0.0, PositionEncoding.LEARNED, false, false);
    List<NamedTensor> tensors = new ArrayList<>();
    try (NDManager manager = TinyModels.manager(); SigmaGpt model = TinyModels.random(config, 21, 0.5, manager)) {
      for (NamedTensor t : NamedTensor.inLayout(config, model.weights())) {
        if (!t.name().equals(WeightLayout.WTE)) { // safetensors' save_model keeps one name of a tied pair
          tensors.add(t);
        }
      }
    }
    Path weights = tmp.resolve("tiny.safetensors");
    Safetensors.write(weights, TensorFile.of(tensors));
    ObjectNode args = InteropFixtures.JSON.createObjectNode();
    args.put("n_layer", 2).put("n_head", 2).put("n_embd", 16).put("block_size", 5).put("bias", false).put("vocab_size", 3)
        .put("dropout", 0.0);
    Path json = tmp.resolve("tiny.json");
    Files.write(json, InteropFixtures.JSON.writeValueAsBytes(args));
    Path out = tmp.resolve("tiny");
    SigmaGptImporter.importModel(weights, json, out);
    return out;
  }

  @Test
  void speculativeDecodingIsExactOnAnImportedModel() throws Exception {
    int draws = 12_000;
    int batch = 6_000;
    int[] order = {4, 0, 3, 1};
    SampleRequest request = SampleRequest.withKnown(5, Map.of(2, 1));
    try (AnyOrderModel model = AnyOrderModel.load(tinyImported())) {
      int outcomes = 81;
      double[] joint = new double[outcomes];
      Scorer scorer = model.scorer();
      List<ScoreRequest> all = new ArrayList<>();
      for (int i = 0; i < outcomes; i++) {
        all.add(new ScoreRequest(sequence(request, i), request.knownMask(), order));
      }
      List<OrderScore> scores = scorer.scoreAll(all);
      for (int i = 0; i < outcomes; i++) {
        joint[i] = Math.exp(scores.get(i).logProb());
      }
      assertEquals(1.0, java.util.Arrays.stream(joint).sum(), 1e-5, "the enumerated joint must be normalized");
      Map<String, SamplerConfig> samplers = Map.of(
          "sequential", SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withOrder(OrderSpec.explicit(order)).withSeed(1),
          "speculative k=2", SamplerConfig.defaults(SamplerKind.SPECULATIVE).withOrder(OrderSpec.explicit(order)).withK(2)
              .withSeed(2));
      for (Map.Entry<String, SamplerConfig> e : samplers.entrySet()) {
        Sampler sampler = model.sampler(e.getValue());
        long[] counts = new long[outcomes];
        for (int drawn = 0; drawn < draws; drawn += batch) {
          for (Sample s : sampler.sample(Collections.nCopies(batch, request)).samples()) {
            counts[index(s.tokens(), request)]++;
          }
        }
        Statistics.Fit fit = Statistics.fit(joint, counts);
        System.out.printf("[interop] imported no-start-slot model, %-16s %s%n", e.getKey(), fit);
        assertEquals(0, fit.impossibleHits());
        assertTrue(fit.pValue() > 1e-3, e.getKey() + " does not match the joint: " + fit);
      }
    }
  }

  /** Outcome {@code i} fills the targets (increasing positions) with the base-3 digits of i. */
  static int[] sequence(SampleRequest request, int outcome) {
    int[] x = request.given();
    for (int t : request.targetPositions()) {
      x[t] = outcome % 3;
      outcome /= 3;
    }
    return x;
  }

  static int index(int[] tokens, SampleRequest request) {
    int[] targets = request.targetPositions();
    int i = 0;
    for (int j = targets.length - 1; j >= 0; j--) {
      i = i * 3 + tokens[targets[j]];
    }
    return i;
  }
}
