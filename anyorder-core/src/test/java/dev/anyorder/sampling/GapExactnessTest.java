package dev.anyorder.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.density.GapScorer;
import dev.anyorder.model.GapLayout;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.java.JavaNetwork;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.testing.Statistics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Gaps of unknown length are exactly scored and exactly sampled (docs/algorithms.md#gaps-of-unknown-length),
 * on a random σ-GPT small enough to enumerate: 3 tokens, a content block of 6 and 2 length slots. For each
 * request, every possible fill (every allowed length of every gap, every content) is scored as
 * {@code log p(lengths | context) + log p(content | context, lengths)} ({@link GapScorer}); the probabilities sum to 1 within
 * 1e-5, and 20,000 fills of {@link GapSampler} (sequential and speculative content) match them by a
 * chi-square test. The negative control draws the lengths uniformly, as a model never asked for lengths
 * would have to, and fails the same test.
 */
class GapExactnessTest {
  static final int V = 3;
  static final int BLOCK = 6;
  static final GapLayout LAYOUT = new GapLayout(2, 2);
  static final ModelConfig CONFIG = ModelConfig.of(V, BLOCK + LAYOUT.slots(), 2, 2, 16);
  static final int G = GapRequest.GAP;
  static final int U = SampleRequest.UNKNOWN;
  static final int SAMPLES = 20_000;
  static final TokenFilter EXACT = TokenFilter.NONE;

  /** One gap; two gaps whose second is cut short by the block when the first is long; a gap beside a fixed one. */
  static final List<GapRequest> REQUESTS = List.of(
      new GapRequest(new int[] {0, G, 1}, new int[] {2}),
      new GapRequest(new int[] {0, G, 1, G, 2}, new int[] {2, 2}),
      new GapRequest(new int[] {G, U, 1}, new int[] {2}));

  static Network network(long seed) {
    return new JavaNetwork(CONFIG, dev.anyorder.testing.RandomWeights.of(CONFIG, seed, 0.8));
  }

  /** Every fill of a request: its lengths and its expanded tokens, keyed by text. */
  record Outcome(int[] lengths, int[] tokens) {
    String key() {
      return Arrays.toString(lengths) + Arrays.toString(tokens);
    }
  }

  static List<Outcome> outcomes(GapRequest r) {
    List<Outcome> out = new ArrayList<>();
    lengths(r, new int[r.gaps()], 0, out);
    return out;
  }

  private static void lengths(GapRequest r, int[] chosen, int g, List<Outcome> out) {
    if (g == r.gaps()) {
      int[] given = r.expand(chosen);
      int[] targets = new SampleRequest(given.length == 0 ? new int[] {0} : given).targetPositions();
      int count = (int) Math.pow(V, targets.length);
      for (int o = 0; o < count; o++) {
        int[] tokens = given.clone();
        int rest = o;
        for (int p : targets) {
          tokens[p] = rest % V;
          rest /= V;
        }
        out.add(new Outcome(chosen.clone(), tokens));
      }
      return;
    }
    for (int l = 0; l <= r.capacity(BLOCK, chosen, g); l++) {
      chosen[g] = l;
      lengths(r, chosen, g + 1, out);
    }
  }

  /** Exact probability of each outcome: lengths given the context, then content left to right given both. */
  static double[] exact(Network net, GapRequest r, List<Outcome> outcomes) {
    List<GapScorer.Fill> fills = outcomes.stream().map(o -> GapScorer.Fill.leftToRight(r, o.lengths(), o.tokens())).toList();
    return new GapScorer(net, LAYOUT).scoreAll(fills).stream().mapToDouble(s -> Math.exp(s.logProb())).toArray();
  }

  static long[] count(List<Outcome> outcomes, List<GapFill> fills) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < outcomes.size(); i++) {
      index.put(outcomes.get(i).key(), i);
    }
    long[] counts = new long[outcomes.size()];
    for (GapFill f : fills) {
      Integer i = index.get(new Outcome(f.lengths(), f.tokens()).key());
      if (i == null) {
        throw new AssertionError("a fill outside the enumerated outcomes: " + f);
      }
      counts[i]++;
    }
    return counts;
  }

  static List<GapFill> sample(GapSampler sampler, GapRequest r) {
    List<GapFill> fills = new ArrayList<>(SAMPLES);
    for (int done = 0; done < SAMPLES; done += 2000) {
      fills.addAll(sampler.sample(java.util.Collections.nCopies(2000, r)));
    }
    return fills;
  }

  @Test
  void everyFillOfEveryLengthSumsToOne() {
    try (Network net = network(7)) {
      for (GapRequest r : REQUESTS) {
        List<Outcome> outcomes = outcomes(r);
        double total = Arrays.stream(exact(net, r, outcomes)).sum();
        System.out.printf("gap joint %s: %d fills, total probability %.9f%n", r, outcomes.size(), total);
        assertEquals(1.0, total, 1e-5, "fills of " + r);
      }
    }
  }

  @Test
  void sampledFillsMatchTheExactJoint() {
    try (Network net = network(7)) {
      for (SamplerKind kind : List.of(SamplerKind.SEQUENTIAL, SamplerKind.SPECULATIVE)) {
        for (GapRequest r : REQUESTS) {
          List<Outcome> outcomes = outcomes(r);
          double[] p = exact(net, r, outcomes);
          GapSampler sampler = new GapSampler(net, LAYOUT, SamplerConfig.defaults(kind).withOrder(OrderKind.INFILL).withSeed(11));
          List<GapFill> fills = sample(sampler, r);
          Statistics.Fit fit = Statistics.fit(p, count(outcomes, fills));
          System.out.printf("gap sampler %s on %s: %s%n", kind, r, fit);
          assertTrue(fit.pValue() > 1e-3 && fit.impossibleHits() == 0, kind + " on " + r + ": " + fit);
          // The reported log-probability of each fill is the exact one.
          GapFill first = fills.get(0);
          int at = outcomes.stream().map(Outcome::key).toList().indexOf(new Outcome(first.lengths(), first.tokens()).key());
          assertEquals(Math.log(p[at]), first.logProb(), 1e-4);
        }
      }
    }
  }

  @Test
  void lengthsDrawnWithoutTheModelFailTheSameTest() {
    try (Network net = network(7)) {
      GapRequest r = REQUESTS.get(1);
      List<Outcome> outcomes = outcomes(r);
      double[] p = exact(net, r, outcomes);
      Sampler content = Sampler.create(net, SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withOrder(OrderKind.INFILL).withSeed(11));
      SplittableRandom rng = new SplittableRandom(5);
      List<GapFill> fills = new ArrayList<>();
      for (int done = 0; done < SAMPLES; done += 2000) {
        List<int[]> lengths = new ArrayList<>();
        List<SampleRequest> expanded = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          int[] chosen = new int[r.gaps()];
          for (int g = 0; g < chosen.length; g++) {
            chosen[g] = rng.nextInt(r.capacity(BLOCK, chosen, g) + 1);
          }
          lengths.add(chosen);
          expanded.add(new SampleRequest(r.expand(chosen)));
        }
        List<Sample> samples = content.sample(expanded).samples();
        for (int i = 0; i < samples.size(); i++) {
          fills.add(new GapFill(lengths.get(i), 0, samples.get(i), r.spans(lengths.get(i)), 0));
        }
      }
      Statistics.Fit fit = Statistics.fit(p, count(outcomes, fills));
      System.out.printf("negative control (uniform lengths) on %s: %s%n", r, fit);
      assertTrue(fit.pValue() < 1e-6, "uniform lengths should be caught: " + fit);
    }
  }

  @Test
  void requestsThatDoNotFitAreRefusedByName() {
    GapRequest tooMany = new GapRequest(new int[] {G, 0, G, 1, G}, new int[] {1, 1, 1});
    assertTrue(assertThrows(IllegalArgumentException.class, () -> tooMany.validate(CONFIG, LAYOUT)).getMessage()
        .contains("at most 2"));
    GapRequest tooLong = new GapRequest(new int[] {0, G}, new int[] {7});
    assertTrue(assertThrows(IllegalArgumentException.class, () -> tooLong.validate(CONFIG, LAYOUT)).getMessage()
        .contains("longer than the model's block of 6"));
    GapRequest beyondModel = new GapRequest(new int[] {0, G}, new int[] {3});
    assertTrue(assertThrows(IllegalArgumentException.class, () -> beyondModel.validate(CONFIG, LAYOUT)).getMessage()
        .contains("at most 2"));
    GapRequest crowded = new GapRequest(new int[] {0, 1, 2, 0, 1, 2, G}, new int[] {1});
    assertTrue(assertThrows(IllegalArgumentException.class, () -> crowded.validate(CONFIG, LAYOUT)).getMessage()
        .contains("block of 6"));
  }
}
