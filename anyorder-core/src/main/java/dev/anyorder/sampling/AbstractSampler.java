package dev.anyorder.sampling;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * What every sampler shares: validating requests, one seeded random stream split per sequence (so a
 * sequence's draws do not depend on its neighbours in the batch), drawing target orders, counting
 * evaluations and telling the listener about commits.
 */
abstract class AbstractSampler implements Sampler {
  protected final Network network;
  protected final SamplerConfig config;
  protected final TokenFilter filter;
  private final SplittableRandom master;
  private int totalNfe;
  /** The gate of the sampling under way ({@link #sample} is synchronized, so there is one at a time). */
  private CallGate gate = CallGate.OPEN;

  AbstractSampler(Network network, SamplerConfig config, SamplerKind expected) {
    this.network = Objects.requireNonNull(network, "network");
    this.config = Objects.requireNonNull(config, "config");
    if (config.kind() != expected) {
      throw new IllegalArgumentException("config is for a " + config.kind() + " sampler, not " + expected);
    }
    this.filter = config.filter();
    this.master = new SplittableRandom(config.seed());
  }

  @Override
  public SamplerConfig config() {
    return config;
  }

  @Override
  public final synchronized SampleBatch sample(List<SampleRequest> requests, CommitListener listener) {
    return sample(requests, b -> master.split(), listener);
  }

  @Override
  public final synchronized SampleBatch sample(List<SampleRequest> requests, List<SequenceSeed> seeds, CommitListener listener) {
    return sample(requests, seeds, listener, CallGate.OPEN);
  }

  @Override
  public final synchronized SampleBatch sample(List<SampleRequest> requests, List<SequenceSeed> seeds, CommitListener listener,
      CallGate gate) {
    Objects.requireNonNull(seeds, "seeds");
    Objects.requireNonNull(gate, "gate (use CallGate.OPEN)");
    if (seeds.size() != requests.size()) {
      throw new IllegalArgumentException(seeds.size() + " seeds for " + requests.size() + " requests");
    }
    CallGate outer = this.gate;
    this.gate = gate;
    try {
      return sample(requests, b -> seeds.get(b).newRandom(), listener);
    } finally {
      this.gate = outer;
    }
  }

  private SampleBatch sample(List<SampleRequest> requests, IntFunction<SplittableRandom> streams, CommitListener listener) {
    Objects.requireNonNull(listener, "listener (use CommitListener.NONE)");
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("no requests to sample");
    }
    ModelConfig c = network.config();
    List<SequenceCursor> cursors = new ArrayList<>(requests.size());
    for (int b = 0; b < requests.size(); b++) {
      SampleRequest request = requests.get(b).validate(c);
      SplittableRandom rng = streams.apply(b);
      cursors.add(new SequenceCursor(c, b, request, config.order().targetOrder(request, rng), rng));
    }
    totalNfe = 0;
    decode(cursors, listener);
    List<Sample> samples = new ArrayList<>(cursors.size());
    for (SequenceCursor cursor : cursors) {
      samples.add(cursor.toSample());
    }
    return new SampleBatch(samples, totalNfe);
  }

  /** Decodes every cursor to completion. */
  protected abstract void decode(List<SequenceCursor> cursors, CommitListener listener);

  /**
   * One network evaluation. Row {@code r} of the state belongs to cursor {@code r / rowsPerSequence};
   * every cursor with a non-empty call on one of its rows is charged one NFE. An all-empty call is not
   * made and costs nothing. The {@link CallGate} of the sampling is consulted first, so every sampler
   * (burst verification and adaptive reranking included) can be stopped or made to wait at each call.
   */
  protected List<CallResult> evaluate(DecodeState state, List<SequenceCall> calls, List<SequenceCursor> cursors,
      int rowsPerSequence) {
    boolean[] charged = new boolean[cursors.size()];
    boolean any = false;
    for (int r = 0; r < calls.size(); r++) {
      if (!calls.get(r).isEmpty()) {
        charged[r / rowsPerSequence] = true;
        any = true;
      }
    }
    if (!any) {
      List<CallResult> empty = new ArrayList<>(calls.size());
      calls.forEach(x -> empty.add(CallResult.EMPTY));
      return empty;
    }
    int rows = 0;
    int sequences = 0;
    for (SequenceCall call : calls) {
      rows += call.rows();
      sequences += call.isEmpty() ? 0 : 1;
    }
    gate.beforeCall(sequences, rows);
    List<CallResult> results = network.call(state, calls);
    totalNfe++;
    for (int s = 0; s < charged.length; s++) {
      if (charged[s]) {
        cursors.get(s).countEvaluation();
      }
    }
    return results;
  }

  /**
   * Drops cache entries of row {@code row} beyond what the cursor's committed inputs justify (rejected
   * drafts and teacher-forced steps of unchosen orders) and marks the backlog fed.
   */
  protected static void settle(DecodeState state, int row, SequenceCursor cursor) {
    int extra = state.length(row) - cursor.settledCacheLength();
    if (extra < 0) {
      throw new IllegalStateException("cache of row " + row + " holds " + state.length(row) + " steps but sequence "
          + cursor.sequence + " has " + cursor.settledCacheLength() + " committed steps");
    }
    state.rollback(row, extra);
    cursor.markFed();
  }

  /** Commits several positions of one cursor and tells the listener once. */
  protected static void commit(SequenceCursor cursor, int[] positions, int[] tokens, double[] logProbs, CommitListener listener) {
    for (int i = 0; i < positions.length; i++) {
      cursor.commit(positions[i], tokens[i], logProbs[i]);
    }
    listener.onCommit(cursor.sequence, positions.clone(), tokens.clone(), cursor.nfe());
  }

  protected static SequenceCall idle() {
    return SequenceCall.none();
  }
}
