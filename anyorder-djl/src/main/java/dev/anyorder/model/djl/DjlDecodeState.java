package dev.anyorder.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;

/**
 * KV cache of a batch on DJL, preallocated and written in place. Per block, keys and values are
 * {@code (B, heads, capacity, headDim)}; sequence {@code b} owns slots {@code 0..length(b)-1} of its row, in
 * the order its steps were fed. A call writes the keys and values of all its new rows (extension steps,
 * queries, branch steps) behind each sequence's valid slots and attends to the first {@code longest + rows}
 * slots only; only the extension steps then count as valid, so queries and branches leave no trace and a
 * rollback is a change of length. Nothing is copied per call: the cache grows (by half) only when a call
 * needs more slots than it has.
 *
 * <p>The state also holds {@code 0..capacity-1} as an int64 tensor, the one index every mask of a call is
 * computed from (see {@link DjlNetwork}), so masks are built on the engine from a few numbers per row
 * instead of from Java arrays of {@code rows × slots} entries.
 */
public final class DjlDecodeState implements DecodeState {
  private final NDManager manager;
  private final int batch;
  private final int layers;
  private final int heads;
  private final int headDim;
  private final int[] lengths;
  private int capacity;
  private NDArray[] keys;
  private NDArray[] values;
  // Views (B·heads·capacity, headDim) of the same storage: the targets of the in-place row writes.
  private NDArray[] flatKeys;
  private NDArray[] flatValues;
  private NDArray slotIndex;

  DjlDecodeState(NDManager manager, int batch, ModelConfig config) {
    this.manager = manager;
    this.batch = batch;
    this.layers = config.layers();
    this.heads = config.heads();
    this.headDim = config.headDim();
    this.lengths = new int[batch];
  }

  @Override
  public int batch() {
    return batch;
  }

  @Override
  public int length(int b) {
    return lengths[b];
  }

  /** Slots allocated per sequence (0 before the first call). */
  public int capacity() {
    return capacity;
  }

  /** The longest valid length in the batch. */
  int longest() {
    int longest = 0;
    for (int n : lengths) {
      longest = Math.max(longest, n);
    }
    return longest;
  }

  @Override
  public void rollback(int b, int steps) {
    if (steps < 0 || steps > lengths[b]) {
      throw new IllegalArgumentException("cannot roll back " + steps + " steps of a sequence holding " + lengths[b]);
    }
    lengths[b] -= steps;
  }

  /** Records that sequence {@code b}'s first {@code added} new rows of the last call are now cached. */
  void advance(int b, int added) {
    lengths[b] += added;
  }

  NDManager manager() {
    return manager;
  }

  /**
   * Makes room for {@code slots} slots per sequence, keeping what is cached. Grows by at least half, so a
   * run of growing calls copies the cache a logarithmic number of times.
   */
  void reserve(int slots, int initial) {
    if (slots <= capacity) {
      return;
    }
    int grown = Math.max(slots, capacity == 0 ? initial : capacity + capacity / 2);
    Shape shape = new Shape(batch, heads, grown, headDim);
    NDArray[] newKeys = new NDArray[layers];
    NDArray[] newValues = new NDArray[layers];
    NDArray[] newFlatKeys = new NDArray[layers];
    NDArray[] newFlatValues = new NDArray[layers];
    for (int l = 0; l < layers; l++) {
      newKeys[l] = manager.zeros(shape);
      newValues[l] = manager.zeros(shape);
      if (capacity > 0) {
        NDIndex kept = new NDIndex(":, :, :{}", capacity);
        newKeys[l].set(kept, keys[l]);
        newValues[l].set(kept, values[l]);
      }
      newFlatKeys[l] = newKeys[l].reshape(batch * (long) heads * grown, headDim);
      newFlatValues[l] = newValues[l].reshape(batch * (long) heads * grown, headDim);
    }
    release();
    keys = newKeys;
    values = newValues;
    flatKeys = newFlatKeys;
    flatValues = newFlatValues;
    slotIndex = manager.arange(0, grown, 1, DataType.INT64);
    capacity = grown;
  }

  /**
   * The cache as one call's attention sees it: stores {@code fresh} (the call's rows, {@code (B, heads, T,
   * headDim)}) at the slots {@code writeIndex} names in the flat view, and returns views of the first
   * {@code width} slots. The views belong to {@code scope}, so the call frees them.
   */
  SigmaGpt.KeyValues store(int layer, SigmaGpt.KeyValues fresh, NDIndex writeIndex, int width, NDManager scope) {
    long rows = fresh.keys().getShape().get(2);
    flatKeys[layer].set(writeIndex, fresh.keys().reshape(batch * heads * rows, headDim));
    flatValues[layer].set(writeIndex, fresh.values().reshape(batch * heads * rows, headDim));
    NDIndex visible = new NDIndex(":, :, :{}", width);
    NDArray k = keys[layer].get(visible);
    NDArray v = values[layer].get(visible);
    k.attach(scope);
    v.attach(scope);
    return new SigmaGpt.KeyValues(k, v);
  }

  /** Slots {@code 0..width-1} as an int64 view belonging to {@code scope}. */
  NDArray slots(int width, NDManager scope) {
    NDArray s = slotIndex.get(new NDIndex(":{}", width));
    s.attach(scope);
    return s;
  }

  int heads() {
    return heads;
  }

  private void release() {
    if (keys == null) {
      return;
    }
    for (int l = 0; l < layers; l++) {
      flatKeys[l].close();
      flatValues[l].close();
      keys[l].close();
      values[l].close();
    }
    slotIndex.close();
  }

  @Override
  public void close() {
    manager.close();
  }
}
