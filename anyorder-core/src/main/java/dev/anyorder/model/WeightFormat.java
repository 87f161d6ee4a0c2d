package dev.anyorder.model;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The precision a loaded model keeps its weight matrices in. {@link #BFLOAT16} rounds every matrix (each
 * tensor of two or more dimensions: the linear layers, the token and position tables) to bfloat16, the top
 * half of a float32, to nearest with ties to even; vectors (LayerNorm gains and shifts, biases) stay
 * float32 and all arithmetic stays float32. It is the float32 model with rounded weights, so every backend
 * computes the same model: the pure-Java runtime stores the rounded matrices in 16 bits, which halves the
 * memory a call streams (the cost of decoding one sequence on a model whose weights do not fit in cache),
 * while DJL keeps them as float32 values.
 */
public enum WeightFormat {
  FLOAT32("float32"),
  BFLOAT16("bfloat16");

  private final String label;

  WeightFormat(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The format labelled {@code value} ({@code float32} or {@code bfloat16}, any case). */
  public static WeightFormat parse(String value) {
    for (WeightFormat f : values()) {
      if (f.label.equals(value.trim().toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw new IllegalArgumentException("weight format must be float32 or bfloat16, got '" + value + "'");
  }

  /**
   * The weights as this format keeps them: {@code weights} itself for float32; for bfloat16 a new map
   * whose matrices are rounded copies (the caller's arrays are not touched).
   */
  public Map<String, float[]> apply(ModelConfig config, Map<String, float[]> weights) {
    if (this == FLOAT32) {
      return weights;
    }
    Map<String, long[]> layout = WeightLayout.expected(config);
    Map<String, float[]> rounded = new HashMap<>(weights);
    for (Map.Entry<String, float[]> e : weights.entrySet()) {
      if (isMatrix(layout.get(e.getKey()))) {
        float[] copy = e.getValue().clone();
        roundInPlace(copy);
        rounded.put(e.getKey(), copy);
      }
    }
    return rounded;
  }

  /** Whether a tensor of this layout shape (null: not in the layout) is a matrix, which this format rounds. */
  public static boolean isMatrix(long[] shape) {
    return shape != null && shape.length >= 2;
  }

  /** Rounds {@code values} to this format where they stand (nothing for float32). */
  public void roundInPlace(float[] values) {
    if (this == FLOAT32) {
      return;
    }
    for (int i = 0; i < values.length; i++) {
      values[i] = fromBfloat16(toBfloat16(values[i]));
    }
  }

  /** The bfloat16 bits nearest to {@code value} (ties to even); NaN stays NaN. */
  public static short toBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40); // keep it a (quiet) NaN when the payload sat in the low half
    }
    return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
  }

  /** The float32 value of bfloat16 bits: exact. */
  public static float fromBfloat16(short bits) {
    return Float.intBitsToFloat(bits << 16);
  }

  @Override
  public String toString() {
    return label;
  }
}
