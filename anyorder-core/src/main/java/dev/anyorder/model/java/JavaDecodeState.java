package dev.anyorder.model.java;

import dev.anyorder.model.DecodeState;

/**
 * The KV caches of a batch of σ-GPT sequences (Pannatier, Courdier, Fleuret, 2024) decoded by {@link
 * JavaNetwork}: one fixed-size heap cache per sequence, so sequences never wait for each other's lengths and
 * a rollback of rejected speculative drafts only moves a length. It also owns the activations its calls
 * reuse, so a decode loop allocates them once. Holds no native memory.
 */
public final class JavaDecodeState implements DecodeState {
  private final JavaNetwork owner;
  private final SequenceCache[] sequences;
  private final ForwardPass pass;

  JavaDecodeState(JavaNetwork owner, int batch, int layers, int dim, int capacity, ForwardPass pass) {
    this.owner = owner;
    this.pass = pass;
    sequences = new SequenceCache[batch];
    for (int b = 0; b < batch; b++) {
      sequences[b] = new SequenceCache(layers, dim, capacity);
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

  JavaNetwork owner() {
    return owner;
  }

  SequenceCache[] sequences() {
    return sequences;
  }

  ForwardPass pass() {
    return pass;
  }

  @Override
  public void close() {
    // Heap memory only: the garbage collector reclaims it.
  }
}
