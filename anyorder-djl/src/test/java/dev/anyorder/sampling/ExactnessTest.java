package dev.anyorder.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.testing.Statistics;
import dev.anyorder.testing.TinyModels;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/algorithms.md#exactness-tests: on a tiny model whose joint can be enumerated, sequential and speculative sampling
 * reproduce the joint under their order (chi-square p &gt; 0.001, never an impossible outcome), and σ-GPT
 * burst sampling visibly does not.
 */
class ExactnessTest {
  static final int DRAWS = 20_000;
  static final int BATCH = 5_000; // few, wide evaluations: per-call overhead dominates on a tiny model
  static final ModelConfig CONFIG = TinyModels.config(3, 5);
  static NDManager manager;
  static DjlNetwork net;

  @BeforeAll
  static void setUp() {
    manager = TinyModels.manager();
    net = new DjlNetwork(TinyModels.random(CONFIG, 11, 0.5, manager), true);
  }

  @AfterAll
  static void tearDown() {
    net.close();
    manager.close();
  }

  static long[] histogram(SamplerConfig config, SampleRequest request) {
    return histogram(Sampler.create(net, config), request);
  }

  static long[] histogram(Sampler sampler, SampleRequest request) {
    long[] counts = new long[Joint.outcomes(CONFIG.vocabSize(), request.targetPositions().length)];
    for (int drawn = 0; drawn < DRAWS; drawn += BATCH) {
      for (Sample s : sampler.sample(Collections.nCopies(BATCH, request)).samples()) {
        counts[Joint.index(s.tokens(), request, CONFIG.vocabSize())]++;
      }
    }
    return counts;
  }

  static Map<String, SamplerConfig> exactSamplers(int[] order) {
    SamplerConfig seq = SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withOrder(OrderSpec.explicit(order));
    SamplerConfig spec = SamplerConfig.defaults(SamplerKind.SPECULATIVE).withOrder(OrderSpec.explicit(order));
    Map<String, SamplerConfig> m = new LinkedHashMap<>();
    m.put("sequential", seq.withSeed(1));
    m.put("speculative self k=1 bonus adaptive", spec.withK(1).withSeed(2));
    m.put("speculative self k=2 bonus", spec.withK(2).withAdaptiveK(false).withSeed(3));
    m.put("speculative self k=3 no-bonus", spec.withK(3).withBonus(false).withAdaptiveK(false).withSeed(4));
    m.put("speculative self k=5 bonus adaptive", spec.withK(5).withSeed(5));
    m.put("speculative ngram k=2 bonus", spec.withK(2).withDrafter(DrafterKind.NGRAM).withAdaptiveK(false).withSeed(6));
    m.put("speculative ngram k=4 no-bonus adaptive", spec.withK(4).withDrafter(DrafterKind.NGRAM).withBonus(false).withSeed(7));
    return m;
  }

  static void checkExact(String scenario, SampleRequest request, int[] order, Map<String, SamplerConfig> samplers) {
    TokenFilter filter = samplers.values().iterator().next().filter();
    double[] joint = Joint.under(net, filter, request, order);
    assertEquals(1, Arrays.stream(joint).sum(), 1e-5, "the enumerated joint must be normalized");
    for (Map.Entry<String, SamplerConfig> e : samplers.entrySet()) {
      Statistics.Fit fit = Statistics.fit(joint, histogram(e.getValue(), request));
      System.out.printf("[exactness] %-28s %-42s %s%n", scenario, e.getKey(), fit);
      assertEquals(0, fit.impossibleHits(), e.getKey() + " drew an outcome of probability zero");
      assertTrue(fit.pValue() > 1e-3, e.getKey() + " does not match the joint: " + fit);
      // With 20,000 draws an exact sampler lands within about 0.015 of the joint in total variation.
      assertTrue(fit.totalVariation() < MAX_TV, e.getKey() + " is too far from the joint: " + fit);
    }
  }

  /** Total variation an exact sampler stays under at this many draws (measured 0.004-0.016). */
  static final double MAX_TV = 0.03;

  @Test
  void aSpeculativeSamplerWithoutTheResidualIsRejected() {
    // The classic mistake: after a rejected draft, draw from the verified conditional p instead of
    // normalize(max(0, p - q)). The same checks that pass the exact samplers must reject it.
    int[] order = {2, 0, 4, 1, 3};
    SampleRequest request = SampleRequest.unconditional(5);
    double[] joint = Joint.under(net, exactSamplers(order).get("sequential").filter(), request, order);
    SamplerConfig config = SamplerConfig.defaults(SamplerKind.SPECULATIVE).withOrder(OrderSpec.explicit(order)).withK(4)
        .withAdaptiveK(false).withSeed(31);
    Statistics.Fit wrong = Statistics.fit(joint, histogram(new SpeculativeSampler(net, config, (p, q) -> p), request));
    Statistics.Fit right = Statistics.fit(joint, histogram(new SpeculativeSampler(net, config), request));
    System.out.printf("[exactness] %-28s %-42s %s%n", "unconditional", "speculative k=4, residual skipped", wrong);
    System.out.printf("[exactness] %-28s %-42s %s%n", "unconditional", "speculative k=4 (control)", right);
    assertTrue(right.pValue() > 1e-3 && right.totalVariation() < MAX_TV, "the control must pass: " + right);
    assertTrue(wrong.pValue() < 1e-6, "skipping the residual must be caught: " + wrong);
  }

  @Test
  void unconditionalSamplesMatchTheJointUnderTheirOrder() {
    int[] order = {2, 0, 4, 1, 3};
    checkExact("unconditional", SampleRequest.unconditional(5), order, exactSamplers(order));
  }

  @Test
  void infillingSamplesMatchTheConditionalJoint() {
    int[] order = {4, 0, 2};
    checkExact("known {1:2, 3:0}", SampleRequest.withKnown(5, Map.of(1, 2, 3, 0)), order, exactSamplers(order));
  }

  @Test
  void samplersAreExactForTheTemperedTruncatedModel() {
    int[] order = {3, 1, 4, 0};
    Map<String, SamplerConfig> samplers = new LinkedHashMap<>();
    exactSamplers(order).forEach((name, c) -> {
      if (!name.contains("k=5") && !name.contains("k=1")) {
        samplers.put(name, c.withTemperature(1.5).withTopK(2).withTopP(0.9));
      }
    });
    checkExact("T=1.5 top-k=2 top-p=0.9", SampleRequest.withKnown(5, Map.of(2, 1)), order, samplers);
  }

  @Test
  void burstSamplingIsBiased() {
    // Burst and random-order sequential both commit targets in random orders, so their fair reference is the
    // uniform mixture over target orders of the joints under each order; sequential with a fresh random
    // order per sequence samples that mixture exactly.
    SampleRequest request = SampleRequest.unconditional(5);
    double[] mixture = Joint.mixture(net, TokenFilter.NONE, request, Joint.permutations(OrderKind.identity(5)));
    SamplerConfig random = SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withOrder(OrderKind.RANDOM).withSeed(21);
    Statistics.Fit sequential = Statistics.fit(mixture, histogram(random, request));
    Statistics.Fit burst = Statistics.fit(mixture,
        histogram(SamplerConfig.defaults(SamplerKind.BURST).withBurstOrders(5).withSeed(22), request));
    Statistics.Fit adaptive = Statistics.fit(mixture,
        histogram(SamplerConfig.defaults(SamplerKind.ADAPTIVE).withGumbelScale(1).withSeed(23), request));
    System.out.printf("[exactness] %-28s %-42s %s%n", "order mixture", "sequential random order", sequential);
    System.out.printf("[exactness] %-28s %-42s %s%n", "order mixture", "burst M=5", burst);
    System.out.printf("[exactness] %-28s %-42s %s%n", "order mixture", "adaptive margin+gumbel (not exact)", adaptive);
    assertTrue(sequential.pValue() > 1e-3, "random-order sequential must sample the order mixture: " + sequential);
    assertTrue(burst.pValue() < 1e-6, "burst sampling should be visibly biased: " + burst);
    assertTrue(burst.totalVariation() > 2 * sequential.totalVariation(),
        "burst TV " + burst.totalVariation() + " should clearly exceed sequential TV " + sequential.totalVariation());
  }
}
