package dev.anyorder.sampling;

import java.util.Arrays;

/**
 * One generated sequence and how it was made.
 *
 * @param tokens the complete sequence, known tokens included
 * @param commitOrder the target positions in the order they were committed
 * @param logProbs per position, the log-probability of its token under the (filtered) conditional the
 *     sampler committed it from: for sequential and speculative decoding the conditional given every token
 *     committed before it in {@code commitOrder}, so their sum is the sequence's log-probability under that
 *     order; NaN at known positions
 * @param nfe network evaluations this sequence took part in
 */
public record Sample(int[] tokens, int[] commitOrder, double[] logProbs, int nfe) {
  public Sample {
    tokens = tokens.clone();
    commitOrder = commitOrder.clone();
    logProbs = logProbs.clone();
    if (logProbs.length != tokens.length) {
      throw new IllegalArgumentException("logProbs has " + logProbs.length + " entries for " + tokens.length + " tokens");
    }
    if (nfe < 0) {
      throw new IllegalArgumentException("nfe must be >= 0, got " + nfe);
    }
  }

  @Override
  public int[] tokens() {
    return tokens.clone();
  }

  @Override
  public int[] commitOrder() {
    return commitOrder.clone();
  }

  @Override
  public double[] logProbs() {
    return logProbs.clone();
  }

  /** Number of generated (target) tokens. */
  public int generated() {
    return commitOrder.length;
  }

  /** Sum of the per-position log-probabilities of the generated tokens. */
  public double logProb() {
    double s = 0;
    for (int p : commitOrder) {
      s += logProbs[p];
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sample s && Arrays.equals(tokens, s.tokens) && Arrays.equals(commitOrder, s.commitOrder)
        && Arrays.equals(logProbs, s.logProbs) && nfe == s.nfe;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tokens) * 31 + Arrays.hashCode(commitOrder);
  }

  @Override
  public String toString() {
    return "Sample[tokens=" + Arrays.toString(tokens) + ", commitOrder=" + Arrays.toString(commitOrder) + ", nfe=" + nfe + "]";
  }
}
