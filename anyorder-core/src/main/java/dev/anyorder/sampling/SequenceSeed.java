package dev.anyorder.sampling;

import java.util.SplittableRandom;

/**
 * The random stream of one sequence, named independently of the batch it is sampled in: stream number
 * {@code stream} of a fresh sampler seeded with {@code seed}. A fresh sampler gives sequence {@code b} of
 * a batch stream {@code b}, so {@code new SequenceSeed(s, i)} reproduces sample {@code i} of
 * {@code Sampler.create(network, config.withSeed(s)).sample(request)}. Servers use it to batch requests
 * with different seeds without one request changing another's result.
 *
 * @param seed the sampler seed
 * @param stream which split of that seed's master stream, &ge; 0
 */
public record SequenceSeed(long seed, int stream) {
  public SequenceSeed {
    if (stream < 0) {
      throw new IllegalArgumentException("stream must be >= 0, got " + stream);
    }
  }

  /** A new generator positioned at the start of this stream. */
  SplittableRandom newRandom() {
    SplittableRandom master = new SplittableRandom(seed);
    SplittableRandom split = master.split();
    for (int i = 0; i < stream; i++) {
      split = master.split();
    }
    return split;
  }
}
