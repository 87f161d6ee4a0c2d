package dev.anyorder.density;

import dev.anyorder.model.GapLayout;
import dev.anyorder.model.Network;
import dev.anyorder.sampling.GapRequest;
import dev.anyorder.sampling.GapSampler;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.TokenFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The exact log-probability of a fill of gaps of unknown length, lengths included
 * (docs/algorithms.md#gaps-of-unknown-length): {@code log p(lengths | context)} from the length stream plus
 * {@code log p(content | context, lengths)} from the {@link Scorer} under a content order. Fills of different
 * lengths are scored on one scale, so they can be ranked against each other.
 */
public final class GapScorer {
  private final Network network;
  private final GapLayout layout;
  private final TokenFilter filter;

  /** Scores the model itself (temperature 1, no truncation). */
  public GapScorer(Network network, GapLayout layout) {
    this(network, layout, TokenFilter.NONE);
  }

  /** Scores the filtered model a {@code GapSampler} with this filter draws from. */
  public GapScorer(Network network, GapLayout layout, TokenFilter filter) {
    this.network = Objects.requireNonNull(network, "network");
    this.layout = Objects.requireNonNull(layout, "layout").validate(network.config());
    this.filter = Objects.requireNonNull(filter, "filter");
  }

  /**
   * One fill to score.
   *
   * @param request the template
   * @param lengths the length of each gap of unknown length
   * @param tokens the whole filled sequence ({@code request.expand(lengths)} with every unknown token filled)
   * @param contentOrder the order of the content's targets (every unknown position of the expanded request once)
   */
  public record Fill(GapRequest request, int[] lengths, int[] tokens, int[] contentOrder) {
    public Fill {
      Objects.requireNonNull(request, "request");
      lengths = lengths.clone();
      tokens = tokens.clone();
      contentOrder = contentOrder.clone();
      int[] given = request.expand(lengths);
      if (given.length != tokens.length) {
        throw new IllegalArgumentException("the fill has " + tokens.length + " tokens but the template with lengths "
            + java.util.Arrays.toString(lengths) + " has " + given.length);
      }
      for (int i = 0; i < given.length; i++) {
        if (given[i] != SampleRequest.UNKNOWN && given[i] != tokens[i]) {
          throw new IllegalArgumentException("the fill changes the known token at position " + i);
        }
      }
    }

    /** Left to right through the content, the order {@code sample --order infill} fills it in. */
    public static Fill leftToRight(GapRequest request, int[] lengths, int[] tokens) {
      int[] given = request.expand(lengths);
      int[] order = java.util.stream.IntStream.range(0, given.length).filter(i -> given[i] == SampleRequest.UNKNOWN).toArray();
      return new Fill(request, lengths, tokens, order);
    }
  }

  /**
   * A fill's score: {@code log p(lengths | context)} and {@code log p(content | context, lengths)}.
   *
   * @param targets the content tokens scored
   */
  public record GapScore(double lengthLogProb, double contentLogProb, int targets) {
    /** {@code log p(fill | context)}, lengths included. */
    public double logProb() {
      return lengthLogProb + contentLogProb;
    }
  }

  /** Scores every fill, the lengths in one batched call and the contents in another. */
  public List<GapScore> scoreAll(List<Fill> fills) {
    List<GapRequest> requests = fills.stream().map(Fill::request).toList();
    List<int[]> lengths = fills.stream().map(Fill::lengths).toList();
    double[] lengthLp = GapSampler.lengthLogProbs(network, layout, filter, requests, lengths);
    List<ScoreRequest> contents = new ArrayList<>();
    List<Integer> withTargets = new ArrayList<>();
    for (int b = 0; b < fills.size(); b++) {
      Fill f = fills.get(b);
      if (f.contentOrder.length == 0) {
        continue;
      }
      int[] given = f.request.expand(f.lengths);
      boolean[] known = new boolean[given.length];
      for (int i = 0; i < given.length; i++) {
        known[i] = given[i] != SampleRequest.UNKNOWN;
      }
      contents.add(new ScoreRequest(f.tokens, known, f.contentOrder));
      withTargets.add(b);
    }
    List<OrderScore> scored = new Scorer(network, filter).scoreAll(contents);
    double[] contentLp = new double[fills.size()];
    int[] targets = new int[fills.size()];
    for (int i = 0; i < scored.size(); i++) {
      contentLp[withTargets.get(i)] = scored.get(i).logProb();
      targets[withTargets.get(i)] = scored.get(i).targets();
    }
    List<GapScore> out = new ArrayList<>(fills.size());
    for (int b = 0; b < fills.size(); b++) {
      out.add(new GapScore(lengthLp[b], contentLp[b], targets[b]));
    }
    return out;
  }
}
