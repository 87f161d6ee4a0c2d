package dev.anyorder.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.LogProbabilities;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.Step;
import dev.anyorder.model.java.JavaNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Beam search over adaptive decoding ({@link AdaptiveSampler} with {@code beam > 1}) on a random σ-GPT small
 * enough to enumerate: a beam as wide as every filling finds exactly the filling a brute-force search over
 * all of them picks (each filling's commit order replayed by the rule, its consistency summed from separate
 * passes); ranking by the commit-order log-probability instead picks another filling (the negative control:
 * the rerank decides); the cached, batched calls equal cache-free separate passes; sequences decoded
 * together equal sequences decoded alone; and misconfigurations name the field.
 */
class BeamSearchTest {
  static final int V = 3;
  static final int LENGTH = 5;
  static final ModelConfig CONFIG = ModelConfig.of(V, LENGTH, 2, 2, 16);
  static final int[] TARGETS = {1, 2, 3, 4};

  static Network network(long seed) {
    return new JavaNetwork(CONFIG, dev.anyorder.testing.RandomWeights.of(CONFIG, seed, 0.8));
  }

  static SamplerConfig beam(int width) {
    return SamplerConfig.defaults(SamplerKind.ADAPTIVE).withBeam(width);
  }

  static int[] solve(Network net, int width, int knownToken) {
    SampleRequest request = SampleRequest.withKnown(LENGTH, Map.of(0, knownToken));
    return Sampler.create(net, beam(width)).sample(List.of(request)).samples().get(0).tokens();
  }

  /** Logits of the last of {@code steps}, from one cache-free pass. */
  static float[] last(Network net, List<Step> steps) {
    try (DecodeState s = net.newState(1)) {
      float[][] l = net.call(s, List.of(SequenceCall.extend(steps, 1))).get(0).extendLogits();
      return l[l.length - 1];
    }
  }

  static double[] probabilities(float[] logits) {
    double[] lp = LogProbabilities.logSoftmax(logits);
    double[] p = new double[lp.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(lp[i]);
    }
    return p;
  }

  /** The order the margin rule commits {@code filling}'s targets in, replayed pass by pass. */
  static int[] replayOrder(Network net, int[] filling) {
    List<Integer> order = new ArrayList<>();
    List<Integer> left = new ArrayList<>(List.of(1, 2, 3, 4));
    while (!left.isEmpty()) {
      int best = -1;
      double bestMargin = -1;
      for (int p : left) {
        double margin = TokenDistribution.of(probabilities(last(net, chain(filling, order, p)))).margin();
        if (margin > bestMargin) {
          bestMargin = margin;
          best = p;
        }
      }
      order.add(best);
      left.remove(Integer.valueOf(best));
    }
    return order.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Steps feeding position 0 then {@code order}'s positions of {@code filling}, asking for {@code next}. */
  static List<Step> chain(int[] filling, List<Integer> order, int next) {
    List<Step> steps = new ArrayList<>();
    int[] from = {CONFIG.startToken(), CONFIG.nonePosition()};
    List<Integer> fed = new ArrayList<>();
    fed.add(0);
    fed.addAll(order);
    for (int p : fed) {
      steps.add(new Step(from[0], from[1], p));
      from = new int[] {filling[p], p};
    }
    steps.add(new Step(from[0], from[1], next));
    return steps;
  }

  /** Sum over the targets of log p(x_j | position 0, then the other targets in commit order). */
  static double consistency(Network net, int[] filling, int[] order) {
    double sum = 0;
    for (int j : order) {
      List<Integer> others = new ArrayList<>();
      for (int o : order) {
        if (o != j) {
          others.add(o);
        }
      }
      sum += LogProbabilities.logSoftmax(last(net, chain(filling, others, j)))[filling[j]];
    }
    return sum;
  }

  /** Sum over the targets of log p(x_j | position 0 and the targets committed before it). */
  static double commitLogProb(Network net, int[] filling, int[] order) {
    double sum = 0;
    List<Integer> before = new ArrayList<>();
    for (int j : order) {
      sum += LogProbabilities.logSoftmax(last(net, chain(filling, before, j)))[filling[j]];
      before.add(j);
    }
    return sum;
  }

  /** The brute-force choice among all V^4 fillings: by consistency, or by commit-order log-probability. */
  static int[] bruteForce(Network net, int knownToken, boolean byConsistency) {
    int[] best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int code = 0; code < V * V * V * V; code++) {
      int[] filling = new int[LENGTH];
      filling[0] = knownToken;
      for (int i = 0, c = code; i < TARGETS.length; i++, c /= V) {
        filling[TARGETS[i]] = c % V;
      }
      int[] order = replayOrder(net, filling);
      double score = byConsistency ? consistency(net, filling, order) : commitLogProb(net, filling, order);
      if (score > bestScore + 1e-9) {
        bestScore = score;
        best = filling;
      }
    }
    return best;
  }

  @Test
  void anExhaustiveBeamPicksTheMostConsistentFillingOfAll() {
    int differs = 0;
    for (long seed = 1; seed <= 6; seed++) {
      Network net = network(seed);
      for (int known = 0; known < V; known++) {
        int[] expected = bruteForce(net, known, true);
        assertArrayEquals(expected, solve(net, 81, known), "weights " + seed + ", known token " + known);
        if (!java.util.Arrays.equals(expected, bruteForce(net, known, false))) {
          differs++;
        }
      }
    }
    assertTrue(differs > 0, "negative control: ranking by commit-order log-probability picks another filling for some prompt,"
        + " so the rerank is what decides");
  }

  @Test
  void cachedCallsEqualSeparatePasses() {
    Network net = network(7);
    for (int width : new int[] {2, 4, 9}) {
      for (int known = 0; known < V; known++) {
        assertArrayEquals(solve(new SeparatePassesNetwork(net), width, known), solve(net, width, known),
            "beam " + width + ", known token " + known);
      }
    }
  }

  @Test
  void sequencesDecodedTogetherEqualSequencesDecodedAlone() {
    Network net = network(9);
    List<SampleRequest> requests = List.of(SampleRequest.withKnown(LENGTH, Map.of(0, 1)),
        SampleRequest.withKnown(LENGTH, Map.of(2, 0, 4, 2)), SampleRequest.withKnown(LENGTH, Map.of()));
    Sampler sampler = Sampler.create(net, beam(3));
    List<Sample> together = sampler.sample(requests).samples();
    for (int b = 0; b < requests.size(); b++) {
      Sample alone = Sampler.create(net, beam(3)).sample(List.of(requests.get(b))).samples().get(0);
      assertArrayEquals(alone.tokens(), together.get(b).tokens(), "request " + b);
      assertArrayEquals(alone.commitOrder(), together.get(b).commitOrder(), "request " + b);
    }
  }

  @Test
  void misconfigurationsNameTheBeam() {
    InvalidSettingException zero = assertThrows(InvalidSettingException.class, () -> beam(0));
    assertEquals("beam", zero.setting());
    InvalidSettingException kTwo = assertThrows(InvalidSettingException.class, () -> beam(4).withK(2));
    assertTrue(kTwo.getMessage().contains("k = 1"), kTwo.getMessage());
    InvalidSettingException sequential = assertThrows(InvalidSettingException.class,
        () -> SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withBeam(2));
    assertTrue(sequential.getMessage().contains("adaptive"), sequential.getMessage());
  }
}
