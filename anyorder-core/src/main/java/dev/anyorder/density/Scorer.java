package dev.anyorder.density;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.Step;
import dev.anyorder.model.TeacherForcing;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.sampling.TokenFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Density of a σ-GPT (Pannatier, Courdier, Fleuret, 2024; docs/algorithms.md#scoring): {@code log p(x_T | x_K)}
 * under an order in one teacher-forced pass, and the order-free estimate over random orders.
 *
 * <p>With a non-identity {@link TokenFilter} the scorer scores the tempered, filtered model the samplers
 * draw from (log 0 = −∞ for tokens the filter removes); that is what the exactness tests enumerate.
 * Every method batches all its sequences into one network call.
 */
public final class Scorer {
  private final Network network;
  private final TokenFilter filter;

  /** Scores the model itself (temperature 1, no truncation). */
  public Scorer(Network network) {
    this(network, TokenFilter.NONE);
  }

  public Scorer(Network network, TokenFilter filter) {
    this.network = Objects.requireNonNull(network, "network");
    this.filter = Objects.requireNonNull(filter, "filter");
  }

  /** {@code log p(x_T | x_K)} with the targets predicted in {@code request.targetOrder()}. */
  public OrderScore score(ScoreRequest request) {
    return scoreAll(List.of(request)).get(0);
  }

  /** Scores every request in one batched network call. */
  public List<OrderScore> scoreAll(List<ScoreRequest> requests) {
    if (requests.isEmpty()) {
      return List.of();
    }
    ModelConfig c = network.config();
    List<SequenceCall> calls = new ArrayList<>(requests.size());
    List<int[]> predicted = new ArrayList<>(requests.size());
    for (ScoreRequest r : requests) {
      int[] tokens = r.tokens();
      boolean[] known = r.known();
      int[] order = r.fullOrder();
      if (!c.startSlot() && !known[order[0]]) {
        throw new IllegalArgumentException("this model has no start slot and needs at least one known token");
      }
      List<Step> steps = TeacherForcing.steps(c, tokens, order);
      int[] targets = TeacherForcing.targets(c, tokens, order);
      int first = c.startSlot() ? 0 : 1;
      int[] positions = Arrays.copyOfRange(order, first, order.length);
      for (int i = 0; i < targets.length; i++) {
        if (known[positions[i]]) {
          targets[i] = -1; // conditioning, not scored
        }
      }
      predicted.add(positions);
      calls.add(filter.isIdentity() ? SequenceCall.score(steps, targets) : SequenceCall.extend(steps, steps.size()));
    }
    List<CallResult> results;
    try (DecodeState state = network.newState(requests.size(), calls.stream().mapToInt(SequenceCall::rows).max().orElse(1))) {
      results = network.call(state, calls);
    }
    List<OrderScore> scores = new ArrayList<>(requests.size());
    for (int b = 0; b < requests.size(); b++) {
      ScoreRequest r = requests.get(b);
      int[] tokens = r.tokens();
      boolean[] known = r.known();
      int[] positions = predicted.get(b);
      double[] perPosition = new double[tokens.length];
      Arrays.fill(perPosition, Double.NaN);
      double total = 0;
      int targets = 0;
      for (int i = 0; i < positions.length; i++) {
        int p = positions[i];
        if (known[p]) {
          continue;
        }
        double lp = filter.isIdentity()
            ? results.get(b).targetLogProbs()[i]
            : filter.apply(results.get(b).extendLogits()[i]).logProbability(tokens[p]);
        perPosition[p] = lp;
        total += lp;
        targets++;
      }
      scores.add(new OrderScore(r.targetOrder(), perPosition, total, targets));
    }
    return scores;
  }

  /**
   * The order-free estimate over {@code orders} uniformly random target orders drawn from {@code seed},
   * scored in one batched call, with its delta-method standard error.
   */
  public OrderFreeScore orderFree(int[] tokens, boolean[] known, int orders, long seed) {
    if (orders < 1) {
      throw new IllegalArgumentException("orders must be at least 1, got " + orders);
    }
    int[] targets = java.util.stream.IntStream.range(0, tokens.length).filter(i -> !known[i]).toArray();
    SplittableRandom rng = new SplittableRandom(seed);
    List<ScoreRequest> requests = new ArrayList<>(orders);
    for (int m = 0; m < orders; m++) {
      requests.add(new ScoreRequest(tokens, known, OrderKind.shuffled(targets, rng)));
    }
    List<OrderScore> perOrder = scoreAll(requests);
    double max = perOrder.stream().mapToDouble(OrderScore::logProb).max().orElseThrow();
    if (max == Double.NEGATIVE_INFINITY) {
      return new OrderFreeScore(max, Double.NaN, perOrder, targets.length);
    }
    // Weights relative to the largest keep exp() in range; the shift cancels in the ratio sd/mean.
    double[] w = perOrder.stream().mapToDouble(s -> Math.exp(s.logProb() - max)).toArray();
    double mean = Arrays.stream(w).average().orElseThrow();
    double se = Double.NaN;
    if (orders > 1) {
      double ss = 0;
      for (double x : w) {
        ss += (x - mean) * (x - mean);
      }
      se = Math.sqrt(ss / (orders - 1)) / (Math.sqrt(orders) * mean);
    }
    return new OrderFreeScore(max + Math.log(mean), se, perOrder, targets.length);
  }
}
