package dev.anyorder.density;

import java.util.List;

/**
 * The order-free estimate {@code log mean_m exp(log p_σm(x_T | x_K))} over {@code M} uniformly random
 * target orders (docs/algorithms.md#order-averaged-estimate). For a perfectly trained any-order model every order gives the same
 * value; the spread across orders measures how far the model is from that.
 *
 * @param logProb the estimate, in nats
 * @param standardError its standard error by the delta method: with {@code w_m = exp(log p_σm)},
 *     {@code SE ≈ sd(w) / (sqrt(M) · mean(w))} (NaN for M = 1)
 * @param perOrder the score under each drawn order
 * @param targets number of target tokens
 */
public record OrderFreeScore(double logProb, double standardError, List<OrderScore> perOrder, int targets) {
  public OrderFreeScore {
    perOrder = List.copyOf(perOrder);
  }

  public double natsPerToken() {
    return targets == 0 ? Double.NaN : -logProb / targets;
  }

  public double bitsPerToken() {
    return natsPerToken() / Math.log(2);
  }
}
