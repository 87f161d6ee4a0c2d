package dev.anyorder.sampling;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.Network;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import java.util.ArrayList;
import java.util.List;

/**
 * Sequential any-order sampling with the KV cache (σ-GPT, Pannatier, Courdier, Fleuret, 2024; §4.1 of
 * ALGORITHMS.md): one token per network evaluation, targets in the configured order, conditioned on the
 * known tokens. The ground truth every other sampler is compared with.
 *
 * <p>Each evaluation feeds the sequence's backlog (on the first step: the whole known prefill) and the
 * pending input aimed at the next position in the order, as one more cache step whose output is that
 * position's conditional. The order is fixed, so the step that predicts a position is also the cache
 * entry it must become: each token costs one network row, not a query now and the same row again later.
 * A sequence of {@code T} targets costs exactly {@code T} evaluations.
 */
public final class SequentialSampler extends AbstractSampler {

  public SequentialSampler(Network network, SamplerConfig config) {
    super(network, config, SamplerKind.SEQUENTIAL);
  }

  @Override
  protected void decode(List<SequenceCursor> cursors, CommitListener listener) {
    try (DecodeState state = network.newState(cursors.size(), 1)) {
      while (cursors.stream().anyMatch(c -> !c.done())) {
        List<SequenceCall> calls = new ArrayList<>(cursors.size());
        int[] next = new int[cursors.size()];
        for (SequenceCursor c : cursors) {
          if (c.done()) {
            calls.add(idle());
            continue;
          }
          next[c.sequence] = c.remaining()[0];
          calls.add(SequenceCall.extend(c.backlogThrough(next[c.sequence]), 1));
        }
        List<CallResult> results = evaluate(state, calls, cursors, 1);
        for (SequenceCursor c : cursors) {
          if (calls.get(c.sequence).isEmpty()) {
            continue;
          }
          c.markPendingFed();
          TokenDistribution p = filter.apply(results.get(c.sequence).extendLogits()[0]);
          int token = p.sample(c.rng);
          commit(c, new int[] {next[c.sequence]}, new int[] {token}, new double[] {p.logProbability(token)}, listener);
        }
      }
    }
  }
}
