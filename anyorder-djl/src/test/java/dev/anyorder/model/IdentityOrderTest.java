package dev.anyorder.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.density.Scorer;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.sampling.OrderSpec;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.Sampler;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Left-to-right is the any-order path with the identity order: one code path, bit-identical results. */
class IdentityOrderTest {
  static final ModelConfig CONFIG = TinyModels.config(6, 10);

  @Test
  void leftToRightIsTheIdentityPermutation() {
    assertArrayEquals(OrderKind.identity(10), OrderKind.LEFT_TO_RIGHT.draw(10, null, new java.util.SplittableRandom(1)));
  }

  @Test
  void identityOrderReproducesAClassicGptPassExactly() {
    int[] x = {1, 4, 2, 2, 5, 0, 3, 1, 4, 2};
    try (NDManager m = TinyModels.manager(); DjlNetwork net = TinyModels.network(CONFIG, 9, m)) {
      // A classic GPT step t reads the token at t-1 (the start token first) and predicts position t.
      List<Step> classic = new ArrayList<>();
      classic.add(new Step(CONFIG.startToken(), CONFIG.nonePosition(), 0));
      for (int t = 1; t < x.length; t++) {
        classic.add(new Step(x[t - 1], t - 1, t));
      }
      assertEquals(classic, TeacherForcing.steps(CONFIG, x, OrderKind.identity(x.length)));
      double[] byHand;
      try (DecodeState s = net.newState(1)) {
        byHand = net.call(s, List.of(SequenceCall.score(classic, x))).get(0).targetLogProbs();
      }
      double[] scored = new Scorer(net).score(ScoreRequest.unconditional(x, OrderKind.identity(x.length))).perPosition();
      assertArrayEquals(byHand, scored, 0.0, "scoring left to right is the classic pass, bit for bit");
    }
  }

  @Test
  void samplingLeftToRightEqualsAnExplicitIdentityOrder() {
    try (NDManager m = TinyModels.manager(); DjlNetwork net = TinyModels.network(CONFIG, 9, m)) {
      SampleRequest request = SampleRequest.withKnown(10, java.util.Map.of(4, 2));
      for (SamplerKind kind : new SamplerKind[] {SamplerKind.SEQUENTIAL, SamplerKind.SPECULATIVE}) {
        SamplerConfig base = SamplerConfig.defaults(kind).withSeed(5).withNumSamples(8);
        List<Sample> named = Sampler.create(net, base.withOrder(OrderKind.LEFT_TO_RIGHT)).sample(request).samples();
        List<Sample> explicit = Sampler.create(net, base.withOrder(OrderSpec.explicit(0, 1, 2, 3, 5, 6, 7, 8, 9))).sample(request).samples();
        assertEquals(named, explicit, kind.label());
      }
    }
  }
}
