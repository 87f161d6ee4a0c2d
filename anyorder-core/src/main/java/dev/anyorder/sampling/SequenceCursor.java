package dev.anyorder.sampling;

import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The decoding progress of one sequence under σ-GPT's cache discipline (docs/algorithms.md#cache-discipline).
 *
 * <p>The committed tokens form a chain of <em>inputs</em> {@code (token, position)} in commit order,
 * preceded by the start slot {@code (startToken, none)} when the model has one; known tokens are
 * committed first, in increasing position order. Step {@code i} of the cache carries input {@code i} and
 * predicts the position of input {@code i+1}, so every input but the last can be fed; the last is
 * <em>pending</em>: it enters the cache only once the next position is chosen. {@link #backlog()} is
 * what is committed but not yet fed; samplers merge it into their next call so a prefill never costs an
 * evaluation of its own.
 */
final class SequenceCursor {
  final int sequence;
  final SplittableRandom rng;
  private final int[] tokens;
  private final double[] logProbs;
  private final int[] targetOrder;
  private final List<int[]> inputs = new ArrayList<>();
  private final int[] commitOrder;
  private int committed;
  private int fed;
  private int nfe;

  SequenceCursor(ModelConfig config, int sequence, SampleRequest request, int[] targetOrder, SplittableRandom rng) {
    this.sequence = sequence;
    this.rng = rng;
    this.tokens = request.given();
    this.logProbs = new double[tokens.length];
    Arrays.fill(logProbs, Double.NaN);
    this.targetOrder = targetOrder.clone();
    this.commitOrder = new int[targetOrder.length];
    if (config.startSlot()) {
      inputs.add(new int[] {config.startToken(), config.nonePosition()});
    }
    for (int p : request.knownPositions()) {
      inputs.add(new int[] {tokens[p], p});
    }
  }

  /** Committed steps not yet in the cache, oldest first. */
  List<Step> backlog() {
    List<Step> steps = new ArrayList<>();
    for (int i = fed; i + 1 < inputs.size(); i++) {
      steps.add(new Step(inputs.get(i)[0], inputs.get(i)[1], inputs.get(i + 1)[1]));
    }
    return steps;
  }

  /**
   * The call that feeds the backlog and asks for the conditionals at {@code positions}, for a sampler that
   * will commit a token at {@code positions[0]} whatever it draws (the next position of a fixed order, the
   * always-accepted first self draft). That query's step, the pending input aimed at {@code positions[0]},
   * stays in the cache ({@link SequenceCall#commitFirstQuery}), so it is never fed a second time with the
   * next backlog. Call {@link #markPendingFed()} after the call, then commit at {@code positions[0]}.
   */
  SequenceCall backlogThenQueriesCommittingFirst(int... positions) {
    List<Step> queries = new ArrayList<>(positions.length);
    for (int p : positions) {
      queries.add(query(p));
    }
    return SequenceCall.extendThenQueryCommittingFirst(backlog(), queries);
  }

  /** Records that the backlog and the pending input ({@link #backlogThenQueriesCommittingFirst}) are in the cache. */
  void markPendingFed() {
    fed = inputs.size();
  }

  /** The step asking for {@code p(x_position | committed)}: the pending input aimed at {@code position}. */
  Step query(int position) {
    int[] pending = pendingInput();
    return new Step(pending[0], pending[1], position);
  }

  /** The last committed input {@code (token, position)}, not yet in the cache: the one the next step starts from. */
  int[] pendingInput() {
    return inputs.get(inputs.size() - 1).clone();
  }

  /**
   * The teacher-forced steps that would follow the cache if {@code drafts[i]} were committed at
   * {@code positions[i]} in turn: the pending input aimed at {@code positions[0]}, then draft {@code i-1}
   * aimed at {@code positions[i]}. Step {@code i} predicts {@code positions[i]}.
   */
  List<Step> chain(int[] positions, int[] drafts) {
    List<Step> steps = new ArrayList<>(positions.length);
    steps.add(query(positions[0]));
    for (int i = 1; i < positions.length; i++) {
      steps.add(new Step(drafts[i - 1], positions[i - 1], positions[i]));
    }
    return steps;
  }

  /** Records that the whole backlog is now in the cache. */
  void markFed() {
    fed = inputs.size() - 1;
  }

  /** Cache length once every committed input but the pending one is fed. */
  int settledCacheLength() {
    return inputs.size() - 1;
  }

  void commit(int position, int token, double logProb) {
    if (tokens[position] != SampleRequest.UNKNOWN) {
      throw new IllegalStateException("position " + position + " of sequence " + sequence + " is already fixed");
    }
    tokens[position] = token;
    logProbs[position] = logProb;
    commitOrder[committed++] = position;
    inputs.add(new int[] {token, position});
  }

  /** Uncommitted targets in the planned order. */
  int[] remaining() {
    return Arrays.stream(targetOrder).filter(p -> tokens[p] == SampleRequest.UNKNOWN).toArray();
  }

  /** The first uncommitted target in the planned order (there must be one); allocates nothing. */
  int nextRemaining() {
    for (int p : targetOrder) {
      if (tokens[p] == SampleRequest.UNKNOWN) {
        return p;
      }
    }
    throw new IllegalStateException("sequence " + sequence + " has no target left");
  }

  int remainingCount() {
    return targetOrder.length - committed;
  }

  boolean done() {
    return committed == targetOrder.length;
  }

  int token(int position) {
    return tokens[position];
  }

  int length() {
    return tokens.length;
  }

  void countEvaluation() {
    nfe++;
  }

  int nfe() {
    return nfe;
  }

  Sample toSample() {
    return new Sample(tokens, commitOrder, logProbs, nfe);
  }
}
