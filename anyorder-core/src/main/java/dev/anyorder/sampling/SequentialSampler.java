package dev.anyorder.sampling;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.Network;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import java.util.ArrayList;
import java.util.List;

/**
 * Sequential any-order sampling with the KV cache (σ-GPT, Pannatier, Courdier, Fleuret, 2024;
 * docs/algorithms.md#sequential-sampling): one token per network evaluation, targets in the configured order, conditioned on the
 * known tokens. The ground truth every other sampler is compared with.
 *
 * <p>Each evaluation feeds the sequence's backlog (on the first step: the whole known prefill) and asks
 * for the next position in the order. The order is fixed, so that query's step is also the cache entry the
 * drawn token's predecessor must become, and it stays in the cache: each token costs one network row, not
 * a query now and the same row again later. A sequence of {@code T} targets costs exactly {@code T}
 * evaluations.
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
          next[c.sequence] = c.nextRemaining();
          calls.add(c.backlogThenQueriesCommittingFirst(next[c.sequence]));
        }
        List<CallResult> results = evaluate(state, calls, cursors, 1);
        for (SequenceCursor c : cursors) {
          if (calls.get(c.sequence).isEmpty()) {
            continue;
          }
          c.markPendingFed();
          TokenDistribution p = filter.apply(results.get(c.sequence).queryLogits()[0]);
          int token = p.sample(c.rng);
          commit(c, new int[] {next[c.sequence]}, new int[] {token}, new double[] {p.logProbability(token)}, listener);
        }
      }
    }
  }
}
