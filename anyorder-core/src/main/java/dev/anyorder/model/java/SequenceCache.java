package dev.anyorder.model.java;

import java.util.Arrays;

/**
 * One sequence's KV cache for the pure-Java runtime, plus the scratch buffers its forward passes reuse.
 * Per block, keys and values are row-major {@code [position][head·headDim]}, in the order the steps were
 * fed; only the first {@link #length} rows are valid, so a rollback is a truncation and the next extension
 * simply overwrites the forgotten rows.
 */
final class SequenceCache {
  private final int layers;
  private final int dim;
  final float[][] keys;
  final float[][] values;
  int length;
  private int capacity;

  // Scratch, grown on demand and kept: a decode step of one token allocates nothing but its logits.
  float[] x = new float[0];
  float[] normed = new float[0];
  float[] qkv = new float[0];
  float[] attended = new float[0];
  float[] hidden = new float[0];
  float[] scores = new float[0];

  SequenceCache(int layers, int dim) {
    this.layers = layers;
    this.dim = dim;
    this.keys = new float[layers][0];
    this.values = new float[layers][0];
  }

  /** Room for {@code positions} cached steps, doubling so appends cost amortised O(1). */
  void reserve(int positions) {
    if (positions <= capacity) {
      return;
    }
    int grown = Math.max(positions, Math.max(16, 2 * capacity));
    for (int l = 0; l < layers; l++) {
      keys[l] = Arrays.copyOf(keys[l], grown * dim);
      values[l] = Arrays.copyOf(values[l], grown * dim);
    }
    capacity = grown;
  }

  /** Scratch for a pass of {@code rows} rows over at most {@code keyCount} keys. */
  void scratch(int rows, int hiddenDim, int keyCount) {
    if (x.length < rows * dim) {
      x = new float[rows * dim];
      normed = new float[rows * dim];
      attended = new float[rows * dim];
      qkv = new float[rows * 3 * dim];
      hidden = new float[rows * hiddenDim];
    }
    if (scores.length < keyCount) {
      scores = new float[Math.max(keyCount, 2 * scores.length)];
    }
  }
}
