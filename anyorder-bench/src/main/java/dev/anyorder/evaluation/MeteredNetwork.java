package dev.anyorder.evaluation;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import java.util.List;

/**
 * A {@link Network} that forwards to another and counts what passes through it: calls and rows (extension
 * steps, queries and branch steps of every sequence). Rows are the work a sampler asks of the network, so
 * rows per generated token, next to tokens per call, says how much of a sampler's saving in calls is paid
 * back in arithmetic. It does not own the network it wraps: closing it closes nothing.
 */
public final class MeteredNetwork implements Network {
  private final Network network;
  private long calls;
  private long rows;

  public MeteredNetwork(Network network) {
    this.network = network;
  }

  @Override
  public ModelConfig config() {
    return network.config();
  }

  @Override
  public DecodeState newState(int batch) {
    return network.newState(batch);
  }

  @Override
  public DecodeState newState(int batch, int rowsPerCall) {
    return network.newState(batch, rowsPerCall);
  }

  @Override
  public List<CallResult> call(DecodeState state, List<SequenceCall> sequenceCalls) {
    calls++;
    for (SequenceCall c : sequenceCalls) {
      rows += c.rows();
    }
    return network.call(state, sequenceCalls);
  }

  /** Calls forwarded so far. */
  public long calls() {
    return calls;
  }

  /** Rows forwarded so far, over all sequences of all calls. */
  public long rows() {
    return rows;
  }

  /** Forgets the counts. */
  public void reset() {
    calls = 0;
    rows = 0;
  }

  @Override
  public void close() {
    // The wrapped network belongs to whoever made it.
  }
}
