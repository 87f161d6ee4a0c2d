package dev.anyorder.server;

import dev.anyorder.api.ScoreSettings;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.sampling.TokenFilter;
import java.time.Duration;
import java.util.Objects;

/**
 * A validated {@code /v1/score} request: {@code log p(x_T | x_K)} of a complete sequence under one order
 * of its targets or, with {@code orders > 1}, the order-free estimate over that many random orders, drawn
 * by the same {@link ScoreSettings} rule as on the command line and in Spark.
 *
 * @param request the sequence, its known positions and its target order (from {@code settings})
 * @param settings known positions, order, number of orders and seed, as the request gave them
 * @param filter temperature / top-k / top-p applied to every conditional (identity to score the model)
 * @param timeout how long the request may wait and run
 * @param clientDeadline whether the client chose {@code timeout} ({@code timeout_ms}) rather than the server
 */
public record ScoringSpec(ScoreRequest request, ScoreSettings settings, TokenFilter filter, Duration timeout,
    boolean clientDeadline) {
  public ScoringSpec {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * The work this request pushes through the network: one call of a teacher-forced pass per order, all
   * orders batched (see {@link dev.anyorder.density.Scorer#orderFree}).
   */
  public dev.anyorder.sampling.SamplingWork work() {
    return new dev.anyorder.sampling.SamplingWork(1, settings.orders(), (long) request.tokens().length * settings.orders());
  }
}
