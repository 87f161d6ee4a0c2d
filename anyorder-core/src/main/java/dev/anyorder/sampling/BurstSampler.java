package dev.anyorder.sampling;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.Network;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.Step;
import dev.anyorder.orders.OrderKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The token-based rejection sampling of σ-GPT (Pannatier, Courdier, Fleuret, "σ-GPTs: A New Approach to
 * Autoregressive Models", 2024; docs/algorithms.md#burst-sampling), kept as a baseline. It is <em>not</em> exact: a
 * rejected token is simply dropped (no residual draw), so the committed tokens are biased toward those the
 * one-pass conditionals and the order-conditionals agree on.
 *
 * <p>Per round and sequence: one evaluation drafts a token {@code d_j ~ p_j} for every remaining position
 * from its one-pass conditional; one evaluation verifies {@code M} random orders of the remaining
 * positions at once, teacher-forcing the drafts along each order, which gives {@code q} (the conditional
 * of each draft given the committed tokens and the drafts before it in that order). Along each order the
 * drafts are accepted while {@code u < q/p}; the first is always accepted since there {@code q = p}. The
 * order with the longest accepted prefix is committed, per sequence. A round costs two evaluations and
 * commits at least one token; when a single position remains its draft is exact and is committed without
 * verification.
 *
 * <p>Each sequence owns one row of the decode state, holding its committed steps once. The draft
 * evaluation feeds the backlog and asks the one-pass conditionals; the verification evaluates the
 * {@code M} orders as {@linkplain SequenceCall#branches branches} on that cached prefix, so it pays only
 * for the {@code M × remaining} new rows and leaves the cache as it was (the committed order's steps are
 * fed with the next backlog).
 */
public final class BurstSampler extends AbstractSampler {

  public BurstSampler(Network network, SamplerConfig config) {
    super(network, config, SamplerKind.BURST);
  }

  @Override
  protected void decode(List<SequenceCursor> cursors, CommitListener listener) {
    int batch = cursors.size();
    int m = config.burstOrders();
    int longest = cursors.stream().mapToInt(SequenceCursor::remainingCount).max().orElse(1);
    try (DecodeState state = network.newState(batch, m * longest)) {
      while (cursors.stream().anyMatch(c -> !c.done())) {
        // Draft: one-pass conditionals for every remaining position.
        List<SequenceCall> calls = new ArrayList<>(batch);
        int[][] remaining = new int[batch][];
        for (SequenceCursor c : cursors) {
          if (c.done()) {
            calls.add(idle());
            continue;
          }
          remaining[c.sequence] = c.remaining();
          List<Step> queries = new ArrayList<>();
          for (int p : remaining[c.sequence]) {
            queries.add(c.query(p));
          }
          calls.add(SequenceCall.extendThenQuery(c.backlog(), queries));
        }
        List<CallResult> drafted = evaluate(state, calls, cursors, 1);
        TokenDistribution[][] p = new TokenDistribution[batch][];
        int[][] drafts = new int[batch][]; // indexed by position
        List<SequenceCall> verify = new ArrayList<>(batch);
        int[][][] orders = new int[batch][][];
        for (SequenceCursor c : cursors) {
          int[] rem = remaining[c.sequence];
          if (rem == null) {
            verify.add(idle());
            continue;
          }
          c.markFed();
          float[][] logits = drafted.get(c.sequence).queryLogits();
          p[c.sequence] = new TokenDistribution[c.length()];
          drafts[c.sequence] = new int[c.length()];
          for (int i = 0; i < rem.length; i++) {
            p[c.sequence][rem[i]] = filter.apply(logits[i]);
            drafts[c.sequence][rem[i]] = p[c.sequence][rem[i]].sample(c.rng);
          }
          if (rem.length == 1) {
            int pos = rem[0];
            int token = drafts[c.sequence][pos];
            commit(c, new int[] {pos}, new int[] {token}, new double[] {p[c.sequence][pos].logProbability(token)}, listener);
            remaining[c.sequence] = null;
            verify.add(idle());
            continue;
          }
          orders[c.sequence] = new int[m][];
          List<List<Step>> chains = new ArrayList<>(m);
          for (int r = 0; r < m; r++) {
            int[] order = OrderKind.shuffled(rem, c.rng);
            orders[c.sequence][r] = order;
            int[] draftsInOrder = Arrays.stream(order).map(pos -> drafts[c.sequence][pos]).toArray();
            chains.add(c.chain(order, draftsInOrder));
          }
          verify.add(SequenceCall.branches(chains));
        }
        List<CallResult> verified = evaluate(state, verify, cursors, 1);
        for (SequenceCursor c : cursors) {
          int[] rem = remaining[c.sequence];
          if (rem == null) {
            continue;
          }
          int bestRow = 0;
          int bestLength = -1;
          double[] bestLogProbs = null;
          for (int r = 0; r < m; r++) {
            int[] order = orders[c.sequence][r];
            float[][] logits = verified.get(c.sequence).branchLogits()[r];
            double[] logProbs = new double[order.length];
            int length = 0;
            for (int i = 0; i < order.length; i++) {
              int pos = order[i];
              int d = drafts[c.sequence][pos];
              TokenDistribution q = filter.apply(logits[i]);
              // q = p for the first position of every order: it is the same conditional.
              if (i > 0 && !(c.rng.nextDouble() * p[c.sequence][pos].probability(d) < q.probability(d))) {
                break;
              }
              logProbs[i] = q.logProbability(d);
              length++;
            }
            if (length > bestLength) {
              bestLength = length;
              bestRow = r;
              bestLogProbs = logProbs;
            }
          }
          int[] positions = Arrays.copyOf(orders[c.sequence][bestRow], bestLength);
          int[] tokens = Arrays.stream(positions).map(pos -> drafts[c.sequence][pos]).toArray();
          commit(c, positions, tokens, Arrays.copyOf(bestLogProbs, bestLength), listener);
        }
      }
    }
  }
}
