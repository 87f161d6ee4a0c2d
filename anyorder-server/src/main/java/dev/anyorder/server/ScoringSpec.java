package dev.anyorder.server;

import dev.anyorder.sampling.OrderSpec;
import dev.anyorder.sampling.TokenFilter;
import java.time.Duration;
import java.util.Objects;

/**
 * A validated {@code /v1/score} request: {@code log p(x_T | x_K)} of a complete sequence under one order
 * of its targets or, with {@code orders > 1}, the order-free estimate over that many random orders.
 *
 * @param tokens the complete sequence
 * @param known which positions are conditioning (the rest are scored)
 * @param order the target order when {@code orders == 1}
 * @param orders number of random orders for the order-free estimate, 1 for a single order
 * @param seed seeds the random orders
 * @param filter temperature / top-k / top-p applied to every conditional (identity to score the model)
 * @param timeout how long the request may wait and run
 * @param clientDeadline whether the client chose {@code timeout} ({@code timeout_ms}) rather than the server
 */
public record ScoringSpec(int[] tokens, boolean[] known, OrderSpec order, int orders, long seed, TokenFilter filter,
    Duration timeout, boolean clientDeadline) {
  public ScoringSpec {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(known, "known");
    Objects.requireNonNull(order, "order");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(timeout, "timeout");
    if (tokens.length == 0 || known.length != tokens.length) {
      throw new IllegalArgumentException("tokens must be non-empty with one known flag each");
    }
    if (orders < 1) {
      throw new IllegalArgumentException("orders must be at least 1, got " + orders);
    }
    tokens = tokens.clone();
    known = known.clone();
  }

  /** What this request costs the server: length × orders (one teacher-forced pass per order). */
  public long cost() {
    return (long) tokens.length * orders;
  }

  @Override
  public int[] tokens() {
    return tokens.clone();
  }

  @Override
  public boolean[] known() {
    return known.clone();
  }
}
