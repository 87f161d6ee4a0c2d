package dev.anyorder.server;

import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SamplerConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * A validated {@code /v1/generate} or {@code /v1/infill} request: what to fill, how to sample it,
 * whether to stream the commits, and how long the client will wait.
 *
 * @param request the sequence with its known tokens, already checked against the model
 * @param sampler sampler settings, including the seed and the number of samples
 * @param stream send Server-Sent Events per committed step
 * @param timeout how long the request may wait and run
 * @param clientDeadline whether the client chose {@code timeout} ({@code timeout_ms}) rather than the server
 */
public record GenerationSpec(SampleRequest request, SamplerConfig sampler, boolean stream, Duration timeout,
    boolean clientDeadline) {
  public GenerationSpec {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(sampler, "sampler");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }

  /** Tokens this request asks the model for: length times samples. */
  public long tokenCount() {
    return (long) request.length() * sampler.numSamples();
  }

  /**
   * The most work this request can push through the network (its samples share each call); the server
   * prices it by this ({@link CostModel}), caps it per request and bounds the queue by its sum.
   */
  public dev.anyorder.sampling.SamplingWork work() {
    return dev.anyorder.sampling.SamplingWork.of(sampler, request.length(), request.knownCount());
  }

  /**
   * What must agree for requests to share one batch: every sampler setting except the seed and the
   * number of samples, and the sequence length.
   */
  public BatchKey batchKey() {
    return new BatchKey(sampler.withSeed(0).withNumSamples(1), request.length());
  }

  /**
   * Requests that may share one batch through the model.
   *
   * @param sampler sampler settings with seed 0 and one sample
   * @param length sequence length
   */
  public record BatchKey(SamplerConfig sampler, int length) {
    public BatchKey {
      Objects.requireNonNull(sampler, "sampler");
      if (length < 1) {
        throw new IllegalArgumentException("length must be at least 1, got " + length);
      }
    }
  }
}
