package dev.anyorder.model.java;

/**
 * The dense kernels of a σ-GPT forward pass on plain row-major float arrays, in plain Java: the fallback
 * when the JVM lacks the Vector API ({@link VectorKernels} is the fast path), and the kernels both paths
 * share (LayerNorm, softmax, GELU). No allocation: every output goes into a buffer the caller owns.
 *
 * <p>Every output element is a running sum in a fixed order that depends only on that element's own inputs
 * (the matrix products sum over the inputs in order, attention over the keys in order), never on how many
 * rows a call has or on which thread computes it. So a row gives bit-identical results alone or in a batch,
 * and on one thread or several.
 */
final class Kernels {
  private static final float LN_EPS = 1e-5f;

  /** Whether {@link VectorKernels} can be used ({@link VectorSupport}). */
  static final boolean VECTOR = VectorSupport.AVAILABLE;

  /** Output features per panel of a {@link PackedMatrix} on this path: wide enough for the JIT to vectorize the strip. */
  static final int PANEL_WIDTH = 64;

  private Kernels() {}

  /**
   * {@code y[r, c] (+)= Σ_i x[r, i]·w[c, i] + bias[c]} for all {@code rows} rows and the output features of
   * panels {@code firstPanel .. endPanel-1}: a PyTorch linear layer. Each panel is read once per row from
   * L1/L2 and the row's running sums for the panel's strip stay in {@code strip}.
   *
   * @param x input rows, {@code m.in} wide
   * @param y output rows, {@code m.out} wide
   * @param accumulate add into {@code y} (a residual connection) instead of overwriting it
   * @param strip scratch of at least {@code m.panelWidth} floats
   */
  static void matmul(float[] x, int rows, PackedMatrix m, float[] y, boolean accumulate, int firstPanel, int endPanel, float[] strip) {
    int in = m.in;
    int out = m.out;
    float[] data = m.data;
    for (int p = firstPanel; p < endPanel; p++) {
      int col = m.start(p);
      int width = m.width(p);
      int padded = m.paddedWidth(p);
      int base = m.offset(p);
      for (int r = 0; r < rows; r++) {
        java.util.Arrays.fill(strip, 0, width, 0f);
        int xr = r * in;
        for (int i = 0; i < in; i++) {
          float a = x[xr + i];
          int b = base + i * padded;
          for (int j = 0; j < width; j++) {
            strip[j] += a * data[b + j];
          }
        }
        store(strip, 0, width, m.bias, col, y, r * out + col, accumulate);
      }
    }
  }

  /** {@code y[at+j] (+)= sums[from+j] + bias[col+j]}: the end of a matrix product, shared by both paths. */
  static void store(float[] sums, int from, int n, float[] bias, int col, float[] y, int at, boolean accumulate) {
    for (int j = 0; j < n; j++) {
      float v = sums[from + j];
      if (bias != null) {
        v = v + bias[col + j];
      }
      y[at + j] = accumulate ? y[at + j] + v : v;
    }
  }

  /**
   * Attention scores of one head: {@code scores[j] = Σ_d q[qi+d]·keys[ki + d·stride + j]} for the first
   * {@code count} keys, with the keys stored transposed ({@code [headDim][stride]}) so that consecutive
   * keys are consecutive floats.
   */
  static void scores(float[] q, int qi, float[] keys, int ki, int stride, int count, int headDim, float[] scores) {
    java.util.Arrays.fill(scores, 0, count, 0f);
    for (int d = 0; d < headDim; d++) {
      float a = q[qi + d];
      int row = ki + d * stride;
      for (int j = 0; j < count; j++) {
        scores[j] += a * keys[row + j];
      }
    }
  }

  /** {@code Σ_d a[ai+d]·b[bi+d]} in order: the score of a query row against its own key. */
  static float dot(float[] a, int ai, float[] b, int bi, int n) {
    float s = 0;
    for (int i = 0; i < n; i++) {
      s += a[ai + i] * b[bi + i];
    }
    return s;
  }

  /**
   * {@code out[oi+d] = Σ_j p[j]·values[vi + j·stride + d]} over the first {@code count} cached values, then
   * {@code + p[count]·own[si+d]} when {@code self} (a query's own value, which is not in the cache).
   */
  static void weightedValues(float[] p, int count, float[] values, int vi, int stride, int headDim, boolean self, float[] own, int si,
      float[] out, int oi) {
    java.util.Arrays.fill(out, oi, oi + headDim, 0f);
    for (int j = 0; j < count; j++) {
      float w = p[j];
      int row = vi + j * stride;
      for (int d = 0; d < headDim; d++) {
        out[oi + d] += w * values[row + d];
      }
    }
    if (self) {
      float w = p[count];
      for (int d = 0; d < headDim; d++) {
        out[oi + d] += w * own[si + d];
      }
    }
  }

  /**
   * Replaces the first {@code n} raw scores by their softmax after scaling by {@code scale}. The
   * normaliser is summed in double, in order, so it does not depend on how the work was split.
   */
  static void softmax(float[] scores, int n, float scale) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      float v = scores[j] * scale;
      scores[j] = v;
      max = Math.max(max, v);
    }
    double total = 0;
    for (int j = 0; j < n; j++) {
      float e = (float) Math.exp(scores[j] - max);
      scores[j] = e;
      total += e;
    }
    float norm = (float) (1.0 / total);
    for (int j = 0; j < n; j++) {
      scores[j] *= norm;
    }
  }

  /**
   * LayerNorm of the {@code dim}-wide row at {@code x[xi..]} into {@code out[oi..]} (biased variance,
   * eps 1e-5, as PyTorch). Mean and variance are summed in double: they are sums of {@code dim} terms of
   * mixed size, where float loses digits that the 1e-4 agreement between backends would notice at large
   * widths.
   */
  static void layerNorm(float[] x, int xi, int dim, float[] gain, float[] shift, float[] out, int oi) {
    double sum = 0;
    for (int i = 0; i < dim; i++) {
      sum += x[xi + i];
    }
    double mean = sum / dim;
    double sq = 0;
    for (int i = 0; i < dim; i++) {
      double c = x[xi + i] - mean;
      sq += c * c;
    }
    float inv = (float) (1.0 / Math.sqrt(sq / dim + LN_EPS));
    float m = (float) mean;
    for (int i = 0; i < dim; i++) {
      float v = (x[xi + i] - m) * inv * gain[i];
      out[oi + i] = shift == null ? v : v + shift[i];
    }
  }

  /** Exact (erf) GELU in place over columns {@code from .. to-1} of {@code rows} rows {@code width} wide. */
  static void gelu(float[] x, int rows, int width, int from, int to) {
    for (int r = 0; r < rows; r++) {
      int base = r * width;
      for (int i = base + from; i < base + to; i++) {
        x[i] = Erf.gelu(x[i]);
      }
    }
  }
}
