package dev.anyorder.model.java;

import dev.anyorder.model.DecodeState;

/**
 * The KV caches of a batch of σ-GPT sequences (Pannatier, Courdier, Fleuret, 2024) decoded by {@link
 * JavaNetwork}: one growable heap cache per sequence, so sequences never wait for each other's lengths and
 * a rollback of rejected speculative drafts is a truncation. Holds no native memory.
 */
public final class JavaDecodeState implements DecodeState {
  private final SequenceCache[] sequences;

  JavaDecodeState(int batch, int layers, int dim) {
    sequences = new SequenceCache[batch];
    for (int b = 0; b < batch; b++) {
      sequences[b] = new SequenceCache(layers, dim);
    }
  }

  @Override
  public int batch() {
    return sequences.length;
  }

  @Override
  public int length(int b) {
    return sequences[b].length;
  }

  @Override
  public void rollback(int b, int steps) {
    SequenceCache s = sequences[b];
    if (steps < 0 || steps > s.length) {
      throw new IllegalArgumentException("cannot roll back " + steps + " steps of a sequence holding " + s.length);
    }
    s.length -= steps;
  }

  SequenceCache sequence(int b) {
    return sequences[b];
  }

  @Override
  public void close() {
    // Heap memory only: the garbage collector reclaims it.
  }
}
