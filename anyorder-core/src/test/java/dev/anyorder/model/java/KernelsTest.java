package dev.anyorder.model.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The SIMD and scalar dot products agree, at every length and offset, so either path gives the same model. */
class KernelsTest {
  @Test
  void vectorPathIsActiveUnderTheTestJvm() {
    // Surefire runs with --add-modules jdk.incubator.vector, as the launcher does.
    assertTrue(Kernels.VECTOR, "the tests should exercise the Vector API path");
  }

  @Test
  void vectorAndScalarDotsAgree() {
    SplittableRandom rng = new SplittableRandom(4);
    float[] a = new float[600];
    float[] b = new float[600];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (rng.nextDouble() * 2 - 1);
      b[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    for (int n = 0; n < 300; n += 7) {
      int ai = rng.nextInt(100);
      int bi = rng.nextInt(100);
      double exact = 0;
      for (int i = 0; i < n; i++) {
        exact += (double) a[ai + i] * b[bi + i];
      }
      assertEquals(exact, Kernels.scalarDot(a, ai, b, bi, n), 1e-4, "scalar n=" + n);
      assertEquals(exact, VectorKernels.dot(a, ai, b, bi, n), 1e-4, "vector n=" + n);
      assertEquals(exact, Kernels.dot(a, ai, b, bi, n), 1e-4, "dispatch n=" + n);
    }
  }
}
