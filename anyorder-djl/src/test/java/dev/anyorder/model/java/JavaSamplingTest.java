package dev.anyorder.model.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.density.OrderScore;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.density.Scorer;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.sampling.DrafterKind;
import dev.anyorder.sampling.OrderSpec;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.Sampler;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.testing.Statistics;
import dev.anyorder.testing.TinyModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The samplers behave the same on the Java runtime as on DJL: the same seed gives the same samples (up to
 * the rare draw that float rounding flips) with the same NFE accounting, speculative decoding never spends
 * more evaluations than tokens, and speculative sampling on the Java runtime is exact (chi-square
 * against the enumerated joint, docs/algorithms.md#exactness-tests).
 */
class JavaSamplingTest {
  static NDManager manager;

  @BeforeAll
  static void setUp() {
    manager = TinyModels.manager();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  static List<SampleRequest> requests(ModelConfig c, int count, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<SampleRequest> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = 2 + rng.nextInt(c.maxLength() - 1);
      int[] given = new int[n];
      for (int p = 0; p < n; p++) {
        given[p] = rng.nextDouble() < 0.3 ? rng.nextInt(c.vocabSize()) : SampleRequest.UNKNOWN;
      }
      out.add(new SampleRequest(given));
    }
    return out;
  }

  @Test
  void sameSeedSameSamplesOnBothBackends() {
    ModelConfig c = TinyModels.config(8, 14);
    SigmaGpt model = TinyModels.random(c, 21, 0.5, manager);
    Map<String, float[]> weights = model.weights();
    try (DjlNetwork djl = new DjlNetwork(model, true); JavaNetwork java = new JavaNetwork(c, weights)) {
      List<SampleRequest> requests = requests(c, 60, 5);
      SamplerConfig seq = SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withSeed(7);
      SamplerConfig spec = SamplerConfig.defaults(SamplerKind.SPECULATIVE).withK(3).withSeed(8);
      for (SamplerConfig config : List.of(seq, spec, spec.withDrafter(DrafterKind.NGRAM).withBonus(false).withSeed(9),
          spec.withTemperature(1.5).withTopK(4).withSeed(10))) {
        List<Sample> a = Sampler.create(djl, config).sample(requests).samples();
        List<Sample> b = Sampler.create(java, config).sample(requests).samples();
        int same = 0;
        for (int i = 0; i < requests.size(); i++) {
          Sample x = a.get(i);
          Sample y = b.get(i);
          assertEquals(x.generated(), y.generated(), "both backends fill every target");
          if (config.kind() == SamplerKind.SPECULATIVE) {
            assertTrue(y.nfe() <= y.generated(), "speculative NFE " + y.nfe() + " > tokens " + y.generated());
          } else {
            assertEquals(y.generated(), y.nfe(), "sequential spends one NFE per token");
          }
          if (Arrays.equals(x.tokens(), y.tokens()) && Arrays.equals(x.commitOrder(), y.commitOrder())) {
            same++;
            assertEquals(x.nfe(), y.nfe(), "identical samples must cost identical NFE: " + x + " vs " + y);
          }
        }
        System.out.printf("[java-runtime] %s: %d/%d samples identical to DJL%n", config, same, requests.size());
        assertTrue(same >= 0.95 * requests.size(), same + "/" + requests.size() + " identical samples for " + config);
      }
    }
  }

  @Test
  void speculativeIsExactOnTheJavaRuntime() {
    ModelConfig c = TinyModels.config(3, 5);
    Map<String, float[]> weights;
    try (SigmaGpt model = TinyModels.random(c, 11, 0.5, manager)) {
      weights = model.weights();
    }
    try (Network net = new JavaNetwork(c, weights)) {
      int[] order = {4, 0, 2};
      SampleRequest request = SampleRequest.withKnown(5, Map.of(1, 2, 3, 0));
      double[] joint = joint(net, request, order);
      assertEquals(1, Arrays.stream(joint).sum(), 1e-5, "the enumerated joint must be normalized");
      SamplerConfig config = SamplerConfig.defaults(SamplerKind.SPECULATIVE).withOrder(OrderSpec.explicit(order)).withK(2)
          .withAdaptiveK(false).withSeed(3);
      Sampler sampler = Sampler.create(net, config);
      long[] counts = new long[joint.length];
      for (int drawn = 0; drawn < 20_000; drawn += 2_000) {
        for (Sample s : sampler.sample(Collections.nCopies(2_000, request)).samples()) {
          counts[index(s.tokens(), request, c.vocabSize())]++;
        }
      }
      Statistics.Fit fit = Statistics.fit(joint, counts);
      System.out.printf("[java-runtime] speculative k=2 exactness: %s%n", fit);
      assertEquals(0, fit.impossibleHits());
      assertTrue(fit.pValue() > 1e-3, "speculative on the Java runtime does not match the joint: " + fit);
    }
  }

  /** Outcome i fills target t (targets in increasing position order) with digit t of i in base V. */
  static double[] joint(Network net, SampleRequest request, int[] order) {
    int v = net.config().vocabSize();
    int[] targets = request.targetPositions();
    int count = (int) Math.pow(v, targets.length);
    List<ScoreRequest> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int[] x = request.given();
      int rest = i;
      for (int t : targets) {
        x[t] = rest % v;
        rest /= v;
      }
      all.add(new ScoreRequest(x, request.knownMask(), order));
    }
    List<OrderScore> scores = new Scorer(net).scoreAll(all);
    double[] p = new double[count];
    for (int i = 0; i < count; i++) {
      p[i] = Math.exp(scores.get(i).logProb());
    }
    return p;
  }

  static int index(int[] tokens, SampleRequest request, int vocab) {
    int[] targets = request.targetPositions();
    int i = 0;
    for (int j = targets.length - 1; j >= 0; j--) {
      i = i * vocab + tokens[targets[j]];
    }
    return i;
  }
}
