package dev.anyorder.model.java;

/**
 * The error function for the exact GELU of the pure-Java σ-GPT runtime (Pannatier, Courdier, Fleuret,
 * 2024, use GPT-2's {@code 0.5·x·(1 + erf(x/√2))}). {@link Math} has no erf, and the tanh approximation
 * of GELU differs from PyTorch's default by up to ~1e-3, far more than the 1e-4 the backends must agree to.
 *
 * <p>On {@code (-6, 6)}, {@code erf(x) = x·f(x²)} with {@code f} one degree-{@value #DEGREE} Chebyshev
 * series in {@code u = 2x²/36 - 1}, evaluated by Clenshaw's recurrence with fused multiply-adds. One series
 * for the whole range, with no table lookup and no branch, so {@link VectorKernels} evaluates it on SIMD
 * lanes with exactly the operations of {@link #erf} and both give the same bits. The coefficients are
 * fitted once, when the class loads, against {@link #reference}, a slowly converging but exact series, so no
 * table of magic numbers has to be trusted; the fit's error is below 1e-13, far inside the 1e-7 the runtime
 * needs. Beyond 6, {@code 1 - erf(x) < 3e-17}.
 */
public final class Erf {
  static final int DEGREE = 36;
  static final double LIMIT = 6.0;
  /** {@code u = x²·U_SCALE - 1} maps {@code [0, LIMIT²]} onto [-1, 1], where the Chebyshev polynomials live. */
  static final double U_SCALE = 2 / (LIMIT * LIMIT);
  static final double INV_SQRT2 = 0.7071067811865476;
  /** {@code COEFFICIENTS[k]}: Chebyshev coefficient k of {@code f}, the k = 0 term already halved. */
  static final double[] COEFFICIENTS = fit();

  private Erf() {}

  /** {@code erf(x)}, absolute error below 1e-13 (checked by the tests against published values). */
  public static double erf(double x) {
    if (x >= LIMIT) {
      return 1.0;
    }
    if (x <= -LIMIT) {
      return -1.0;
    }
    double u = x * x * U_SCALE - 1;
    double u2 = u + u;
    double b1 = 0;
    double b2 = 0;
    for (int k = DEGREE; k >= 1; k--) {
      double b0 = Math.fma(u2, b1, COEFFICIENTS[k] - b2);
      b2 = b1;
      b1 = b0;
    }
    return x * Math.fma(u, b1, COEFFICIENTS[0] - b2);
  }

  /** The exact GELU of PyTorch's {@code nn.GELU()}: {@code x·Φ(x)}. */
  public static float gelu(float x) {
    return (float) (0.5 * x * (1.0 + erf(x * INV_SQRT2)));
  }

  /**
   * {@code erf(x)} from the everywhere-convergent series
   * {@code 2/√π · e^{-x²} · Σ_n 2^n x^{2n+1} / (1·3·…·(2n+1))}; its terms are all positive, so there is
   * no cancellation, only many terms for large x. Used to fit {@link #erf}, and exposed for the tests.
   */
  static double reference(double x) {
    double ax = Math.abs(x);
    double term = ax;
    double sum = term;
    for (int n = 0; n < 10_000; n++) {
      term *= 2 * ax * ax / (2 * n + 3);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return Math.copySign(2 / Math.sqrt(Math.PI) * Math.exp(-ax * ax) * sum, x);
  }

  /** Chebyshev interpolation of {@code f(u) = erf(x)/x} at the Chebyshev nodes of [-1, 1]. */
  private static double[] fit() {
    int n = DEGREE + 1;
    double[] f = new double[n];
    for (int j = 0; j < n; j++) {
      double u = Math.cos(Math.PI * (j + 0.5) / n);
      double x = Math.sqrt((u + 1) / U_SCALE); // never 0: no node sits at u = -1
      f[j] = reference(x) / x;
    }
    double[] c = new double[n];
    for (int k = 0; k < n; k++) {
      double s = 0;
      for (int j = 0; j < n; j++) {
        s += f[j] * Math.cos(Math.PI * k * (j + 0.5) / n);
      }
      c[k] = 2.0 * s / n;
    }
    c[0] /= 2; // the k = 0 term enters the series with weight 1/2
    return c;
  }
}
