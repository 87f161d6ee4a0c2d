package dev.anyorder.training;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link OptimizerKernels} on the incubating Vector API, lane for lane the same float operations (no
 * fused multiply-adds), so the results equal the plain-Java path bit for bit. Each method does the whole
 * vectors of a range and returns where the plain-Java loop must take over. Loaded only when the Vector
 * API is available.
 */
final class VectorOptimizerKernels {
  /** Sixteen floats: one vector holds one element per lane of {@link OptimizerKernels#LANES}. */
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_512;
  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_512;
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();

  private VectorOptimizerKernels() {}

  /**
   * Runs both kernels some thousands of times on a few vectors, once per JVM, so that the JIT compiles
   * them before training starts: until it does, each vector operation is a heap object, and the first
   * fifty steps of a small model's training spent about a second in the optimizer.
   */
  static void warmUp() {
    WarmUp.DONE.hashCode();
  }

  private static final class WarmUp {
    static final Object DONE = run();

    private static Object run() {
      int n = 4 * FLOATS.length();
      ByteBuffer[] buffers = new ByteBuffer[2];
      for (int w = 0; w < buffers.length; w++) {
        buffers[w] = ByteBuffer.allocateDirect(n * Float.BYTES).order(ORDER);
      }
      float[] m = new float[n];
      float[] v = new float[n];
      double[] lanes = new double[OptimizerKernels.LANES];
      OptimizerKernels.Coefficients c = OptimizerKernels.Coefficients.of(1f, 1f, 1e-3f, 0.9f, 0.95f, 1e-8f);
      for (int i = 0; i < 20_000; i++) {
        sumGradients(buffers, 0, n, lanes);
        adamW(c, buffers[0], new ByteBuffer[] {buffers[1]}, m, v, 0, n);
      }
      return lanes;
    }
  }

  /** Whether the CPU runs sixteen-float vectors natively (AVX-512); elsewhere they would be emulated, slowly. */
  static boolean fits() {
    return FloatVector.SPECIES_PREFERRED.length() >= FLOATS.length() && FLOATS.length() == OptimizerKernels.LANES;
  }

  /** {@link OptimizerKernels#sumGradients} on whole vectors from {@code from}; adds into {@code lanes}, returns the first element left. */
  static int sumGradients(ByteBuffer[] gradients, int from, int to, double[] lanes) {
    int n = FLOATS.length();
    DoubleVector low = DoubleVector.zero(DOUBLES);
    DoubleVector high = DoubleVector.zero(DOUBLES);
    FloatVector zero = FloatVector.zero(FLOATS);
    ByteBuffer sum = gradients[0];
    int i = from;
    for (; i + n <= to; i += n) {
      int at = i * Float.BYTES;
      FloatVector g = FloatVector.fromByteBuffer(FLOATS, sum, at, ORDER);
      for (int w = 1; w < gradients.length; w++) {
        g = g.add(FloatVector.fromByteBuffer(FLOATS, gradients[w], at, ORDER));
        zero.intoByteBuffer(gradients[w], at, ORDER);
      }
      g.intoByteBuffer(sum, at, ORDER);
      FloatVector squares = g.mul(g);
      low = low.add((DoubleVector) squares.convertShape(VectorOperators.F2D, DOUBLES, 0));
      high = high.add((DoubleVector) squares.convertShape(VectorOperators.F2D, DOUBLES, 1));
    }
    int half = DOUBLES.length();
    for (int k = 0; k < half; k++) {
      lanes[k] += low.lane(k);
      lanes[half + k] += high.lane(k);
    }
    return i;
  }

  /** {@link OptimizerKernels#adamW} on whole vectors from {@code from}; returns the first element left. */
  static int adamW(OptimizerKernels.Coefficients c, ByteBuffer gradient, ByteBuffer[] parameters, float[] m, float[] v, int from, int to) {
    int n = FLOATS.length();
    FloatVector zero = FloatVector.zero(FLOATS);
    ByteBuffer parameter = parameters[0];
    int i = from;
    for (; i + n <= to; i += n) {
      int at = i * Float.BYTES;
      FloatVector g = FloatVector.fromByteBuffer(FLOATS, gradient, at, ORDER).mul(c.gradScale());
      FloatVector mi = FloatVector.fromArray(FLOATS, m, i).mul(c.beta1()).add(g.mul(c.oneMinusBeta1()));
      FloatVector vi = FloatVector.fromArray(FLOATS, v, i).mul(c.beta2()).add(g.mul(g).mul(c.oneMinusBeta2()));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      FloatVector p = FloatVector.fromByteBuffer(FLOATS, parameter, at, ORDER).mul(c.keep())
          .sub(mi.mul(c.rate()).div(vi.sqrt().add(c.epsilon())));
      for (ByteBuffer copy : parameters) {
        p.intoByteBuffer(copy, at, ORDER);
      }
      zero.intoByteBuffer(gradient, at, ORDER);
    }
    return i;
  }
}
