package dev.anyorder.sampling;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A probability vector over the vocabulary, in double precision: what every sampler draws from and what
 * the exactness tests compare against. Built by {@link TokenFilter#apply} from a row of logits, or by
 * {@link #residual} for the rejection step of speculative decoding.
 */
public final class TokenDistribution {
  private final double[] probabilities;

  private TokenDistribution(double[] probabilities) {
    this.probabilities = probabilities;
  }

  /** Wraps a copy of {@code probabilities}, which must be non-negative and sum to 1 (within 1e-6). */
  public static TokenDistribution of(double[] probabilities) {
    if (probabilities.length == 0) {
      throw new IllegalArgumentException("a token distribution needs at least one token");
    }
    double sum = 0;
    for (int v = 0; v < probabilities.length; v++) {
      double p = probabilities[v];
      if (!(p >= 0) || Double.isInfinite(p)) {
        throw new IllegalArgumentException("probability of token " + v + " is " + p + ", not a finite non-negative number");
      }
      sum += p;
    }
    if (Math.abs(sum - 1) > 1e-6) {
      throw new IllegalArgumentException("probabilities sum to " + sum + ", not 1");
    }
    return new TokenDistribution(probabilities.clone());
  }

  /** Normalizes non-negative weights (at least one positive) into a distribution. */
  static TokenDistribution normalized(double[] weights) {
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    if (!(sum > 0) || Double.isInfinite(sum)) {
      throw new IllegalArgumentException("weights sum to " + sum + "; cannot normalize");
    }
    double[] p = new double[weights.length];
    for (int v = 0; v < p.length; v++) {
      p[v] = weights[v] / sum;
    }
    return new TokenDistribution(p);
  }

  /**
   * The residual distribution {@code normalize(max(0, p - q))} of speculative sampling (Leviathan et al.,
   * 2023; Chen et al., 2023): drawing from it after a rejection makes the accepted-or-resampled token
   * distributed exactly as {@code p}. When {@code p} and {@code q} agree (up to rounding) the residual has
   * no mass; a rejection then has probability zero, so returning {@code p} keeps exactness.
   */
  public static TokenDistribution residual(TokenDistribution p, TokenDistribution q) {
    if (p.size() != q.size()) {
      throw new IllegalArgumentException("residual of distributions over " + p.size() + " and " + q.size() + " tokens");
    }
    double[] w = new double[p.size()];
    double sum = 0;
    for (int v = 0; v < w.length; v++) {
      w[v] = Math.max(0, p.probabilities[v] - q.probabilities[v]);
      sum += w[v];
    }
    return sum > 1e-12 ? normalized(w) : p;
  }

  public int size() {
    return probabilities.length;
  }

  public double probability(int token) {
    return probabilities[token];
  }

  public double logProbability(int token) {
    return Math.log(probabilities[token]);
  }

  /** Inverse-CDF draw; never returns a token of probability zero. */
  public int sample(RandomGenerator rng) {
    double u = rng.nextDouble();
    double cumulative = 0;
    int lastPositive = -1;
    for (int v = 0; v < probabilities.length; v++) {
      if (probabilities[v] > 0) {
        lastPositive = v;
        cumulative += probabilities[v];
        if (u < cumulative) {
          return v;
        }
      }
    }
    return lastPositive; // u fell in the rounding gap just below 1
  }

  /** The largest probability: the "max-prob" confidence of adaptive decoding. */
  public double maxProbability() {
    return Arrays.stream(probabilities).max().orElseThrow();
  }

  /** Top-1 minus top-2 probability: the "margin" confidence of Kim et al. (2025). */
  public double margin() {
    double first = 0;
    double second = 0;
    for (double p : probabilities) {
      if (p > first) {
        second = first;
        first = p;
      } else if (p > second) {
        second = p;
      }
    }
    return first - second;
  }

  /** Shannon entropy in nats. */
  public double entropy() {
    double h = 0;
    for (double p : probabilities) {
      if (p > 0) {
        h -= p * Math.log(p);
      }
    }
    return h;
  }

  /** The at most {@code n} tokens of positive probability, most probable first (ties: the lower token). */
  public int[] mostProbable(int n) {
    return java.util.stream.IntStream.range(0, probabilities.length).filter(t -> probabilities[t] > 0).boxed()
        .sorted(java.util.Comparator.<Integer>comparingDouble(t -> -probabilities[t]).thenComparingInt(t -> t))
        .limit(n).mapToInt(Integer::intValue).toArray();
  }

  public double[] toArray() {
    return probabilities.clone();
  }

  @Override
  public String toString() {
    return "TokenDistribution" + Arrays.toString(probabilities);
  }
}
