package dev.anyorder.testing;

/**
 * Goodness-of-fit statistics for the sampler exactness tests (docs/algorithms.md#exactness-tests): the regularized
 * incomplete gamma function (series below {@code a+1}, Lentz continued fraction above), the chi-square
 * p-value built on it, and total-variation distance.
 */
public final class Statistics {
  private Statistics() {}

  /** {@code log Γ(x)} for {@code x > 0}, by the Lanczos approximation (g = 7, 9 terms; ~15 digits). */
  public static double logGamma(double x) {
    if (!(x > 0)) {
      throw new IllegalArgumentException("logGamma needs x > 0, got " + x);
    }
    if (x < 0.5) {
      // Reflection keeps the approximation in its accurate range.
      return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
    }
    double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
    double z = x - 1;
    double sum = c[0];
    for (int i = 1; i < c.length; i++) {
      sum += c[i] / (z + i);
    }
    double t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
  }

  /** The regularized lower incomplete gamma function {@code P(a, x)}. */
  public static double gammaP(double a, double x) {
    check(a, x);
    if (x == 0) {
      return 0;
    }
    return x < a + 1 ? series(a, x) : 1 - continuedFraction(a, x);
  }

  /** The regularized upper incomplete gamma function {@code Q(a, x) = 1 - P(a, x)}, accurate in the tail. */
  public static double gammaQ(double a, double x) {
    check(a, x);
    if (x == 0) {
      return 1;
    }
    return x < a + 1 ? 1 - series(a, x) : continuedFraction(a, x);
  }

  /** Upper-tail probability of a chi-square statistic with {@code df} degrees of freedom. */
  public static double chiSquarePValue(double statistic, int df) {
    if (df < 1) {
      throw new IllegalArgumentException("degrees of freedom must be at least 1, got " + df);
    }
    return gammaQ(df / 2.0, statistic / 2.0);
  }

  private static void check(double a, double x) {
    if (!(a > 0) || !(x >= 0)) {
      throw new IllegalArgumentException("incomplete gamma needs a > 0 and x >= 0, got a=" + a + ", x=" + x);
    }
  }

  // P(a,x) = x^a e^-x / Γ(a+1) · Σ_n x^n / ((a+1)…(a+n))
  private static double series(double a, double x) {
    double term = 1 / a;
    double sum = term;
    for (int n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) {
        break;
      }
    }
    return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
  }

  // Q(a,x) by the continued fraction 1/(x+1-a- 1(1-a)/(x+3-a- 2(2-a)/(x+5-a- …))), modified Lentz.
  private static double continuedFraction(double a, double x) {
    double tiny = 1e-300;
    double b = x + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 10_000; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < tiny) {
        d = tiny;
      }
      c = b + an / c;
      if (Math.abs(c) < tiny) {
        c = tiny;
      }
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
  }

  /**
   * A chi-square goodness-of-fit test of observed counts against probabilities. Outcomes of probability
   * zero are left out of the statistic and counted in {@code impossibleHits} (any hit there is a failure);
   * outcomes whose expected count is below 5 are pooled into one bin so the chi-square approximation holds.
   */
  public static Fit fit(double[] probabilities, long[] counts) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    double stat = 0;
    int bins = 0;
    double pooledExpected = 0;
    long pooledObserved = 0;
    long impossible = 0;
    double tv = 0;
    for (int i = 0; i < probabilities.length; i++) {
      tv += Math.abs(probabilities[i] - counts[i] / (double) n);
      if (probabilities[i] == 0) {
        impossible += counts[i];
        continue;
      }
      double e = probabilities[i] * n;
      if (e < 5) {
        pooledExpected += e;
        pooledObserved += counts[i];
        continue;
      }
      stat += (counts[i] - e) * (counts[i] - e) / e;
      bins++;
    }
    if (pooledExpected > 0) {
      stat += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
      bins++;
    }
    int df = Math.max(1, bins - 1);
    return new Fit(stat, df, chiSquarePValue(stat, df), tv / 2, impossible);
  }

  /** Result of {@link #fit}: statistic, degrees of freedom, p-value, total variation, hits on impossible outcomes. */
  public record Fit(double chiSquare, int degreesOfFreedom, double pValue, double totalVariation, long impossibleHits) {
    @Override
    public String toString() {
      return String.format("TV=%.4f chi2=%.1f df=%d p=%.3g impossible=%d", totalVariation, chiSquare, degreesOfFreedom, pValue,
          impossibleHits);
    }
  }
}
