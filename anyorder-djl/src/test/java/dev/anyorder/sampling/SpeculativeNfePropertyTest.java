package dev.anyorder.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property: speculative decoding never spends more network evaluations on a sequence than it generates
 * tokens, over random models (with and without start slot), lengths, known sets, orders, windows,
 * bonus settings, drafters and temperatures. Cases are drawn from a fixed seed so a failure replays;
 * the message names the case.
 */
class SpeculativeNfePropertyTest {
  static final int CASES = 100;
  static NDManager manager;
  static List<DjlNetwork> networks = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    manager = TinyModels.manager();
    networks.add(new DjlNetwork(TinyModels.random(TinyModels.config(3, 8), 1, 0.5, manager), true));
    networks.add(new DjlNetwork(TinyModels.random(TinyModels.config(6, 12), 2, 1.0, manager), true));
    networks.add(new DjlNetwork(TinyModels.random(
        new ModelConfig(4, 9, 1, 2, 8, 4, 0.0, PositionEncoding.LEARNED, false, false), 3, 0.8, manager), true));
  }

  @AfterAll
  static void tearDown() {
    networks.forEach(DjlNetwork::close);
    manager.close();
  }

  @Test
  void nfeNeverExceedsGeneratedTokens() {
    SplittableRandom rng = new SplittableRandom(2025);
    for (int c = 0; c < CASES; c++) {
      DjlNetwork net = networks.get(rng.nextInt(networks.size()));
      ModelConfig mc = net.config();
      boolean bonus = rng.nextBoolean();
      int k = (bonus ? 1 : 2) + rng.nextInt(6);
      OrderKind order = OrderKind.values()[rng.nextInt(OrderKind.values().length)];
      SamplerConfig config = SamplerConfig.defaults(SamplerKind.SPECULATIVE).withK(k).withBonus(bonus)
          .withAdaptiveK(rng.nextBoolean()).withOrder(order)
          .withDrafter(rng.nextBoolean() ? DrafterKind.SELF : DrafterKind.NGRAM)
          .withTemperature(0.5 + rng.nextDouble() * 1.5).withSeed(rng.nextLong());
      List<SampleRequest> requests = new ArrayList<>();
      for (int b = 0; b < 12; b++) {
        int n = 1 + rng.nextInt(mc.maxLength());
        int[] given = new int[n];
        double knownRate = rng.nextDouble() * 0.6;
        for (int i = 0; i < n; i++) {
          given[i] = rng.nextDouble() < knownRate ? rng.nextInt(mc.vocabSize()) : SampleRequest.UNKNOWN;
        }
        if (!mc.startSlot() && java.util.Arrays.stream(given).allMatch(t -> t == SampleRequest.UNKNOWN)) {
          given[rng.nextInt(n)] = rng.nextInt(mc.vocabSize());
        }
        requests.add(new SampleRequest(given));
      }
      SampleBatch batch = Sampler.create(net, config).sample(requests);
      for (int b = 0; b < requests.size(); b++) {
        Sample s = batch.samples().get(b);
        String where = "case " + c + " " + config + " request " + requests.get(b) + " -> " + s;
        assertEquals(requests.get(b).targetPositions().length, s.generated(), where);
        assertTrue(s.nfe() <= s.generated(), "NFE " + s.nfe() + " > tokens " + s.generated() + " in " + where);
      }
    }
  }
}
