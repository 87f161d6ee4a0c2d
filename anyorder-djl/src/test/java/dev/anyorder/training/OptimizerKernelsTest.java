package dev.anyorder.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.anyorder.model.djl.OwnedArrays;
import dev.anyorder.model.java.VectorSupport;
import dev.anyorder.testing.TinyModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OptimizerKernelsTest {
  /** A range that starts off a vector boundary and ends with a partial vector. */
  static final int FROM = 3;
  static final int TO = FROM + 16 * 7 + 5;
  static final int SIZE = TO + 4;

  static ByteBuffer randomBuffer(SplittableRandom rng, int n) {
    ByteBuffer b = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder());
    for (int i = 0; i < n; i++) {
      b.putFloat(i * Float.BYTES, (float) (rng.nextDouble(-1, 1) * Math.pow(10, rng.nextInt(-4, 2))));
    }
    return b;
  }

  static float[] floats(ByteBuffer b) {
    float[] out = new float[b.capacity() / Float.BYTES];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getFloat(i * Float.BYTES);
    }
    return out;
  }

  static ByteBuffer copy(ByteBuffer b) {
    ByteBuffer c = ByteBuffer.allocateDirect(b.capacity()).order(ByteOrder.nativeOrder());
    c.put(b.duplicate().clear());
    return c;
  }

  @Test
  void theVectorPathSumsGradientsBitForBitAsPlainJava() {
    assertTrue(VectorSupport.AVAILABLE, "the tests should exercise the Vector API path");
    for (int replicas = 1; replicas <= 3; replicas++) {
      SplittableRandom rng = new SplittableRandom(replicas);
      ByteBuffer[] plain = new ByteBuffer[replicas];
      ByteBuffer[] vector = new ByteBuffer[replicas];
      for (int w = 0; w < replicas; w++) {
        plain[w] = randomBuffer(rng, SIZE);
        vector[w] = copy(plain[w]);
      }
      float[][] before = new float[replicas][];
      for (int w = 0; w < replicas; w++) {
        before[w] = floats(plain[w]);
      }
      double p = OptimizerKernels.sumGradients(plain, FROM, TO, false);
      double v = OptimizerKernels.sumGradients(vector, FROM, TO, true);
      assertEquals(Double.doubleToLongBits(p), Double.doubleToLongBits(v), "sum of squares, " + replicas + " replicas");
      double reference = 0;
      for (int i = 0; i < SIZE; i++) {
        float sum = before[0][i];
        for (int w = 1; w < replicas; w++) {
          sum += before[w][i];
        }
        boolean inside = i >= FROM && i < TO;
        assertEquals(inside ? sum : before[0][i], floats(plain[0])[i], "summed gradient " + i);
        for (int w = 1; w < replicas; w++) {
          assertEquals(inside ? 0f : before[w][i], floats(plain[w])[i], "replica " + w + " gradient " + i);
        }
        reference += inside ? (double) sum * sum : 0;
      }
      assertEquals(reference, p, 1e-6 * reference);
      for (int w = 0; w < replicas; w++) {
        assertArrayEquals(floats(plain[w]), floats(vector[w]), "replica " + w);
      }
    }
  }

  @Test
  void theVectorPathUpdatesBitForBitAsPlainJava() {
    SplittableRandom rng = new SplittableRandom(5);
    ByteBuffer gradient = randomBuffer(rng, SIZE);
    ByteBuffer[] plain = {randomBuffer(rng, SIZE), randomBuffer(rng, SIZE)};
    ByteBuffer[] vector = {copy(plain[0]), copy(plain[1])};
    ByteBuffer vectorGradient = copy(gradient);
    float[] m = new float[SIZE];
    float[] v = new float[SIZE];
    for (int i = 0; i < SIZE; i++) {
      m[i] = (float) rng.nextDouble(-1e-2, 1e-2);
      v[i] = (float) rng.nextDouble(0, 1e-4);
    }
    float[] mv = m.clone();
    float[] vv = v.clone();
    OptimizerKernels.Coefficients c = OptimizerKernels.Coefficients.of(0.7f, 1 - 1e-4f, 3e-3f, 0.9f, 0.95f, 1e-8f);
    OptimizerKernels.adamW(c, gradient, plain, m, v, FROM, TO, false);
    OptimizerKernels.adamW(c, vectorGradient, vector, mv, vv, FROM, TO, true);
    assertArrayEquals(floats(plain[0]), floats(vector[0]));
    for (int i = FROM; i < TO; i++) {
      assertEquals(floats(plain[0])[i], floats(plain[1])[i], "every copy gets the new weight " + i);
    }
    assertArrayEquals(m, mv);
    assertArrayEquals(v, vv);
    assertArrayEquals(floats(gradient), floats(vectorGradient));
    for (int i = FROM; i < TO; i++) {
      assertEquals(0f, floats(gradient)[i], "gradient zeroed");
    }
  }

  @Test
  void adamWFollowsTheAlgorithmWithDecayOnMatricesOnly() {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("transformer.h.0.mlp.c_fc.weight", new long[] {8, 9});
    shapes.put("transformer.h.0.mlp.c_fc.bias", new long[] {8});
    double lr = 2e-2;
    double wd = 0.1;
    double beta1 = 0.9;
    double beta2 = 0.95;
    double eps = 1e-8;
    AdamW adam = new AdamW(shapes, beta1, beta2, eps, wd);
    SplittableRandom rng = new SplittableRandom(11);
    int t = 0;
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      int n = (int) (e.getValue()[0] * (e.getValue().length > 1 ? e.getValue()[1] : 1));
      ByteBuffer parameter = randomBuffer(rng, n);
      double[] p = new double[n];
      double[] m = new double[n];
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        p[i] = parameter.getFloat(i * Float.BYTES);
      }
      boolean decayed = e.getValue().length > 1;
      for (int step = 1; step <= 3; step++) {
        ByteBuffer gradient = randomBuffer(rng, n);
        double scale = 0.5;
        AdamW.Update update = new AdamW.Update((float) lr, (float) (lr * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step))),
            (float) scale);
        for (int i = 0; i < n; i++) {
          double g = gradient.getFloat(i * Float.BYTES) * scale;
          m[i] = beta1 * m[i] + (1 - beta1) * g;
          v[i] = beta2 * v[i] + (1 - beta2) * g * g;
          double mHat = m[i] / (1 - Math.pow(beta1, step));
          double vHat = v[i] / (1 - Math.pow(beta2, step));
          // the bias corrections folded into the step size move ε by sqrt(1 - β2^t); that is the algorithm's own form
          double epsHat = eps / Math.sqrt(1 - Math.pow(beta2, step));
          p[i] = p[i] * (1 - (decayed ? lr * wd : 0)) - lr * mHat / (Math.sqrt(vHat) + epsHat);
        }
        adam.apply(update, t, 0, n, gradient, new ByteBuffer[] {parameter});
        for (int i = 0; i < n; i++) {
          assertEquals(p[i], parameter.getFloat(i * Float.BYTES), 1e-6 + 1e-5 * Math.abs(p[i]), e.getKey() + "[" + i + "] step " + step);
          assertEquals(0f, gradient.getFloat(i * Float.BYTES));
        }
      }
      t++;
    }
    Map<String, float[]> state = adam.state();
    assertEquals(4, state.size());
    assertEquals(72, state.get("m.transformer.h.0.mlp.c_fc.weight").length);
  }

  @Test
  void aViewReadsAndWritesTheTensorsOwnMemory() {
    try (NDManager manager = TinyModels.manager()) {
      NDArray weights = OwnedArrays.floats(manager, new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
      weights.setRequiresGradient(true);
      try (ai.djl.training.GradientCollector collector = manager.getEngine().newGradientCollector()) {
        collector.backward(weights.mul(weights).sum());
      }
      ByteBuffer view = OwnedArrays.view(weights);
      assertEquals(3f, view.getFloat(2 * Float.BYTES));
      view.putFloat(2 * Float.BYTES, -7f);
      assertArrayEquals(new float[] {1, 2, -7, 4, 5, 6}, weights.toFloatArray());
      NDArray gradient = weights.getGradient();
      ByteBuffer gradientView = OwnedArrays.view(gradient);
      assertEquals(10f, gradientView.getFloat(4 * Float.BYTES));
      gradientView.putFloat(4 * Float.BYTES, 0f);
      assertEquals(0f, weights.getGradient().toFloatArray()[4], "the gradient's view writes the gradient itself");
    }
  }
}
