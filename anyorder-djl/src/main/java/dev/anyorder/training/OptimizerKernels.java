package dev.anyorder.training;

import dev.anyorder.model.java.VectorSupport;
import java.nio.ByteBuffer;

/**
 * The two passes of the optimizer step over a range of one tensor's elements, on the tensors' own memory
 * ({@link ParameterSlices}): summing the replicas' gradients with their sum of squares, and the AdamW
 * update. Plain Java here; {@link VectorOptimizerKernels} is the same arithmetic on SIMD lanes, used when
 * the Vector API is available. The two give bit-identical results: the update of an element is the same
 * sequence of float operations on either path, and the sum of squares is defined on sixteen lanes that
 * both paths keep the same way.
 */
final class OptimizerKernels {
  /** The sum of squares runs in this many double accumulators: element {@code i} of a range goes to lane {@code i mod 16}. */
  static final int LANES = 16;

  /** Whether the Vector API path runs: the API is there and the CPU has sixteen-float vectors. */
  static final boolean VECTOR = VectorSupport.AVAILABLE && VectorOptimizerKernels.fits();

  private OptimizerKernels() {}

  /**
   * The per-element constants of one AdamW update of one tensor: the gradient's scale (clipping), the
   * weight's factor (decoupled decay), the bias-corrected step size, the moments' decay rates and
   * {@code 1 - β}, and ε.
   */
  record Coefficients(float gradScale, float keep, float rate, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
      float epsilon) {
    static Coefficients of(float gradScale, float keep, float rate, float beta1, float beta2, float epsilon) {
      return new Coefficients(gradScale, keep, rate, beta1, 1 - beta1, beta2, 1 - beta2, epsilon);
    }
  }

  /**
   * Adds {@code gradients[1..]} into {@code gradients[0]} over elements {@code [from, to)}, in replica
   * order, zeroes the others and returns the sum of squares of the sums (each square rounded to float,
   * accumulated in double on {@link #LANES} lanes, the lanes added in order).
   */
  static double sumGradients(ByteBuffer[] gradients, int from, int to) {
    return sumGradients(gradients, from, to, VECTOR);
  }

  /** {@link #sumGradients(ByteBuffer[], int, int)} on the path chosen ({@code vector} only where {@link #VECTOR}). */
  static double sumGradients(ByteBuffer[] gradients, int from, int to, boolean vector) {
    double[] lanes = new double[LANES];
    int i = from;
    if (vector) {
      i = VectorOptimizerKernels.sumGradients(gradients, from, to, lanes);
    }
    ByteBuffer sum = gradients[0];
    for (; i < to; i++) {
      int at = i * Float.BYTES;
      float g = sum.getFloat(at);
      for (int w = 1; w < gradients.length; w++) {
        g += gradients[w].getFloat(at);
        gradients[w].putFloat(at, 0f);
      }
      sum.putFloat(at, g);
      lanes[(i - from) % LANES] += g * g;
    }
    double total = 0;
    for (double lane : lanes) {
      total += lane;
    }
    return total;
  }

  /**
   * AdamW on elements {@code [from, to)}: {@code g = gradient·scale}, {@code m = β1·m + (1-β1)·g},
   * {@code v = β2·v + (1-β2)·g²}, {@code p = p·keep - rate·m / (√v + ε)}; the new {@code p} goes to every
   * copy (the first is read), the gradient is zeroed.
   */
  static void adamW(Coefficients c, ByteBuffer gradient, ByteBuffer[] parameters, float[] m, float[] v, int from, int to) {
    adamW(c, gradient, parameters, m, v, from, to, VECTOR);
  }

  /** {@link #adamW(Coefficients, ByteBuffer, ByteBuffer[], float[], float[], int, int)} on the path chosen. */
  static void adamW(Coefficients c, ByteBuffer gradient, ByteBuffer[] parameters, float[] m, float[] v, int from, int to, boolean vector) {
    int i = from;
    if (vector) {
      i = VectorOptimizerKernels.adamW(c, gradient, parameters, m, v, from, to);
    }
    ByteBuffer parameter = parameters[0];
    for (; i < to; i++) {
      int at = i * Float.BYTES;
      float g = gradient.getFloat(at) * c.gradScale();
      float mi = c.beta1() * m[i] + c.oneMinusBeta1() * g;
      float vi = c.beta2() * v[i] + c.oneMinusBeta2() * (g * g);
      m[i] = mi;
      v[i] = vi;
      float p = parameter.getFloat(at) * c.keep() - c.rate() * mi / ((float) Math.sqrt(vi) + c.epsilon());
      for (ByteBuffer copy : parameters) {
        copy.putFloat(at, p);
      }
      gradient.putFloat(at, 0f);
    }
  }
}
