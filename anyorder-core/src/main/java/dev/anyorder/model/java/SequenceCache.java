package dev.anyorder.model.java;

/**
 * One sequence's KV cache for the pure-Java runtime, sized once to the model's maximum length so that
 * decoding never copies it to grow. Only the first {@link #length} positions are valid: a rollback moves
 * the length back and the next extension overwrites the forgotten positions.
 *
 * <p>Per block, keys are stored transposed, {@code [feature][position]}, so the scores of one query against
 * consecutive positions are one SIMD strip per feature; values are {@code [position][feature]}, so the
 * weighted sum over positions is one SIMD strip per position. The arrays are allocated at the first
 * extension, at full size: a batch slot that is never extended costs nothing.
 */
final class SequenceCache {
  private static final float[][] NONE = new float[0][];

  private final int layers;
  private final int dim;
  /** Positions the cache holds at most: the model's maximum length. */
  final int capacity;
  float[][] keys = NONE;
  float[][] values = NONE;
  int length;

  SequenceCache(int layers, int dim, int capacity) {
    this.layers = layers;
    this.dim = dim;
    this.capacity = capacity;
  }

  /** Allocates the full-size arrays, once. */
  void allocate() {
    if (keys != NONE) {
      return;
    }
    float[][] k = new float[layers][];
    float[][] v = new float[layers][];
    for (int l = 0; l < layers; l++) {
      k[l] = new float[dim * capacity];
      v[l] = new float[capacity * dim];
    }
    keys = k;
    values = v;
  }

  /** Stores the key at {@code qkv[keyAt..]} and the value at {@code qkv[valueAt..]} as position {@code position} of block {@code layer}. */
  void write(int layer, int position, float[] qkv, int keyAt, int valueAt) {
    float[] k = keys[layer];
    for (int c = 0; c < dim; c++) {
      k[c * capacity + position] = qkv[keyAt + c];
    }
    System.arraycopy(qkv, valueAt, values[layer], position * dim, dim);
  }
}
