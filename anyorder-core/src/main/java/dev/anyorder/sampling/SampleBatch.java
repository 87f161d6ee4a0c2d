package dev.anyorder.sampling;

import java.util.List;

/**
 * The result of one {@link Sampler#sample} call.
 *
 * @param samples one per request, in request order
 * @param totalNfe network evaluations of the whole batch (a batched evaluation counts once)
 */
public record SampleBatch(List<Sample> samples, int totalNfe) {
  public SampleBatch {
    samples = List.copyOf(samples);
    if (totalNfe < 0) {
      throw new IllegalArgumentException("totalNfe must be >= 0, got " + totalNfe);
    }
  }
}
