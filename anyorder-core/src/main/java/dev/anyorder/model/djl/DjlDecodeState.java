package dev.anyorder.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.anyorder.model.DecodeState;
import java.util.ArrayList;
import java.util.List;

/**
 * KV cache of a batch on DJL: per block, keys and values {@code (B, heads, slots, headDim)}, and for every
 * sequence the slots it owns, in the order they were fed. See {@link DjlNetwork} for the slot scheme.
 */
public final class DjlDecodeState implements DecodeState {
  private final NDManager manager;
  private final int batch;
  private final int layers;
  private List<SigmaGpt.KeyValues> cache;
  private int slots;
  private final List<List<Integer>> owned;

  DjlDecodeState(NDManager manager, int batch, int layers) {
    this.manager = manager;
    this.batch = batch;
    this.layers = layers;
    this.owned = new ArrayList<>(batch);
    for (int b = 0; b < batch; b++) {
      owned.add(new ArrayList<>());
    }
  }

  @Override
  public int batch() {
    return batch;
  }

  @Override
  public int length(int b) {
    return owned.get(b).size();
  }

  /** Physical slots, valid or not. */
  public int slots() {
    return slots;
  }

  @Override
  public void rollback(int b, int steps) {
    List<Integer> mine = owned.get(b);
    if (steps < 0 || steps > mine.size()) {
      throw new IllegalArgumentException("cannot roll back " + steps + " steps of a sequence holding " + mine.size());
    }
    for (int i = 0; i < steps; i++) {
      mine.remove(mine.size() - 1);
    }
  }

  NDManager manager() {
    return manager;
  }

  List<SigmaGpt.KeyValues> cache() {
    return cache;
  }

  /** Clears the mask over sequence {@code b}'s valid slots in a row starting at {@code base}. */
  void unmaskValid(int b, float[] mask, int base) {
    for (int slot : owned.get(b)) {
      mask[base + slot] = 0;
    }
  }

  /** Appends {@code width} new slots; sequence {@code b} owns the first {@code added[b]} of them. */
  void append(List<SigmaGpt.KeyValues> fresh, int width, int[] added) {
    List<SigmaGpt.KeyValues> next = new ArrayList<>(layers);
    for (int i = 0; i < layers; i++) {
      SigmaGpt.KeyValues f = fresh.get(i);
      NDArray k;
      NDArray v;
      if (cache == null) {
        k = f.keys().duplicate();
        v = f.values().duplicate();
      } else {
        k = cache.get(i).keys().concat(f.keys(), 2);
        v = cache.get(i).values().concat(f.values(), 2);
      }
      k.attach(manager);
      v.attach(manager);
      next.add(new SigmaGpt.KeyValues(k, v));
    }
    replace(next);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < added[b]; j++) {
        owned.get(b).add(slots + j);
      }
    }
    slots += width;
  }

  /**
   * Gathers each sequence's valid slots to the front when more than half the slots are hidden, so
   * rejected drafts do not make later calls slower.
   */
  void compactIfSparse() {
    int longest = 0;
    for (List<Integer> mine : owned) {
      longest = Math.max(longest, mine.size());
    }
    if (cache == null || slots <= 2 * longest + 16) {
      return;
    }
    long[] rows = new long[batch * longest];
    for (int b = 0; b < batch; b++) {
      List<Integer> mine = owned.get(b);
      for (int j = 0; j < longest; j++) {
        int slot = j < mine.size() ? mine.get(j) : 0;
        rows[b * longest + j] = (long) b * slots + slot;
      }
    }
    List<SigmaGpt.KeyValues> next = new ArrayList<>(layers);
    try (NDManager scope = manager.newSubManager()) {
      NDArray index = OwnedArrays.longs(scope, rows);
      for (SigmaGpt.KeyValues kv : cache) {
        NDArray k = gather(kv.keys(), index, longest);
        NDArray v = gather(kv.values(), index, longest);
        k.attach(manager);
        v.attach(manager);
        next.add(new SigmaGpt.KeyValues(k, v));
      }
    }
    replace(next);
    for (List<Integer> mine : owned) {
      for (int j = 0; j < mine.size(); j++) {
        mine.set(j, j);
      }
    }
    slots = longest;
  }

  private NDArray gather(NDArray x, NDArray index, int width) {
    Shape s = x.getShape(); // (B, H, S, hd)
    long h = s.get(1);
    long hd = s.get(3);
    NDArray flat = x.transpose(0, 2, 1, 3).reshape(batch * (long) slots, h * hd);
    flat.attach(index.getManager());
    NDArray picked = Embedding.embedding(index, flat, SparseFormat.DENSE).singletonOrThrow();
    return picked.reshape(batch, width, h, hd).transpose(0, 2, 1, 3);
  }

  private void replace(List<SigmaGpt.KeyValues> next) {
    if (cache != null) {
      for (SigmaGpt.KeyValues kv : cache) {
        kv.keys().close();
        kv.values().close();
      }
    }
    cache = next;
  }

  @Override
  public void close() {
    manager.close();
  }
}
