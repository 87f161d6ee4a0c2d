package dev.anyorder.sampling;

import dev.anyorder.model.ModelConfig;
import java.util.Arrays;
import java.util.Map;

/**
 * What to generate: a sequence of {@code given.length} tokens where {@code given[i]} is a known token id
 * (the conditioning, a prompt anywhere in the sequence) or {@link #UNKNOWN} for a position to generate.
 * Known tokens are never changed by any sampler.
 *
 * <p>The record checks its own shape; {@link #validate(ModelConfig)} checks it against a model.
 */
public record SampleRequest(int[] given) {
  /** Marks a position to be generated. */
  public static final int UNKNOWN = -1;

  public SampleRequest {
    if (given == null || given.length == 0) {
      throw new IllegalArgumentException("a sample request needs a length of at least 1");
    }
    given = given.clone();
    for (int i = 0; i < given.length; i++) {
      if (given[i] < UNKNOWN) {
        throw new IllegalArgumentException("given[" + i + "] = " + given[i] + ": use a token id or SampleRequest.UNKNOWN (-1)");
      }
    }
  }

  /** Every position unknown. */
  public static SampleRequest unconditional(int length) {
    if (length < 1) {
      throw new IllegalArgumentException("length must be at least 1, got " + length);
    }
    int[] g = new int[length];
    Arrays.fill(g, UNKNOWN);
    return new SampleRequest(g);
  }

  /** A sequence of {@code length} tokens with the given position → token id entries known. */
  public static SampleRequest withKnown(int length, Map<Integer, Integer> known) {
    int[] g = unconditional(length).given();
    for (Map.Entry<Integer, Integer> e : known.entrySet()) {
      int p = e.getKey();
      if (p < 0 || p >= length) {
        throw new IllegalArgumentException("known position " + p + " is outside 0.." + (length - 1));
      }
      if (e.getValue() == null || e.getValue() < 0) {
        throw new IllegalArgumentException("known token at position " + p + " is " + e.getValue() + ", not a token id");
      }
      g[p] = e.getValue();
    }
    return new SampleRequest(g);
  }

  /** Checks the request against a model, naming what does not fit. */
  public SampleRequest validate(ModelConfig config) {
    if (given.length > config.maxLength()) {
      throw new IllegalArgumentException("length " + given.length + " exceeds the model's maximum length " + config.maxLength());
    }
    for (int i = 0; i < given.length; i++) {
      if (given[i] >= config.vocabSize()) {
        throw new IllegalArgumentException("known token id " + given[i] + " at position " + i + " is outside the vocabulary 0.."
            + (config.vocabSize() - 1));
      }
    }
    if (!config.startSlot() && knownCount() == 0) {
      throw new IllegalArgumentException("this model has no start slot and needs at least one known token");
    }
    return this;
  }

  @Override
  public int[] given() {
    return given.clone();
  }

  public int length() {
    return given.length;
  }

  public boolean isKnown(int position) {
    return given[position] != UNKNOWN;
  }

  public int knownCount() {
    return (int) Arrays.stream(given).filter(t -> t != UNKNOWN).count();
  }

  public boolean[] knownMask() {
    boolean[] m = new boolean[given.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = given[i] != UNKNOWN;
    }
    return m;
  }

  /** Known positions in increasing order: the order in which every sampler and the scorer feed them. */
  public int[] knownPositions() {
    return java.util.stream.IntStream.range(0, given.length).filter(this::isKnown).toArray();
  }

  /** Positions to generate, in increasing order. */
  public int[] targetPositions() {
    return java.util.stream.IntStream.range(0, given.length).filter(i -> !isKnown(i)).toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SampleRequest r && Arrays.equals(given, r.given);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(given);
  }

  @Override
  public String toString() {
    return "SampleRequest" + Arrays.toString(given);
  }
}
