package dev.anyorder.model.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dot product of {@link Kernels} on the incubating Vector API (JEP 338 onwards): SIMD fused
 * multiply-adds on the widest vectors the CPU has, about 3-4 times the scalar loop on AVX2. This class is
 * only loaded when the JVM was started with {@code --add-modules jdk.incubator.vector} (the {@code
 * anyorder} launcher and the tests do); otherwise {@link Kernels} keeps to plain Java.
 */
final class VectorKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  private VectorKernels() {}

  static float dot(float[] a, int ai, float[] b, int bi, int n) {
    // Two accumulators hide the latency of the fused multiply-add.
    FloatVector acc0 = FloatVector.zero(SPECIES);
    FloatVector acc1 = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i + 2 * LANES <= n; i += 2 * LANES) {
      acc0 = FloatVector.fromArray(SPECIES, a, ai + i).fma(FloatVector.fromArray(SPECIES, b, bi + i), acc0);
      acc1 = FloatVector.fromArray(SPECIES, a, ai + i + LANES).fma(FloatVector.fromArray(SPECIES, b, bi + i + LANES), acc1);
    }
    for (; i + LANES <= n; i += LANES) {
      acc0 = FloatVector.fromArray(SPECIES, a, ai + i).fma(FloatVector.fromArray(SPECIES, b, bi + i), acc0);
    }
    float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += a[ai + i] * b[bi + i];
    }
    return s;
  }

  /** Lanes of a vector on this CPU, for the startup report. */
  static int lanes() {
    return LANES;
  }
}
