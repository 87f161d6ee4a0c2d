package dev.anyorder.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.density.OrderScore;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.density.Scorer;
import dev.anyorder.evaluation.MeteredNetwork;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.testing.TinyModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Givens, determinism, listener, NFE accounting and agreement with the scorer, for every sampler. */
class SamplerBehaviourTest {
  static final ModelConfig CONFIG = TinyModels.config(5, 10);
  static final ModelConfig NO_START = new ModelConfig(5, 10, 2, 2, 16, 4, 0.0, PositionEncoding.LEARNED, false, false);
  static NDManager manager;
  static DjlNetwork net;
  static DjlNetwork noStart;

  @BeforeAll
  static void setUp() {
    manager = TinyModels.manager();
    net = new DjlNetwork(TinyModels.random(CONFIG, 5, 0.7, manager), true);
    noStart = new DjlNetwork(TinyModels.random(NO_START, 6, 0.7, manager), true);
  }

  @AfterAll
  static void tearDown() {
    net.close();
    noStart.close();
    manager.close();
  }

  /** One config of every sampler and variant. */
  static List<SamplerConfig> everySampler() {
    List<SamplerConfig> all = new ArrayList<>();
    all.add(SamplerConfig.defaults(SamplerKind.SEQUENTIAL));
    all.add(SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withOrder(OrderKind.FRACTAL).withTopK(3));
    all.add(SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(PositionRule.MAX_PROB));
    all.add(SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(PositionRule.ENTROPY).withK(3).withGumbelScale(0.5));
    all.add(SamplerConfig.defaults(SamplerKind.BURST).withBurstOrders(3));
    all.add(SamplerConfig.defaults(SamplerKind.SPECULATIVE).withTopP(0.9));
    all.add(SamplerConfig.defaults(SamplerKind.SPECULATIVE).withDrafter(DrafterKind.NGRAM).withBonus(false).withK(3));
    return all;
  }

  static List<SampleRequest> requests() {
    return List.of(SampleRequest.withKnown(10, Map.of(0, 4, 3, 1, 9, 2)), SampleRequest.withKnown(7, Map.of(6, 0)),
        SampleRequest.withKnown(10, Map.of(1, 3, 2, 3, 4, 0, 5, 1, 8, 2)), SampleRequest.withKnown(4, Map.of(0, 1, 1, 1, 2, 1, 3, 1)));
  }

  /**
   * Sequential decoding feeds every input once: the step that predicts a position becomes that position's
   * cache entry, so a sequence costs one row per known token and per target (plus the start slot's step,
   * which predicts the first input), not a query per target and the same step again in the next backlog.
   */
  @Test
  void sequentialDecodingPutsOneRowPerTokenThroughTheNetwork() {
    for (DjlNetwork network : List.of(net, noStart)) {
      MeteredNetwork metered = new MeteredNetwork(network);
      List<SampleRequest> requests = requests();
      SampleBatch batch = Sampler.create(metered, SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withOrder(OrderKind.RANDOM))
          .sample(requests);
      long expected = 0;
      for (SampleRequest r : requests) {
        // Inputs are the start slot (if any) and every token; each but the last is fed once. A request
        // with nothing to generate costs nothing.
        expected += r.targetPositions().length == 0 ? 0 : r.length() + (network.config().startSlot() ? 1 : 0) - 1;
      }
      assertEquals(expected, metered.rows(), "rows through the network");
      int targets = requests.stream().mapToInt(r -> r.targetPositions().length).max().orElseThrow();
      assertEquals(targets, metered.calls(), "one call per target of the longest request");
      assertEquals(requests.stream().mapToInt(r -> r.targetPositions().length).sum(),
          batch.samples().stream().mapToInt(Sample::nfe).sum(), "one NFE per target");
    }
  }

  @Test
  void everySamplerKeepsTheGivensAndFillsEveryTarget() {
    for (DjlNetwork network : List.of(net, noStart)) {
      for (SamplerConfig config : everySampler()) {
        List<SampleRequest> requests = requests();
        SampleBatch batch = Sampler.create(network, config).sample(requests);
        for (int b = 0; b < requests.size(); b++) {
          int[] given = requests.get(b).given();
          Sample s = batch.samples().get(b);
          int[] sorted = s.commitOrder();
          Arrays.sort(sorted);
          assertArrayEquals(requests.get(b).targetPositions(), sorted, config.kind() + ": every target committed once");
          for (int i = 0; i < given.length; i++) {
            if (given[i] != SampleRequest.UNKNOWN) {
              assertEquals(given[i], s.tokens()[i], config.kind() + " changed known position " + i);
            } else {
              assertTrue(s.tokens()[i] >= 0 && s.tokens()[i] < CONFIG.vocabSize());
            }
          }
        }
        assertEquals(0, batch.samples().get(3).nfe(), "a fully known request needs no evaluation");
      }
    }
  }

  @Test
  void sameSeedSameSamplesAndOtherSeedOtherSamples() {
    List<SampleRequest> requests = List.of(SampleRequest.unconditional(10), SampleRequest.withKnown(10, Map.of(4, 2)),
        SampleRequest.unconditional(10), SampleRequest.unconditional(10));
    for (SamplerConfig config : everySampler()) {
      List<Sample> a = Sampler.create(net, config.withSeed(7)).sample(requests).samples();
      List<Sample> b = Sampler.create(net, config.withSeed(7)).sample(requests).samples();
      assertEquals(a, b, config.kind() + " is not deterministic");
      assertNotEquals(a, Sampler.create(net, config.withSeed(8)).sample(requests).samples(), config.kind() + " ignores its seed");
    }
  }

  @Test
  void listenerSeesEveryCommitInOrder() {
    List<SampleRequest> requests = requests();
    for (SamplerConfig config : everySampler()) {
      List<List<Integer>> positions = new ArrayList<>();
      int[] lastNfe = new int[requests.size()];
      int[][] tokens = new int[requests.size()][];
      for (int b = 0; b < requests.size(); b++) {
        positions.add(new ArrayList<>());
        tokens[b] = requests.get(b).given();
      }
      SampleBatch batch = Sampler.create(net, config).sample(requests, (sequence, pos, tok, nfe) -> {
        assertEquals(pos.length, tok.length);
        assertTrue(nfe >= lastNfe[sequence], "nfeSoFar must not decrease");
        lastNfe[sequence] = nfe;
        for (int i = 0; i < pos.length; i++) {
          positions.get(sequence).add(pos[i]);
          tokens[sequence][pos[i]] = tok[i];
        }
      });
      for (int b = 0; b < requests.size(); b++) {
        Sample s = batch.samples().get(b);
        assertArrayEquals(s.commitOrder(), positions.get(b).stream().mapToInt(Integer::intValue).toArray());
        assertArrayEquals(s.tokens(), tokens[b]);
        assertEquals(s.nfe(), lastNfe[b], "the last commit reports the final NFE");
      }
    }
  }

  @Test
  void nfeAccounting() {
    SampleRequest request = SampleRequest.withKnown(10, Map.of(2, 1, 7, 3)); // 8 targets
    SampleBatch sequential = Sampler.create(net, SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withNumSamples(4)).sample(request);
    sequential.samples().forEach(s -> assertEquals(8, s.nfe(), "sequential: one evaluation per token, prefill merged"));
    assertEquals(8, sequential.totalNfe(), "a batched evaluation counts once");
    SampleBatch adaptive = Sampler.create(net, SamplerConfig.defaults(SamplerKind.ADAPTIVE).withK(3)).sample(request);
    assertEquals(3, adaptive.samples().get(0).nfe(), "adaptive k=3: ceil(8/3) evaluations");
    for (DrafterKind drafter : DrafterKind.values()) {
      SampleBatch spec = Sampler.create(net, SamplerConfig.defaults(SamplerKind.SPECULATIVE).withDrafter(drafter).withNumSamples(16))
          .sample(request);
      spec.samples().forEach(s -> assertTrue(s.nfe() <= 8, drafter + ": NFE " + s.nfe() + " > 8 tokens"));
      System.out.printf("[nfe] speculative %s k=4 adaptive bonus: mean NFE %.2f for 8 tokens (sequential: 8)%n", drafter,
          spec.samples().stream().mapToInt(Sample::nfe).average().orElseThrow());
    }
  }

  @Test
  void perPositionLogProbsAgreeWithTheScorerUnderTheCommitOrder() {
    Scorer scorer = new Scorer(net);
    List<SampleRequest> requests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requests.add(i % 2 == 0 ? SampleRequest.unconditional(10) : SampleRequest.withKnown(10, Map.of(i, 2, 9 - i, 4)));
    }
    for (SamplerConfig config : List.of(SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withSeed(3),
        SamplerConfig.defaults(SamplerKind.SPECULATIVE).withK(3).withSeed(4),
        SamplerConfig.defaults(SamplerKind.SPECULATIVE).withDrafter(DrafterKind.NGRAM).withSeed(5),
        // With one position per step, adaptive draws each token from its conditional given every earlier
        // commit; burst's accepted tokens are scored along the committed order. Both must then agree with
        // the scorer under their commit order, which checks their cache bookkeeping (rollbacks, merged backlog).
        SamplerConfig.defaults(SamplerKind.ADAPTIVE).withK(1).withGumbelScale(0.3).withSeed(6),
        SamplerConfig.defaults(SamplerKind.BURST).withBurstOrders(4).withSeed(7))) {
      List<Sample> samples = Sampler.create(net, config).sample(requests).samples();
      List<ScoreRequest> scoring = new ArrayList<>();
      for (int b = 0; b < samples.size(); b++) {
        scoring.add(new ScoreRequest(samples.get(b).tokens(), requests.get(b).knownMask(), samples.get(b).commitOrder()));
      }
      List<OrderScore> scores = scorer.scoreAll(scoring);
      for (int b = 0; b < samples.size(); b++) {
        assertEquals(scores.get(b).logProb(), samples.get(b).logProb(), 1e-4, config.kind() + " sequence " + b);
        double[] perPosition = scores.get(b).perPosition();
        double[] used = samples.get(b).logProbs();
        for (int p = 0; p < perPosition.length; p++) {
          assertEquals(perPosition[p], used[p], 1e-4, "position " + p);
        }
      }
    }
  }

  @Test
  void lowTemperatureIsGreedyAndTopKOneIsDeterministic() {
    SampleRequest request = SampleRequest.withKnown(10, Map.of(5, 2));
    SamplerConfig greedy = SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withOrder(OrderKind.LEFT_TO_RIGHT).withTopK(1);
    List<Sample> a = Sampler.create(net, greedy.withSeed(1).withNumSamples(3)).sample(request).samples();
    List<Sample> b = Sampler.create(net, greedy.withSeed(2).withTemperature(0.01).withTopK(0).withNumSamples(3)).sample(request).samples();
    for (Sample s : a) {
      assertArrayEquals(a.get(0).tokens(), s.tokens(), "top-k 1 is greedy whatever the seed");
    }
    assertArrayEquals(a.get(0).tokens(), b.get(0).tokens(), "temperature -> 0 is greedy too");
    List<Sample> spec = Sampler.create(net, SamplerConfig.defaults(SamplerKind.SPECULATIVE).withOrder(OrderKind.LEFT_TO_RIGHT)
        .withTopK(1).withNumSamples(3)).sample(request).samples();
    assertArrayEquals(a.get(0).tokens(), spec.get(0).tokens(), "greedy speculative equals greedy sequential");
    List<Sample> hot = Sampler.create(net, greedy.withTopK(0).withTemperature(5).withNumSamples(8)).sample(request).samples();
    assertNotEquals(1, hot.stream().map(s -> Arrays.toString(s.tokens())).distinct().count(), "high temperature varies");
  }
}
