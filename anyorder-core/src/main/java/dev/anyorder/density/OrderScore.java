package dev.anyorder.density;

import java.util.Arrays;

/**
 * {@code log p(x_T | x_K)} of one sequence under one order (docs/algorithms.md#exact-score-under-one-order).
 *
 * @param targetOrder the order the targets were predicted in
 * @param perPosition log-probability of each target's token given everything before it in the order;
 *     NaN at known positions
 * @param logProb the sum over targets, in nats
 * @param targets number of target tokens
 */
public record OrderScore(int[] targetOrder, double[] perPosition, double logProb, int targets) {
  public OrderScore {
    targetOrder = targetOrder.clone();
    perPosition = perPosition.clone();
  }

  @Override
  public int[] targetOrder() {
    return targetOrder.clone();
  }

  @Override
  public double[] perPosition() {
    return perPosition.clone();
  }

  /** Negative log-likelihood per target token, in nats (NaN without targets). */
  public double natsPerToken() {
    return targets == 0 ? Double.NaN : -logProb / targets;
  }

  /** Negative log-likelihood per target token, in bits. */
  public double bitsPerToken() {
    return natsPerToken() / Math.log(2);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OrderScore s && Arrays.equals(targetOrder, s.targetOrder) && Arrays.equals(perPosition, s.perPosition)
        && logProb == s.logProb && targets == s.targets;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(targetOrder) * 31 + Double.hashCode(logProb);
  }

  @Override
  public String toString() {
    return "OrderScore[logProb=" + logProb + ", targets=" + targets + ", order=" + Arrays.toString(targetOrder) + "]";
  }
}
