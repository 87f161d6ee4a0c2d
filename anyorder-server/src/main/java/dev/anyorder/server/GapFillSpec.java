package dev.anyorder.server;

import dev.anyorder.model.GapLayout;
import dev.anyorder.sampling.GapRequest;
import dev.anyorder.sampling.SamplerConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * A validated {@code /v1/infill} request whose text has gaps of unknown length ({@code {...}}, {@code {...N}};
 * docs/algorithms.md#gaps-of-unknown-length): the template, the model's gap layout, how to sample, and how long
 * the client will wait. Not streamed: the positions of a gap's content exist only once its length is drawn.
 *
 * @param request the template, already checked against the model
 * @param layout the model's length slots and longest gap
 * @param sampler sampler settings for the content, including the seed and the number of fills
 * @param block the model's content block, the most tokens a fill may have
 * @param timeout how long the request may wait and run
 * @param clientDeadline whether the client chose {@code timeout} ({@code timeout_ms}) rather than the server
 */
public record GapFillSpec(GapRequest request, GapLayout layout, SamplerConfig sampler, int block, Duration timeout,
    boolean clientDeadline) {
  public GapFillSpec {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(sampler, "sampler");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }

  /**
   * The most work the request can make, bounded as a generation of the whole block with nothing known (the
   * lengths' calls are fewer than the content's); {@code SamplingWork.of} counts the fills.
   */
  public dev.anyorder.sampling.SamplingWork work() {
    return dev.anyorder.sampling.SamplingWork.of(sampler, block, 0);
  }
}
