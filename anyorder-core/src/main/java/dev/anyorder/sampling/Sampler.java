package dev.anyorder.sampling;

import dev.anyorder.model.Network;
import java.util.Collections;
import java.util.List;

/**
 * Draws sequences from a σ-GPT (Pannatier, Courdier, Fleuret, 2024) given known tokens anywhere in the
 * sequence. One implementation per algorithm of docs/algorithms.md#samplers; {@link #create} picks it from a
 * {@link SamplerConfig}. A sampler owns a seeded random stream: a fresh sampler with the same config
 * reproduces the same samples; successive calls on one sampler continue the stream.
 */
public interface Sampler {

  SamplerConfig config();

  /**
   * Samples one sequence per request, all in one batch (a batched network call counts as one NFE for
   * the batch, and one NFE for each sequence that took part in it).
   */
  SampleBatch sample(List<SampleRequest> requests, CommitListener listener);

  /**
   * Samples one sequence per request like {@link #sample(List, CommitListener)}, but sequence {@code b}
   * draws from its own stream {@code seeds.get(b)} instead of this sampler's stream, so its result does
   * not depend on the other requests of the batch (up to float rounding of batched evaluations). A
   * listener may abort the whole batch by throwing an unchecked exception, which propagates.
   */
  default SampleBatch sample(List<SampleRequest> requests, List<SequenceSeed> seeds, CommitListener listener) {
    return sample(requests, seeds, listener, CallGate.OPEN);
  }

  /**
   * As {@link #sample(List, List, CommitListener)}, consulting {@code gate} before every network call (see
   * {@link CallGate}): a server stops abandoned work there within one call, however few commits the
   * sampler makes (a burst round commits only after its verification).
   */
  default SampleBatch sample(List<SampleRequest> requests, List<SequenceSeed> seeds, CommitListener listener, CallGate gate) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support per-sequence seeds");
  }

  default SampleBatch sample(List<SampleRequest> requests) {
    return sample(requests, CommitListener.NONE);
  }

  /** {@link SamplerConfig#numSamples()} independent samples of one request, in one batch. */
  default SampleBatch sample(SampleRequest request) {
    return sample(Collections.nCopies(config().numSamples(), request), CommitListener.NONE);
  }

  /** The sampler {@code config.kind()} names, decoding with {@code network}. */
  static Sampler create(Network network, SamplerConfig config) {
    switch (config.kind()) {
      case SEQUENTIAL:
        return new SequentialSampler(network, config);
      case ADAPTIVE:
        return new AdaptiveSampler(network, config);
      case BURST:
        return new BurstSampler(network, config);
      case SPECULATIVE:
        return new SpeculativeSampler(network, config);
      default:
        throw new AssertionError(config.kind());
    }
  }
}
