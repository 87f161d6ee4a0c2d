package dev.anyorder.sampling;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Temperature, top-k and top-p (nucleus, Holtzman et al., 2020) applied to one row of logits. The one
 * transform every sampler and the scorer use, so "exact" always means exact for the tempered, filtered
 * model: its conditionals are {@code apply(logits)} of the network's.
 *
 * <p>Order of operations: softmax of {@code logits / temperature}; keep the {@code topK} most probable
 * tokens (ties broken by lower id); renormalize; keep the shortest most-probable prefix whose mass reaches
 * {@code topP} (at least one token); renormalize.
 *
 * @param temperature divides the logits; finite and at least {@link #MIN_TEMPERATURE}
 * @param topK tokens kept, 0 for all
 * @param topP nucleus mass in (0, 1]; 1 keeps every token
 */
public record TokenFilter(double temperature, int topK, double topP) {
  /** Temperature 1, no truncation: the model itself. */
  public static final TokenFilter NONE = new TokenFilter(1, 0, 1);

  /**
   * Lowest temperature accepted. Below it, {@code logit / temperature} overflows to infinity (a subnormal
   * temperature such as 4.9e-324 turns every logit into infinity and the distribution into NaN); at it
   * sampling is already greedy for any practical purpose.
   */
  public static final double MIN_TEMPERATURE = 1e-6;

  public TokenFilter {
    if (!(temperature >= MIN_TEMPERATURE) || Double.isInfinite(temperature)) {
      throw new InvalidSettingException("temperature", "temperature must be finite and at least " + MIN_TEMPERATURE + ", got " + temperature);
    }
    if (topK < 0) {
      throw new InvalidSettingException("topK", "topK must be >= 0 (0 = off), got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new InvalidSettingException("topP", "topP must be in (0, 1] (1 = off), got " + topP);
    }
  }

  /** True when {@link #apply} is plain softmax. */
  public boolean isIdentity() {
    return temperature == 1 && topK == 0 && topP == 1;
  }

  /** The filtered distribution of one row of raw logits. */
  public TokenDistribution apply(float[] logits) {
    int v = logits.length;
    double max = Double.NEGATIVE_INFINITY;
    for (float x : logits) {
      max = Math.max(max, x / temperature);
    }
    double[] p = new double[v];
    double sum = 0;
    for (int i = 0; i < v; i++) {
      p[i] = Math.exp(logits[i] / temperature - max);
      sum += p[i];
    }
    for (int i = 0; i < v; i++) {
      p[i] /= sum;
    }
    boolean truncateK = topK > 0 && topK < v;
    if (!truncateK && topP == 1) {
      return TokenDistribution.normalized(p);
    }
    double[] probs = p;
    Integer[] byProbability = IntStream.range(0, v).boxed().toArray(Integer[]::new);
    Arrays.sort(byProbability, Comparator.<Integer>comparingDouble(i -> -probs[i]).thenComparingInt(i -> i));
    int keep = truncateK ? topK : v;
    if (topP < 1) {
      double kept = 0;
      for (int r = 0; r < keep; r++) {
        kept += p[byProbability[r]];
      }
      double cumulative = 0;
      for (int r = 0; r < keep; r++) {
        cumulative += p[byProbability[r]] / kept;
        if (cumulative >= topP - 1e-12) {
          keep = r + 1;
          break;
        }
      }
    }
    double[] w = new double[v];
    for (int r = 0; r < keep; r++) {
      w[byProbability[r]] = p[byProbability[r]];
    }
    return TokenDistribution.normalized(w);
  }
}
