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
 * @param temperature divides the logits; must be finite and &gt; 0
 * @param topK tokens kept, 0 for all
 * @param topP nucleus mass in (0, 1]; 1 keeps every token
 */
public record TokenFilter(double temperature, int topK, double topP) {
  /** Temperature 1, no truncation: the model itself. */
  public static final TokenFilter NONE = new TokenFilter(1, 0, 1);

  public TokenFilter {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be > 0 and finite, got " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), got " + topP);
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
