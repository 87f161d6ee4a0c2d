package dev.anyorder.model.java;

import dev.anyorder.model.WeightFormat;

/**
 * A linear layer's weight, rearranged once at load time for the matrix kernels of the pure-Java runtime.
 *
 * <p>PyTorch stores a linear weight as {@code (out, in)}: a row per output feature. The kernels instead walk
 * the inputs {@code i} in order and update a strip of neighbouring output features at once, so each output
 * is a plain running sum over {@code i} in a SIMD lane, with no horizontal reduction whose order could
 * change. The weight is therefore cut into panels of {@link #panelWidth} output features, and each panel is
 * stored input by input, {@code [in][width]}, contiguous, so a kernel streams it front to back. The last
 * panel's width is padded with zeros to a multiple of {@link #padTo} (the SIMD lane count), so the kernels
 * never need a scalar tail on the weight side.
 *
 * <p>A matrix packed from bfloat16-rounded weights may keep them in 16 bits ({@link #halves}, for the
 * Vector API kernels): the same values at half the bytes, widened exactly as they are loaded.
 */
final class PackedMatrix {
  final int in;
  final int out;
  final int panelWidth;
  final int padTo;
  /** The panels, one after another; panel {@code p} starts at {@link #offset}. Null when {@link #halves} holds them. */
  final float[] data;
  /** The panels as bfloat16 bits, laid out as {@link #data} would be; null for float32 storage. */
  final short[] halves;
  /** One bias per output feature, or null when the model has none. */
  final float[] bias;

  private PackedMatrix(int in, int out, int panelWidth, int padTo, float[] data, short[] halves, float[] bias) {
    this.in = in;
    this.out = out;
    this.panelWidth = panelWidth;
    this.padTo = padTo;
    this.data = data;
    this.halves = halves;
    this.bias = bias;
  }

  /**
   * Packs the first {@code out} rows of the row-major {@code (rows >= out, in)} matrix {@code weight}.
   *
   * @param panelWidth output features per panel, a multiple of {@code padTo}
   * @param padTo the last panel's width is rounded up to a multiple of this
   */
  static PackedMatrix pack(float[] weight, int out, int in, float[] bias, int panelWidth, int padTo) {
    return pack(weight, out, in, bias, panelWidth, padTo, false);
  }

  /**
   * As {@link #pack(float[], int, int, float[], int, int)}, keeping the weights in 16 bits when
   * {@code bfloat16}; every weight must then already be a bfloat16 value, so nothing is lost.
   */
  static PackedMatrix pack(float[] weight, int out, int in, float[] bias, int panelWidth, int padTo, boolean bfloat16) {
    if (padTo < 1 || panelWidth < padTo || panelWidth % padTo != 0) {
      throw new IllegalArgumentException("panel width " + panelWidth + " must be a positive multiple of " + padTo);
    }
    if (weight.length < (long) out * in) {
      throw new IllegalArgumentException("weight has " + weight.length + " values, fewer than " + out + "×" + in);
    }
    if (bias != null && bias.length != out) {
      throw new IllegalArgumentException("bias has " + bias.length + " values for " + out + " outputs");
    }
    int panels = (out + panelWidth - 1) / panelWidth;
    int lastWidth = out - (panels - 1) * panelWidth;
    int lastPadded = roundUp(lastWidth, padTo);
    float[] data = new float[((panels - 1) * panelWidth + lastPadded) * in];
    PackedMatrix m = new PackedMatrix(in, out, panelWidth, padTo, data, null, bias);
    for (int p = 0; p < panels; p++) {
      int start = m.start(p);
      int width = m.width(p);
      int padded = m.paddedWidth(p);
      int base = m.offset(p);
      for (int i = 0; i < in; i++) {
        for (int j = 0; j < width; j++) {
          data[base + i * padded + j] = weight[(start + j) * in + i];
        }
      }
    }
    if (!bfloat16) {
      return m;
    }
    short[] halves = new short[data.length];
    for (int k = 0; k < data.length; k++) {
      halves[k] = WeightFormat.toBfloat16(data[k]);
      if (WeightFormat.fromBfloat16(halves[k]) != data[k] && !Float.isNaN(data[k])) {
        throw new IllegalArgumentException("weight " + data[k] + " is not a bfloat16 value; round the weights first (WeightFormat.apply)");
      }
    }
    return new PackedMatrix(in, out, panelWidth, padTo, null, halves, bias);
  }

  int panels() {
    return (out + panelWidth - 1) / panelWidth;
  }

  /** First output feature of panel {@code p}. */
  int start(int p) {
    return p * panelWidth;
  }

  /** Output features panel {@code p} covers. */
  int width(int p) {
    return Math.min(panelWidth, out - p * panelWidth);
  }

  /** Stored width of panel {@code p}: its width rounded up to {@link #padTo}. */
  int paddedWidth(int p) {
    return roundUp(width(p), padTo);
  }

  /** Where panel {@code p} starts in {@link #data}; every panel but the last is exactly {@code panelWidth} wide. */
  int offset(int p) {
    return p * panelWidth * in;
  }

  private static int roundUp(int n, int multiple) {
    return (n + multiple - 1) / multiple * multiple;
  }
}
