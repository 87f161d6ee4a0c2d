package dev.anyorder.sampling;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.Network;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.Step;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Adaptive-order decoding after Kim et al., "Train for the Worst, Plan for the Best: Understanding Token
 * Ordering in Masked Diffusions" (2025), on a σ-GPT (docs/algorithms.md#adaptive-decoding). Each step asks one-pass
 * conditionals for every remaining position in one evaluation, ranks the positions by a
 * {@link PositionRule} (optionally perturbed by Gumbel noise, which turns the arg-max into a softmax-like
 * random choice) and commits the best {@code k}, each token drawn from its own conditional.
 *
 * <p>A decoding strategy, not an exact sampler of the joint: the order depends on the tokens, and with
 * {@code k > 1} the tokens of one step are drawn independently. The positions committed in one step enter
 * the cache in the order they were ranked (best first), merged into the next step's evaluation, so a
 * sequence of {@code T} targets costs {@code ceil(T / k)} evaluations. {@link Sample#logProbs()} holds the
 * log-probability under the conditional each token was drawn from.
 */
public final class AdaptiveSampler extends AbstractSampler {

  public AdaptiveSampler(Network network, SamplerConfig config) {
    super(network, config, SamplerKind.ADAPTIVE);
  }

  @Override
  protected void decode(List<SequenceCursor> cursors, CommitListener listener) {
    int batch = cursors.size();
    int longest = cursors.stream().mapToInt(SequenceCursor::remainingCount).max().orElse(1);
    try (DecodeState state = network.newState(batch, longest)) {
      while (cursors.stream().anyMatch(c -> !c.done())) {
        List<SequenceCall> calls = new ArrayList<>(batch);
        int[][] asked = new int[batch][];
        for (SequenceCursor c : cursors) {
          if (c.done()) {
            calls.add(idle());
            continue;
          }
          asked[c.sequence] = c.remaining();
          List<Step> queries = new ArrayList<>();
          for (int p : asked[c.sequence]) {
            queries.add(c.query(p));
          }
          calls.add(SequenceCall.extendThenQuery(c.backlog(), queries));
        }
        List<CallResult> results = evaluate(state, calls, cursors, 1);
        for (SequenceCursor c : cursors) {
          int[] positions = asked[c.sequence];
          if (positions == null) {
            continue;
          }
          c.markFed();
          float[][] logits = results.get(c.sequence).queryLogits();
          TokenDistribution[] p = new TokenDistribution[positions.length];
          double[] score = new double[positions.length];
          for (int i = 0; i < positions.length; i++) {
            p[i] = filter.apply(logits[i]);
            score[i] = config.rule().score(p[i]) + config.gumbelScale() * gumbel(c);
          }
          int take = Math.min(config.k(), positions.length);
          int[] best = IntStream.range(0, positions.length).boxed()
              .sorted(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> positions[i]))
              .limit(take).mapToInt(Integer::intValue).toArray();
          int[] chosen = new int[take];
          int[] tokens = new int[take];
          double[] logProbs = new double[take];
          for (int j = 0; j < take; j++) {
            chosen[j] = positions[best[j]];
            tokens[j] = p[best[j]].sample(c.rng);
            logProbs[j] = p[best[j]].logProbability(tokens[j]);
          }
          commit(c, chosen, tokens, logProbs, listener);
        }
      }
    }
  }

  /** A standard Gumbel draw, {@code -log(-log u)}; drawn even at scale 0 so the stream does not depend on it. */
  private static double gumbel(SequenceCursor c) {
    double u = c.rng.nextDouble();
    while (u == 0) {
      u = c.rng.nextDouble();
    }
    return -Math.log(-Math.log(u));
  }

  @Override
  public String toString() {
    return "AdaptiveSampler[" + config.rule() + ", k=" + config.k() + ", gumbel=" + config.gumbelScale() + "]";
  }
}
