package dev.anyorder.density;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.Step;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.sampling.TokenFilter;
import dev.anyorder.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scores under an order, normalization of the enumerated joint, and the order-free estimate. */
class ScorerTest {
  static final ModelConfig CONFIG = TinyModels.config(3, 6);
  static NDManager manager;
  static DjlNetwork net;

  @BeforeAll
  static void setUp() {
    manager = TinyModels.manager();
    net = new DjlNetwork(TinyModels.random(CONFIG, 9, 0.7, manager), true);
  }

  @AfterAll
  static void tearDown() {
    net.close();
    manager.close();
  }

  static int[] decode(int index, int n) {
    int[] x = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = index % 3;
      index /= 3;
    }
    return x;
  }

  @Test
  void conditionalJointSumsToOneUnderAnyOrder() {
    boolean[] known = {false, true, false, false, true, false};
    for (int[] order : List.of(new int[] {0, 2, 3, 5}, new int[] {5, 3, 0, 2}, new int[] {2, 5, 0, 3})) {
      List<ScoreRequest> all = new ArrayList<>();
      for (int i = 0; i < 81; i++) {
        int[] t = decode(i, 4);
        all.add(new ScoreRequest(new int[] {t[0], 1, t[1], t[2], 2, t[3]}, known, order));
      }
      double total = new Scorer(net).scoreAll(all).stream().mapToDouble(s -> Math.exp(s.logProb())).sum();
      assertEquals(1, total, 1e-5);
      Scorer filtered = new Scorer(net, new TokenFilter(0.8, 2, 1));
      assertEquals(1, filtered.scoreAll(all).stream().mapToDouble(s -> Math.exp(s.logProb())).sum(), 1e-5);
    }
  }

  @Test
  void scoreIsTheSumOfStepwiseConditionals() {
    int[] x = {2, 0, 1, 1, 0, 2};
    boolean[] known = {false, false, true, false, false, false};
    int[] order = {4, 0, 5, 1, 3};
    OrderScore score = new Scorer(net).score(new ScoreRequest(x, known, order));
    assertEquals(5, score.targets());
    assertTrue(Double.isNaN(score.perPosition()[2]), "known positions are not scored");
    // Step by step with one-pass queries: start -> 2 (known), then each target given what precedes it.
    int[] full = {2, 4, 0, 5, 1, 3};
    double total = 0;
    for (int t = 1; t < full.length; t++) {
      List<Step> steps = new ArrayList<>();
      steps.add(new Step(CONFIG.startToken(), CONFIG.nonePosition(), full[0]));
      for (int i = 1; i < t; i++) {
        steps.add(new Step(x[full[i - 1]], full[i - 1], full[i]));
      }
      Step query = new Step(x[full[t - 1]], full[t - 1], full[t]);
      try (DecodeState s = net.newState(1)) {
        float[] logits = net.call(s, List.of(SequenceCall.extendThenQuery(steps, List.of(query)))).get(0).queryLogits()[0];
        double lp = TokenFilter.NONE.apply(logits).logProbability(x[full[t]]);
        assertEquals(lp, score.perPosition()[full[t]], 1e-5);
        total += lp;
      }
    }
    assertEquals(total, score.logProb(), 1e-4);
    assertEquals(-score.logProb() / 5, score.natsPerToken(), 1e-12);
    assertEquals(score.natsPerToken() / Math.log(2), score.bitsPerToken(), 1e-12);
  }

  @Test
  void orderFreeEstimateIsTheLogMeanExpWithDeltaMethodError() {
    int[] x = {1, 2, 0, 0, 1, 2};
    boolean[] known = new boolean[6];
    OrderFreeScore est = new Scorer(net).orderFree(x, known, 16, 3);
    assertEquals(16, est.perOrder().size());
    double[] lp = est.perOrder().stream().mapToDouble(OrderScore::logProb).toArray();
    double mean = 0;
    for (double l : lp) {
      mean += Math.exp(l) / lp.length;
    }
    assertEquals(Math.log(mean), est.logProb(), 1e-9);
    double var = 0;
    for (double l : lp) {
      var += (Math.exp(l) - mean) * (Math.exp(l) - mean) / (lp.length - 1);
    }
    assertEquals(Math.sqrt(var / lp.length) / mean, est.standardError(), 1e-9);
    assertTrue(est.standardError() > 0, "a random model is not order-consistent");
    assertEquals(-est.logProb() / 6 / Math.log(2), est.bitsPerToken(), 1e-12);
    OrderFreeScore one = new Scorer(net).orderFree(x, known, 1, 3);
    assertTrue(Double.isNaN(one.standardError()));
    // Same seed, same orders; left-to-right is one of the orders the estimate can draw.
    assertEquals(est.logProb(), new Scorer(net).orderFree(x, known, 16, 3).logProb(), 0);
    OrderScore l2r = new Scorer(net).score(ScoreRequest.unconditional(x, OrderKind.identity(6)));
    assertTrue(Double.isFinite(l2r.logProb()));
  }

  @Test
  void badScoreRequests() {
    assertEquals("targetOrder [0, 1] must list every target position exactly once; the targets are [0, 1, 2]",
        assertThrows(IllegalArgumentException.class, () -> new ScoreRequest(new int[] {0, 1, 2}, new boolean[3], new int[] {0, 1}))
            .getMessage());
    ModelConfig noStart = new ModelConfig(3, 6, 1, 1, 8, 4, 0.0, PositionEncoding.LEARNED, false, false);
    try (NDManager m = TinyModels.manager(); DjlNetwork ns = TinyModels.network(noStart, 1, m)) {
      assertEquals("this model has no start slot and needs at least one known token", assertThrows(IllegalArgumentException.class,
          () -> new Scorer(ns).score(ScoreRequest.unconditional(new int[] {0, 1}, new int[] {0, 1}))).getMessage());
      OrderScore s = new Scorer(ns).score(new ScoreRequest(new int[] {0, 1, 2}, new boolean[] {false, true, false}, new int[] {2, 0}));
      assertEquals(2, s.targets());
      assertTrue(s.logProb() < 0);
    }
  }
}
