package dev.anyorder.api;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import java.util.List;
import java.util.Objects;

/**
 * The {@link Backend#AUTO} network: both backends over the same weights, and each decode state placed on
 * the faster one for its shape by a {@link BackendCrossover}. A sampler announces its batch and rows per
 * call when it opens a state ({@link Network#newState(int, int)}), so sequential decoding of one sequence
 * runs on the Java backend and wide batches or calls with many query rows run on DJL. Both backends
 * compute the same numbers (to about 1e-5), so the choice changes speed only.
 */
public final class AutoNetwork implements Network {
  private final Network djl;
  private final Network java;
  private final BackendCrossover crossover;

  public AutoNetwork(Network djl, Network java, BackendCrossover crossover) {
    this.djl = Objects.requireNonNull(djl, "djl");
    this.java = Objects.requireNonNull(java, "java");
    this.crossover = Objects.requireNonNull(crossover, "crossover");
    if (!djl.config().equals(java.config())) {
      throw new IllegalArgumentException("the two backends hold different models");
    }
  }

  public BackendCrossover crossover() {
    return crossover;
  }

  /** The backend a state of this shape is placed on. */
  public Backend choose(int batch, int rowsPerCall) {
    return crossover.prefersJava(batch, rowsPerCall) ? Backend.JAVA : Backend.DJL;
  }

  @Override
  public ModelConfig config() {
    return djl.config();
  }

  /** A state for one-row calls (the shape of sequential decoding). */
  @Override
  public DecodeState newState(int batch) {
    return newState(batch, 1);
  }

  @Override
  public DecodeState newState(int batch, int rowsPerCall) {
    Network chosen = choose(batch, rowsPerCall) == Backend.JAVA ? java : djl;
    return new Placed(chosen, chosen.newState(batch));
  }

  @Override
  public List<CallResult> call(DecodeState state, List<SequenceCall> calls) {
    Placed placed = (Placed) state;
    return placed.network.call(placed.inner, calls);
  }

  @Override
  public void close() {
    try {
      java.close();
    } finally {
      djl.close();
    }
  }

  /** A decode state living on one of the two backends. */
  private record Placed(Network network, DecodeState inner) implements DecodeState {
    @Override
    public int batch() {
      return inner.batch();
    }

    @Override
    public int length(int b) {
      return inner.length(b);
    }

    @Override
    public void rollback(int b, int steps) {
      inner.rollback(b, steps);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
