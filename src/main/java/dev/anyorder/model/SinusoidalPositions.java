package dev.anyorder.model;

/**
 * The fixed position table of {@link PositionEncoding#SINUSOIDAL} (Vaswani et al., "Attention Is All You
 * Need", 2017): row {@code pos} holds {@code sin} and {@code cos} of {@code pos·10000^(-2i/width)}
 * interleaved, and {@code sin(pos)} in a last odd column. Engine-neutral, so every backend and the
 * exporter build the same numbers.
 */
public final class SinusoidalPositions {
  private SinusoidalPositions() {}

  /** The {@code rows × width} table, row-major. */
  public static float[] table(int rows, int width) {
    float[] t = new float[rows * width];
    for (int pos = 0; pos < rows; pos++) {
      for (int i = 0; i < width / 2; i++) {
        double frequency = Math.pow(10000.0, -2.0 * i / width);
        t[pos * width + 2 * i] = (float) Math.sin(pos * frequency);
        t[pos * width + 2 * i + 1] = (float) Math.cos(pos * frequency);
      }
      if (width % 2 == 1) {
        t[pos * width + width - 1] = (float) Math.sin(pos);
      }
    }
    return t;
  }
}
