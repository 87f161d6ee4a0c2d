package dev.anyorder.sampling;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.GapLayout;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Fills gaps of unknown length (docs/algorithms.md#gaps-of-unknown-length): first the length of every gap,
 * drawn one gap after the other given the whole context, in the length stream of {@link GapLayout} (one
 * network call per gap, batched over requests, on one KV cache); then the content, a fixed-length request
 * filled by the sampler that {@link SamplerConfig} names, unchanged. The log-probability of a fill is the
 * sum of the two phases', exact for the samplers that are exact (sequential and speculative decoding).
 *
 * <p>The lengths are drawn from the model's conditional restricted to the lengths the gap allows
 * ({@link GapRequest#capacity}) and renormalized, then filtered by the configuration's temperature and
 * truncation, as every token is; {@link #lengthLogProbs} scores a given choice the same way.
 *
 * <p>Like every sampler, seeded: a fresh one with the same configuration reproduces the same fills.
 */
public final class GapSampler {
  private static final long LENGTH_STREAM = 0x6A9A5L;

  private final Network network;
  private final GapLayout layout;
  private final SamplerConfig config;
  private final Sampler content;
  private final SplittableRandom lengths;

  public GapSampler(Network network, GapLayout layout, SamplerConfig config) {
    this.network = Objects.requireNonNull(network, "network");
    this.layout = Objects.requireNonNull(layout, "layout").validate(network.config());
    this.config = Objects.requireNonNull(config, "config");
    this.content = Sampler.create(network, config);
    this.lengths = new SplittableRandom(config.seed() ^ LENGTH_STREAM);
  }

  public SamplerConfig config() {
    return config;
  }

  /** One fill per request, all in one batch. */
  public synchronized List<GapFill> sample(List<GapRequest> requests) {
    List<SplittableRandom> streams = new ArrayList<>(requests.size());
    requests.forEach(r -> streams.add(lengths.split()));
    return fill(requests, streams, (expanded, owners) -> content.sample(expanded).samples());
  }

  /**
   * One fill per request like {@link #sample(List)}, but request {@code b} draws its lengths and its content from
   * streams named by {@code seeds.get(b)} alone, so its fill does not depend on the other requests of the batch
   * (Spark rows, server requests).
   */
  public synchronized List<GapFill> sample(List<GapRequest> requests, List<SequenceSeed> seeds) {
    if (seeds.size() != requests.size()) {
      throw new IllegalArgumentException(seeds.size() + " seeds for " + requests.size() + " requests");
    }
    List<SplittableRandom> streams = new ArrayList<>(requests.size());
    seeds.forEach(s -> streams.add(new SequenceSeed(s.seed() ^ LENGTH_STREAM, s.stream()).newRandom()));
    return fill(requests, streams, (expanded, owners) -> content.sample(expanded, owners.stream().map(seeds::get).toList(),
        CommitListener.NONE).samples());
  }

  /** The content of each expanded request, given the indices of the requests they came from. */
  private interface ContentSampler {
    List<Sample> sample(List<SampleRequest> expanded, List<Integer> owners);
  }

  private List<GapFill> fill(List<GapRequest> requests, List<SplittableRandom> streams, ContentSampler contentSampler) {
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("no requests to fill");
    }
    ModelConfig c = network.config();
    requests.forEach(r -> r.validate(c, layout));
    int[][] drawn = new int[requests.size()][];
    double[] lengthLogProbs = new double[requests.size()];
    int lengthCalls = drawLengths(requests, streams, drawn, lengthLogProbs);

    List<SampleRequest> expanded = new ArrayList<>();
    List<Integer> withTargets = new ArrayList<>();
    for (int b = 0; b < requests.size(); b++) {
      int[] given = requests.get(b).expand(drawn[b]);
      if (Arrays.stream(given).anyMatch(t -> t == SampleRequest.UNKNOWN)) {
        expanded.add(new SampleRequest(given));
        withTargets.add(b);
      }
    }
    Sample[] contents = new Sample[requests.size()];
    if (!expanded.isEmpty()) {
      List<Sample> filled = contentSampler.sample(expanded, withTargets);
      for (int i = 0; i < filled.size(); i++) {
        contents[withTargets.get(i)] = filled.get(i);
      }
    }
    List<GapFill> fills = new ArrayList<>(requests.size());
    for (int b = 0; b < requests.size(); b++) {
      Sample s = contents[b];
      if (s == null) {
        // Every gap came out empty and nothing else is unknown: the content is the context itself.
        int[] tokens = requests.get(b).expand(drawn[b]);
        double[] nan = new double[tokens.length];
        Arrays.fill(nan, Double.NaN);
        s = new Sample(tokens, new int[0], nan, 0);
      }
      int nfe = s.nfe() + requests.get(b).gaps();
      fills.add(new GapFill(drawn[b], lengthLogProbs[b], s, requests.get(b).spans(drawn[b]), nfe));
    }
    assert lengthCalls <= layout.slots();
    return fills;
  }

  /**
   * Draws every request's lengths, gap {@code g} of all requests in call {@code g} on one cache; returns the
   * number of calls made.
   */
  private int drawLengths(List<GapRequest> requests, List<SplittableRandom> streams, int[][] drawn, double[] logProbs) {
    ModelConfig c = network.config();
    int block = layout.block(c);
    int most = requests.stream().mapToInt(GapRequest::gaps).max().orElse(0);
    for (int b = 0; b < requests.size(); b++) {
      drawn[b] = new int[requests.get(b).gaps()];
    }
    if (most == 0) {
      return 0;
    }
    int[] fed = new int[requests.size()];
    try (DecodeState state = network.newState(requests.size(), block)) {
      for (int g = 0; g < most; g++) {
        List<SequenceCall> calls = new ArrayList<>(requests.size());
        for (int b = 0; b < requests.size(); b++) {
          GapRequest r = requests.get(b);
          if (g >= r.gaps()) {
            calls.add(SequenceCall.none());
            continue;
          }
          List<Step> steps = layout.stream(c, r.lengthLayout(), drawn[b], g).steps();
          calls.add(SequenceCall.extend(steps.subList(fed[b], steps.size()), 1));
          fed[b] = steps.size();
        }
        List<CallResult> results = network.call(state, calls);
        for (int b = 0; b < requests.size(); b++) {
          GapRequest r = requests.get(b);
          if (g >= r.gaps()) {
            continue;
          }
          float[][] rows = results.get(b).extendLogits();
          TokenDistribution p = allowed(rows[rows.length - 1], r.capacity(block, drawn[b], g));
          int length = p.sample(streams.get(b));
          drawn[b][g] = length;
          logProbs[b] += p.logProbability(length);
        }
      }
    }
    return most;
  }

  /**
   * {@code log p(lengths | context)} of each request under {@code filter}, in one batched pass: the sum over
   * its gaps of the restricted, renormalized conditional of each length given the context and the lengths
   * before it.
   */
  public static double[] lengthLogProbs(Network network, GapLayout layout, TokenFilter filter, List<GapRequest> requests,
      List<int[]> lengths) {
    ModelConfig c = network.config();
    int block = layout.block(c);
    if (requests.size() != lengths.size()) {
      throw new IllegalArgumentException(lengths.size() + " length choices for " + requests.size() + " requests");
    }
    List<SequenceCall> calls = new ArrayList<>();
    List<int[]> slotSteps = new ArrayList<>();
    for (int b = 0; b < requests.size(); b++) {
      GapRequest r = requests.get(b).validate(c, layout);
      r.expand(lengths.get(b)); // checks the lengths against the gaps' bounds
      if (r.gaps() == 0) {
        calls.add(SequenceCall.none());
        slotSteps.add(new int[0]);
        continue;
      }
      GapLayout.LengthStream stream = layout.stream(c, r.lengthLayout(), lengths.get(b), r.gaps() - 1);
      calls.add(SequenceCall.extend(stream.steps(), stream.steps().size()));
      slotSteps.add(stream.slotSteps());
    }
    double[] out = new double[requests.size()];
    if (calls.stream().allMatch(SequenceCall::isEmpty)) {
      return out;
    }
    List<CallResult> results;
    try (DecodeState state = network.newState(requests.size(), calls.stream().mapToInt(SequenceCall::rows).max().orElse(1))) {
      results = network.call(state, calls);
    }
    for (int b = 0; b < requests.size(); b++) {
      GapRequest r = requests.get(b);
      int[] chosen = lengths.get(b);
      for (int g = 0; g < r.gaps(); g++) {
        int cap = r.capacity(block, chosen, g);
        if (chosen[g] > cap) {
          out[b] = Double.NEGATIVE_INFINITY;
          break;
        }
        float[] logits = Arrays.copyOf(results.get(b).extendLogits()[slotSteps.get(b)[g]], cap + 1);
        out[b] += filter.apply(logits).logProbability(chosen[g]);
      }
    }
    return out;
  }

  private TokenDistribution allowed(float[] logits, int capacity) {
    return config.filter().apply(Arrays.copyOf(logits, capacity + 1));
  }
}
