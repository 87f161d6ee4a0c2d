package dev.anyorder.model.java;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix and attention kernels of {@link Kernels} on the incubating Vector API (JEP 338 onwards):
 * fused multiply-adds on the widest vectors the CPU has. This class is only loaded when the JVM was
 * started with {@code --add-modules jdk.incubator.vector} (the {@code anyorder} launcher and the tests
 * do); otherwise the runtime keeps to {@link Kernels}.
 *
 * <p>Every kernel keeps one output element per SIMD lane and adds its terms in order with a fused
 * multiply-add; the few elements that do not fill a vector use {@link Math#fma}, which rounds exactly as a
 * lane does. No kernel reduces across lanes, so an element's value never depends on the tile, the number
 * of rows or the thread that computed it.
 */
final class VectorKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  static final int LANES = SPECIES.length();
  /** Four vectors of output features per panel: a 4×4 tile of 16 accumulators fits the register file. */
  static final int PANEL_WIDTH = 4 * LANES;

  /** bfloat16 weights: a vector of shorts of the float lanes' count, widened to ints of the float shape. */
  private static final VectorSpecies<Short> HALVES = VectorSpecies.of(short.class, VectorShape.forBitSize(LANES * Short.SIZE));
  private static final VectorSpecies<Integer> WIDENED = VectorSpecies.of(int.class, SPECIES.vectorShape());

  /** GELU runs in double: as many doubles per vector as the CPU has, and floats of half that width to convert from. */
  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> HALF_FLOATS = VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));
  private static final int DOUBLE_LANES = DOUBLES.length();

  private VectorKernels() {}

  /**
   * Runs every kernel some thousands of times on tiny inputs, once per JVM, so that the JIT compiles them
   * before the first real call. Until it does, each Vector API operation runs as a heap-allocated object
   * (about a hundred times slower than plain Java), and a short sampling run would spend most of its time
   * there; on tiny inputs that phase costs a fraction of a second at model load instead.
   */
  static void warmUp() {
    WarmUp.DONE.hashCode();
  }

  private static final class WarmUp {
    static final Object DONE = run();

    private static Object run() {
      int in = 4;
      float[] w = new float[(PANEL_WIDTH + LANES) * in];
      PackedMatrix m = PackedMatrix.pack(w, PANEL_WIDTH + LANES, in, new float[PANEL_WIDTH + LANES], PANEL_WIDTH, LANES);
      PackedMatrix halves = PackedMatrix.pack(w, PANEL_WIDTH + LANES, in, new float[PANEL_WIDTH + LANES], PANEL_WIDTH, LANES, true);
      float[] x = new float[5 * in];
      float[] y = new float[5 * m.out];
      float[] strip = new float[4 * PANEL_WIDTH];
      int count = 4 * LANES + LANES + 1;
      float[] keys = new float[2 * count];
      float[] scores = new float[count + 1];
      float[] values = new float[count * (2 * LANES + 1) + 2 * LANES + 1];
      float[] out = new float[2 * LANES + 1];
      float[] act = new float[DOUBLE_LANES + 1];
      for (int i = 0; i < 12_000; i++) {
        matmul(x, 5, (i & 2) == 0 ? m : halves, y, (i & 1) == 0, 0, m.panels(), strip);
        scores(x, 0, keys, 0, count, count, 2, scores);
        weightedValues(scores, count, values, 0, 2 * LANES + 1, 2 * LANES + 1, (i & 1) == 0, values, 0, out, 0);
        gelu(act, 1, act.length, 0, act.length);
      }
      return Boolean.TRUE;
    }
  }

  /**
   * {@link Kernels#gelu} with {@link Erf#erf}'s Chebyshev series on SIMD lanes: the same operations in the
   * same order as the scalar {@link Erf#gelu}, so every element gets exactly the scalar result.
   */
  static void gelu(float[] x, int rows, int width, int from, int to) {
    double[] c = Erf.COEFFICIENTS;
    for (int r = 0; r < rows; r++) {
      int i = r * width + from;
      int end = r * width + to;
      for (; i + DOUBLE_LANES <= end; i += DOUBLE_LANES) {
        DoubleVector v = (DoubleVector) FloatVector.fromArray(HALF_FLOATS, x, i).convertShape(VectorOperators.F2D, DOUBLES, 0);
        DoubleVector z = v.mul(Erf.INV_SQRT2);
        VectorMask<Double> high = z.compare(VectorOperators.GE, Erf.LIMIT);
        VectorMask<Double> low = z.compare(VectorOperators.LE, -Erf.LIMIT);
        DoubleVector zc = z.max(-Erf.LIMIT).min(Erf.LIMIT); // keeps the series finite on lanes that take ±1 anyway
        DoubleVector u = zc.mul(zc).mul(Erf.U_SCALE).sub(1.0);
        DoubleVector u2 = u.add(u);
        DoubleVector b1 = DoubleVector.zero(DOUBLES);
        DoubleVector b2 = b1;
        for (int k = Erf.DEGREE; k >= 1; k--) {
          DoubleVector b0 = u2.fma(b1, DoubleVector.broadcast(DOUBLES, c[k]).sub(b2));
          b2 = b1;
          b1 = b0;
        }
        DoubleVector erf = zc.mul(u.fma(b1, DoubleVector.broadcast(DOUBLES, c[0]).sub(b2)));
        erf = erf.blend(1.0, high).blend(-1.0, low);
        DoubleVector g = v.mul(0.5).mul(erf.add(1.0));
        ((FloatVector) g.convertShape(VectorOperators.D2F, HALF_FLOATS, 0)).intoArray(x, i);
      }
      for (; i < end; i++) {
        x[i] = Erf.gelu(x[i]);
      }
    }
  }

  /**
   * {@link Kernels#matmul} with SIMD tiles: four rows by a four-vector panel strip at a time (each weight
   * vector loaded once serves four rows), then single rows.
   *
   * @param strip scratch of at least {@code 4·PANEL_WIDTH} floats, where a tile's sums wait to be stored
   */
  static void matmul(float[] x, int rows, PackedMatrix m, float[] y, boolean accumulate, int firstPanel, int endPanel, float[] strip) {
    for (int p = firstPanel; p < endPanel; p++) {
      int vectors = m.paddedWidth(p) / LANES;
      int r = 0;
      if (vectors == 4) {
        for (; r + 4 <= rows; r += 4) {
          tile4x4(x, r, m, p, y, accumulate, strip);
        }
        for (; r < rows; r++) {
          tile1x4(x, r, m, p, y, accumulate, strip);
        }
      } else {
        for (; r < rows; r++) {
          tile1xn(x, r, m, p, vectors, y, accumulate, strip);
        }
      }
    }
  }

  private static void tile4x4(float[] x, int r, PackedMatrix m, int p, float[] y, boolean accumulate, float[] strip) {
    int in = m.in;
    float[] w = m.data;
    short[] h = m.halves;
    int padded = m.paddedWidth(p);
    int base = m.offset(p);
    int x0 = r * in;
    int x1 = x0 + in;
    int x2 = x1 + in;
    int x3 = x2 + in;
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = c00;
    FloatVector c02 = c00;
    FloatVector c03 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c12 = c00;
    FloatVector c13 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c22 = c00;
    FloatVector c23 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c32 = c00;
    FloatVector c33 = c00;
    for (int i = 0; i < in; i++) {
      int b = base + i * padded;
      FloatVector w0 = weights(w, h, b);
      FloatVector w1 = weights(w, h, b + LANES);
      FloatVector w2 = weights(w, h, b + 2 * LANES);
      FloatVector w3 = weights(w, h, b + 3 * LANES);
      FloatVector a = FloatVector.broadcast(SPECIES, x[x0 + i]);
      c00 = w0.fma(a, c00);
      c01 = w1.fma(a, c01);
      c02 = w2.fma(a, c02);
      c03 = w3.fma(a, c03);
      a = FloatVector.broadcast(SPECIES, x[x1 + i]);
      c10 = w0.fma(a, c10);
      c11 = w1.fma(a, c11);
      c12 = w2.fma(a, c12);
      c13 = w3.fma(a, c13);
      a = FloatVector.broadcast(SPECIES, x[x2 + i]);
      c20 = w0.fma(a, c20);
      c21 = w1.fma(a, c21);
      c22 = w2.fma(a, c22);
      c23 = w3.fma(a, c23);
      a = FloatVector.broadcast(SPECIES, x[x3 + i]);
      c30 = w0.fma(a, c30);
      c31 = w1.fma(a, c31);
      c32 = w2.fma(a, c32);
      c33 = w3.fma(a, c33);
    }
    c00.intoArray(strip, 0);
    c01.intoArray(strip, LANES);
    c02.intoArray(strip, 2 * LANES);
    c03.intoArray(strip, 3 * LANES);
    c10.intoArray(strip, PANEL_WIDTH);
    c11.intoArray(strip, PANEL_WIDTH + LANES);
    c12.intoArray(strip, PANEL_WIDTH + 2 * LANES);
    c13.intoArray(strip, PANEL_WIDTH + 3 * LANES);
    c20.intoArray(strip, 2 * PANEL_WIDTH);
    c21.intoArray(strip, 2 * PANEL_WIDTH + LANES);
    c22.intoArray(strip, 2 * PANEL_WIDTH + 2 * LANES);
    c23.intoArray(strip, 2 * PANEL_WIDTH + 3 * LANES);
    c30.intoArray(strip, 3 * PANEL_WIDTH);
    c31.intoArray(strip, 3 * PANEL_WIDTH + LANES);
    c32.intoArray(strip, 3 * PANEL_WIDTH + 2 * LANES);
    c33.intoArray(strip, 3 * PANEL_WIDTH + 3 * LANES);
    store(strip, 4, m, p, r, y, accumulate);
  }

  private static void tile1x4(float[] x, int r, PackedMatrix m, int p, float[] y, boolean accumulate, float[] strip) {
    int in = m.in;
    float[] w = m.data;
    short[] h = m.halves;
    int padded = m.paddedWidth(p);
    int base = m.offset(p);
    int x0 = r * in;
    FloatVector c0 = FloatVector.zero(SPECIES);
    FloatVector c1 = c0;
    FloatVector c2 = c0;
    FloatVector c3 = c0;
    for (int i = 0; i < in; i++) {
      int b = base + i * padded;
      FloatVector a = FloatVector.broadcast(SPECIES, x[x0 + i]);
      c0 = weights(w, h, b).fma(a, c0);
      c1 = weights(w, h, b + LANES).fma(a, c1);
      c2 = weights(w, h, b + 2 * LANES).fma(a, c2);
      c3 = weights(w, h, b + 3 * LANES).fma(a, c3);
    }
    c0.intoArray(strip, 0);
    c1.intoArray(strip, LANES);
    c2.intoArray(strip, 2 * LANES);
    c3.intoArray(strip, 3 * LANES);
    store(strip, 1, m, p, r, y, accumulate);
  }

  /** One row of a panel narrower than four vectors (small models, or the last panel), a vector at a time. */
  private static void tile1xn(float[] x, int r, PackedMatrix m, int p, int vectors, float[] y, boolean accumulate, float[] strip) {
    int in = m.in;
    float[] w = m.data;
    short[] h = m.halves;
    int padded = m.paddedWidth(p);
    int x0 = r * in;
    for (int v = 0; v < vectors; v++) {
      int base = m.offset(p) + v * LANES;
      FloatVector c = FloatVector.zero(SPECIES);
      for (int i = 0; i < in; i++) {
        c = weights(w, h, base + i * padded).fma(FloatVector.broadcast(SPECIES, x[x0 + i]), c);
      }
      c.intoArray(strip, v * LANES);
    }
    store(strip, 1, m, p, r, y, accumulate);
  }

  /**
   * A vector of packed weights from the float32 panels, or widened from the bfloat16 ones when
   * {@code h} holds them: the 16 bits become the top half of a float, exactly. The tiles' loops test the
   * same array on every step, and the JIT hoists that test out of the loop.
   */
  private static FloatVector weights(float[] w, short[] h, int index) {
    if (h == null) {
      return FloatVector.fromArray(SPECIES, w, index);
    }
    return ((IntVector) ShortVector.fromArray(HALVES, h, index).convertShape(VectorOperators.S2I, WIDENED, 0))
        .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
  }

  /**
   * Rows {@code r .. r+n-1} of panel {@code p} from {@code strip} (row k at {@code k·PANEL_WIDTH}) into
   * {@code y}. The tiles park their sums in the strip rather than pass vectors to a method: a vector that
   * crosses a call the JIT does not inline is boxed on the heap, once per tile.
   */
  private static void store(float[] strip, int n, PackedMatrix m, int p, int r, float[] y, boolean accumulate) {
    int col = m.start(p);
    int width = m.width(p);
    for (int k = 0; k < n; k++) {
      Kernels.store(strip, k * PANEL_WIDTH, width, m.bias, col, y, (r + k) * m.out + col, accumulate);
    }
  }

  /** {@link Kernels#scores} with the keys of one vector of positions per lane group. */
  static void scores(float[] q, int qi, float[] keys, int ki, int stride, int count, int headDim, float[] scores) {
    int j = 0;
    for (; j + 4 * LANES <= count; j += 4 * LANES) {
      FloatVector s0 = FloatVector.zero(SPECIES);
      FloatVector s1 = s0;
      FloatVector s2 = s0;
      FloatVector s3 = s0;
      for (int d = 0; d < headDim; d++) {
        FloatVector a = FloatVector.broadcast(SPECIES, q[qi + d]);
        int row = ki + d * stride + j;
        s0 = FloatVector.fromArray(SPECIES, keys, row).fma(a, s0);
        s1 = FloatVector.fromArray(SPECIES, keys, row + LANES).fma(a, s1);
        s2 = FloatVector.fromArray(SPECIES, keys, row + 2 * LANES).fma(a, s2);
        s3 = FloatVector.fromArray(SPECIES, keys, row + 3 * LANES).fma(a, s3);
      }
      s0.intoArray(scores, j);
      s1.intoArray(scores, j + LANES);
      s2.intoArray(scores, j + 2 * LANES);
      s3.intoArray(scores, j + 3 * LANES);
    }
    for (; j + LANES <= count; j += LANES) {
      FloatVector s = FloatVector.zero(SPECIES);
      for (int d = 0; d < headDim; d++) {
        s = FloatVector.fromArray(SPECIES, keys, ki + d * stride + j).fma(FloatVector.broadcast(SPECIES, q[qi + d]), s);
      }
      s.intoArray(scores, j);
    }
    for (; j < count; j++) {
      float s = 0;
      for (int d = 0; d < headDim; d++) {
        s = Math.fma(keys[ki + d * stride + j], q[qi + d], s);
      }
      scores[j] = s;
    }
  }

  /** {@link Kernels#dot} with fused multiply-adds, in order. */
  static float dot(float[] a, int ai, float[] b, int bi, int n) {
    float s = 0;
    for (int i = 0; i < n; i++) {
      s = Math.fma(a[ai + i], b[bi + i], s);
    }
    return s;
  }

  /** {@link Kernels#weightedValues} with one vector of the head's features per accumulator. */
  static void weightedValues(float[] p, int count, float[] values, int vi, int stride, int headDim, boolean self, float[] own, int si,
      float[] out, int oi) {
    int d = 0;
    for (; d + 2 * LANES <= headDim; d += 2 * LANES) {
      FloatVector a0 = FloatVector.zero(SPECIES);
      FloatVector a1 = a0;
      for (int j = 0; j < count; j++) {
        FloatVector w = FloatVector.broadcast(SPECIES, p[j]);
        int row = vi + j * stride + d;
        a0 = FloatVector.fromArray(SPECIES, values, row).fma(w, a0);
        a1 = FloatVector.fromArray(SPECIES, values, row + LANES).fma(w, a1);
      }
      if (self) {
        FloatVector w = FloatVector.broadcast(SPECIES, p[count]);
        a0 = FloatVector.fromArray(SPECIES, own, si + d).fma(w, a0);
        a1 = FloatVector.fromArray(SPECIES, own, si + d + LANES).fma(w, a1);
      }
      a0.intoArray(out, oi + d);
      a1.intoArray(out, oi + d + LANES);
    }
    for (; d + LANES <= headDim; d += LANES) {
      FloatVector a = FloatVector.zero(SPECIES);
      for (int j = 0; j < count; j++) {
        a = FloatVector.fromArray(SPECIES, values, vi + j * stride + d).fma(FloatVector.broadcast(SPECIES, p[j]), a);
      }
      if (self) {
        a = FloatVector.fromArray(SPECIES, own, si + d).fma(FloatVector.broadcast(SPECIES, p[count]), a);
      }
      a.intoArray(out, oi + d);
    }
    for (; d < headDim; d++) {
      float a = 0;
      for (int j = 0; j < count; j++) {
        a = Math.fma(values[vi + j * stride + d], p[j], a);
      }
      if (self) {
        a = Math.fma(own[si + d], p[count], a);
      }
      out[oi + d] = a;
    }
  }
}
