package dev.anyorder.model.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The SIMD and plain-Java kernels compute the same products (to float rounding, against a double-precision
 * reference) at every shape, including panels and vectors that are only partly filled; and a row's result
 * does not depend on the rows computed with it or on how the panels were split.
 */
class KernelsTest {
  static final SplittableRandom RNG = new SplittableRandom(4);

  static float[] random(int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (RNG.nextDouble() * 2 - 1);
    }
    return a;
  }

  @Test
  void vectorPathIsActiveUnderTheTestJvm() {
    // Surefire runs with --add-modules jdk.incubator.vector, as the launcher does.
    assertTrue(Kernels.VECTOR, "the tests should exercise the Vector API path");
  }

  @Test
  void matrixProductsMatchTheDefinitionOnBothPaths() {
    int[][] shapes = {{1, 1, 1}, {3, 7, 5}, {5, 16, 63}, {4, 128, 384}, {9, 33, 2 * VectorKernels.PANEL_WIDTH + 3}, {2, 5, 200}};
    for (int[] shape : shapes) {
      int rows = shape[0];
      int in = shape[1];
      int out = shape[2];
      float[] w = random(out * in);
      float[] bias = random(out);
      float[] x = random(rows * in);
      float[] start = random(rows * out);
      for (boolean accumulate : new boolean[] {false, true}) {
        double[] expected = new double[rows * out];
        for (int r = 0; r < rows; r++) {
          for (int o = 0; o < out; o++) {
            double s = bias[o];
            for (int i = 0; i < in; i++) {
              s += (double) x[r * in + i] * w[o * in + i];
            }
            expected[r * out + o] = accumulate ? start[r * out + o] + s : s;
          }
        }
        PackedMatrix scalar = PackedMatrix.pack(w, out, in, bias, Kernels.PANEL_WIDTH, 1);
        PackedMatrix vector = PackedMatrix.pack(w, out, in, bias, VectorKernels.PANEL_WIDTH, VectorKernels.LANES);
        float[] ys = start.clone();
        float[] yv = start.clone();
        Kernels.matmul(x, rows, scalar, ys, accumulate, 0, scalar.panels(), new float[Kernels.PANEL_WIDTH]);
        VectorKernels.matmul(x, rows, vector, yv, accumulate, 0, vector.panels(), new float[4 * VectorKernels.PANEL_WIDTH]);
        for (int k = 0; k < expected.length; k++) {
          String where = rows + "x" + in + "x" + out + " accumulate=" + accumulate + " element " + k;
          assertEquals(expected[k], ys[k], 1e-4 * Math.sqrt(in), "scalar " + where);
          assertEquals(expected[k], yv[k], 1e-4 * Math.sqrt(in), "vector " + where);
        }
      }
    }
  }

  @Test
  void aRowIsTheSameAloneOrInATileAndWhateverThePanelSplit() {
    int rows = 11;
    int in = 70;
    int out = 3 * VectorKernels.PANEL_WIDTH - 5;
    float[] w = random(out * in);
    float[] x = random(rows * in);
    PackedMatrix m = PackedMatrix.pack(w, out, in, null, VectorKernels.PANEL_WIDTH, VectorKernels.LANES);
    float[] all = new float[rows * out];
    VectorKernels.matmul(x, rows, m, all, false, 0, m.panels(), new float[4 * VectorKernels.PANEL_WIDTH]);
    for (int r = 0; r < rows; r++) {
      float[] one = new float[out];
      float[] row = java.util.Arrays.copyOfRange(x, r * in, (r + 1) * in);
      for (int p = 0; p < m.panels(); p++) {
        VectorKernels.matmul(row, 1, m, one, false, p, p + 1, new float[4 * VectorKernels.PANEL_WIDTH]);
      }
      assertArrayEquals(java.util.Arrays.copyOfRange(all, r * out, (r + 1) * out), one, 0f, "row " + r);
    }
  }

  @Test
  void attentionKernelsMatchTheDefinitionOnBothPaths() {
    for (int headDim : new int[] {3, 8, 16, 32, 64, 40}) {
      for (int count : new int[] {0, 1, 5, 16, 70, 129}) {
        int stride = count + 7;
        float[] q = random(headDim);
        float[] keys = random(headDim * stride);
        float[] ss = new float[stride + 1];
        float[] sv = new float[stride + 1];
        Kernels.scores(q, 0, keys, 0, stride, count, headDim, ss);
        VectorKernels.scores(q, 0, keys, 0, stride, count, headDim, sv);
        for (int j = 0; j < count; j++) {
          double s = 0;
          for (int d = 0; d < headDim; d++) {
            s += (double) q[d] * keys[d * stride + j];
          }
          assertEquals(s, ss[j], 1e-5 * headDim, "scalar score " + j);
          assertEquals(s, sv[j], 1e-5 * headDim, "vector score " + j);
        }
        float[] p = random(count + 1);
        int width = headDim + 5;
        float[] values = random(count * width + 1);
        float[] own = random(headDim);
        for (boolean self : new boolean[] {false, true}) {
          float[] os = new float[headDim + 2];
          float[] ov = new float[headDim + 2];
          Kernels.weightedValues(p, count, values, 1, width, headDim, self, own, 0, os, 2);
          VectorKernels.weightedValues(p, count, values, 1, width, headDim, self, own, 0, ov, 2);
          for (int d = 0; d < headDim; d++) {
            double s = self ? (double) p[count] * own[d] : 0;
            for (int j = 0; j < count; j++) {
              s += (double) p[j] * values[1 + j * width + d];
            }
            assertEquals(s, os[2 + d], 1e-5 * (count + 1), "scalar value " + d);
            assertEquals(s, ov[2 + d], 1e-5 * (count + 1), "vector value " + d);
          }
        }
      }
    }
  }

  @Test
  void vectorGeluGivesTheScalarBits() {
    float[] special = {0f, -0f, 1f, -1f, 8.48528f, -8.48528f, 8.485282f, -8.485282f, 9f, -9f, 100f, -100f, Float.NaN, 1e-30f, -3.5f};
    int n = 1000 + special.length;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = i < special.length ? special[i] : (float) ((RNG.nextDouble() * 2 - 1) * (i % 3 == 0 ? 12 : 4));
    }
    float[] scalar = x.clone();
    float[] vector = x.clone();
    Kernels.gelu(scalar, 1, n, 0, n);
    VectorKernels.gelu(vector, 1, n, 3, n - 2); // odd bounds: a scalar head and tail around the vector part
    Kernels.gelu(vector, 1, n, 0, 3);
    Kernels.gelu(vector, 1, n, n - 2, n);
    for (int i = 0; i < n; i++) {
      assertEquals(Float.floatToIntBits(scalar[i]), Float.floatToIntBits(vector[i]), "gelu(" + x[i] + "): " + scalar[i] + " vs " + vector[i]);
      if (Math.abs(x[i]) < 8) { // the reference series overflows far out, where erf is ±1
        double exact = 0.5 * x[i] * (1 + Erf.reference(x[i] / Math.sqrt(2)));
        assertEquals(exact, scalar[i], 1e-7 * Math.max(1, Math.abs(x[i])), "gelu(" + x[i] + ")");
      }
    }
  }

  @Test
  void softmaxIsNormalisedAndScaled() {
    float[] s = {1, 2, 3, -1};
    Kernels.softmax(s, 3, 0.5f);
    double z = Math.exp(0.5) + Math.exp(1) + Math.exp(1.5);
    assertEquals(Math.exp(0.5) / z, s[0], 1e-6);
    assertEquals(Math.exp(1.5) / z, s[2], 1e-6);
    assertEquals(-1, s[3], 0, "entries past n are untouched");
  }
}
