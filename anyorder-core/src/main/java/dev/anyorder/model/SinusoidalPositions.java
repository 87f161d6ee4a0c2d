package dev.anyorder.model;

/**
 * The fixed position table of {@link PositionEncoding#SINUSOIDAL} (Vaswani et al., "Attention Is All You
 * Need", 2017): row {@code pos} holds {@code sin} and {@code cos} of {@code pos·10000^(-2i/width)}
 * interleaved, and {@code sin(pos)} in a last odd column, all scaled to the RMS of GPT-2's embedding
 * initialisation (0.02). Unscaled sinusoids (RMS 0.7) drown the freshly initialised token embedding, so
 * the network can hardly read which token a step carries and training stalls (a maze copy task sat at
 * its no-copy loss for 1,500 steps). Engine-neutral, so every backend and the exporter build the same
 * numbers.
 */
public final class SinusoidalPositions {
  /** Scale that gives the table an RMS of 0.02 (a sine's RMS is 1/sqrt 2). */
  public static final double SCALE = 0.02 * Math.sqrt(2);

  private SinusoidalPositions() {}

  /** The {@code rows × width} table, row-major. */
  public static float[] table(int rows, int width) {
    float[] t = new float[rows * width];
    for (int pos = 0; pos < rows; pos++) {
      for (int i = 0; i < width / 2; i++) {
        double frequency = Math.pow(10000.0, -2.0 * i / width);
        t[pos * width + 2 * i] = (float) (SCALE * Math.sin(pos * frequency));
        t[pos * width + 2 * i + 1] = (float) (SCALE * Math.cos(pos * frequency));
      }
      if (width % 2 == 1) {
        t[pos * width + width - 1] = (float) (SCALE * Math.sin(pos));
      }
    }
    return t;
  }
}
