package dev.anyorder.model.java;

/**
 * The few dense kernels a σ-GPT forward pass needs, on plain row-major float arrays. No allocation: every
 * output goes into a buffer the caller owns, so decoding one token allocates nothing here.
 */
final class Kernels {
  private static final float LN_EPS = 1e-5f;

  /**
   * Whether {@link VectorKernels} can be used: the incubating Vector API module is in the boot layer (the
   * JVM ran with {@code --add-modules jdk.incubator.vector}) and {@code -Danyorder.vector=false} did not
   * turn it off. A static final, so the JIT drops the branch not taken.
   */
  static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && !"false".equals(System.getProperty("anyorder.vector"));

  private Kernels() {}

  /**
   * {@code Σ a[ai+i]·b[bi+i]} over {@code n} floats. Four independent accumulators: a single float sum is
   * one long dependency chain that the JIT may not reorder (it would change rounding), so it runs at one
   * add per few cycles; four chains keep the floating-point units busy.
   */
  static float dot(float[] a, int ai, float[] b, int bi, int n) {
    if (VECTOR && n >= 16) {
      return VectorKernels.dot(a, ai, b, bi, n);
    }
    return scalarDot(a, ai, b, bi, n);
  }

  /** The plain-Java dot product, used when the Vector API is absent and for short vectors. */
  static float scalarDot(float[] a, int ai, float[] b, int bi, int n) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += a[ai + i] * b[bi + i];
      s1 += a[ai + i + 1] * b[bi + i + 1];
      s2 += a[ai + i + 2] * b[bi + i + 2];
      s3 += a[ai + i + 3] * b[bi + i + 3];
    }
    for (; i < n; i++) {
      s0 += a[ai + i] * b[bi + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** {@code y[yi+i] += alpha·x[xi+i]}: independent lanes, which the JIT vectorizes by itself. */
  static void axpy(float alpha, float[] x, int xi, float[] y, int yi, int n) {
    for (int i = 0; i < n; i++) {
      y[yi + i] += alpha * x[xi + i];
    }
  }

  /**
   * {@code out[r, o] (+)= Σ_i in[r, i]·w[o, i] + bias[o]} for {@code rows} rows: a PyTorch linear layer with
   * its {@code (out, in)} weight. The loop over output features is outside the loop over rows so each
   * weight row is read from memory once per call and then served from L1 for every row.
   *
   * @param bias null when the model has no bias
   * @param accumulate add into {@code out} (a residual connection) instead of overwriting it
   */
  static void linear(float[] in, int rows, int inDim, float[] w, float[] bias, float[] out, int outDim, boolean accumulate) {
    for (int o = 0; o < outDim; o++) {
      int wo = o * inDim;
      float b = bias == null ? 0f : bias[o];
      for (int r = 0; r < rows; r++) {
        float v = dot(w, wo, in, r * inDim, inDim) + b;
        int at = r * outDim + o;
        out[at] = accumulate ? out[at] + v : v;
      }
    }
  }

  /**
   * LayerNorm of each {@code dim}-wide row (biased variance, eps 1e-5, as PyTorch). Mean and variance are
   * summed in double: they are sums of {@code dim} terms of mixed size, where float loses digits that the
   * 1e-4 agreement between backends would notice at large widths.
   */
  static void layerNorm(float[] x, int rows, int dim, float[] gain, float[] shift, float[] out) {
    for (int r = 0; r < rows; r++) {
      int base = r * dim;
      double sum = 0;
      for (int i = 0; i < dim; i++) {
        sum += x[base + i];
      }
      double mean = sum / dim;
      double sq = 0;
      for (int i = 0; i < dim; i++) {
        double c = x[base + i] - mean;
        sq += c * c;
      }
      float inv = (float) (1.0 / Math.sqrt(sq / dim + LN_EPS));
      float m = (float) mean;
      for (int i = 0; i < dim; i++) {
        float v = (x[base + i] - m) * inv * gain[i];
        out[base + i] = shift == null ? v : v + shift[i];
      }
    }
  }

  /** Exact (erf) GELU in place over the first {@code n} entries. */
  static void gelu(float[] x, int n) {
    for (int i = 0; i < n; i++) {
      x[i] = Erf.gelu(x[i]);
    }
  }
}
