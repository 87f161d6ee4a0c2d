package dev.anyorder.model;

/**
 * Numerically stable log-softmax over rows of logits held in plain arrays, in double precision. Shared
 * by every backend and sampler so that the scorer and the samplers compute the same numbers.
 */
public final class LogProbabilities {
  private LogProbabilities() {}

  /** {@code log softmax(logits[offset .. offset+v))[index]}. */
  public static double logSoftmaxAt(float[] logits, int offset, int v, int index) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < v; i++) {
      max = Math.max(max, logits[offset + i]);
    }
    double sum = 0;
    for (int i = 0; i < v; i++) {
      sum += Math.exp(logits[offset + i] - max);
    }
    return logits[offset + index] - max - Math.log(sum);
  }

  /** The whole log-softmax of one row. */
  public static double[] logSoftmax(float[] row) {
    double max = Double.NEGATIVE_INFINITY;
    for (float x : row) {
      max = Math.max(max, x);
    }
    double sum = 0;
    for (float x : row) {
      sum += Math.exp(x - max);
    }
    double log = Math.log(sum) + max;
    double[] out = new double[row.length];
    for (int i = 0; i < row.length; i++) {
      out[i] = row[i] - log;
    }
    return out;
  }
}
