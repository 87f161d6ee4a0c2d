package dev.anyorder.model;

import java.util.List;

/**
 * The engine-neutral view of a σ-GPT that samplers and the scorer use: one {@link #call} is one network
 * evaluation (one NFE), batched over independent sequences. A backend (DJL today, a pure-Java runtime
 * later) implements this and nothing else; no sampler sees a tensor.
 *
 * <p>Each sequence of a call may <em>extend</em> its KV cache with teacher-forced steps (each sees the
 * cache and the earlier new steps) and ask <em>queries</em> (each sees the cache, all new steps and
 * itself, never another query; the cache keeps no trace of them). Queries are the one-pass conditionals
 * of §3 of ALGORITHMS.md: query {@code (token, from, j)} gives {@code p(x_j | cache, token)} exactly as a
 * separate pass would.
 */
public interface Network extends AutoCloseable {

  ModelConfig config();

  /** A fresh, empty decode state for {@code batch} independent sequences. */
  DecodeState newState(int batch);

  /**
   * One network evaluation. {@code calls.get(b)} is what sequence {@code b} of the state does; an empty
   * call leaves that sequence untouched.
   */
  List<CallResult> call(DecodeState state, List<SequenceCall> calls);

  /** Releases native memory held by the network's weights. */
  @Override
  void close();

  /**
   * What one sequence does in one call.
   *
   * @param extend steps appended to the cache, causally, in this order
   * @param emitFrom logits are returned for {@code extend} steps with index {@code >= emitFrom}
   * @param targets if not null, one token per extend step (or -1): the result then holds
   *     {@code log p(target)} at temperature 1 for each such step
   * @param queries one-pass conditionals, evaluated after the extension
   */
  record SequenceCall(List<Step> extend, int emitFrom, int[] targets, List<Step> queries) {
    public SequenceCall {
      extend = List.copyOf(extend);
      queries = List.copyOf(queries);
      if (emitFrom < 0) {
        throw new IllegalArgumentException("emitFrom must be >= 0, got " + emitFrom);
      }
      if (targets != null && targets.length != extend.size()) {
        throw new IllegalArgumentException("targets has " + targets.length + " entries for " + extend.size() + " steps");
      }
    }

    public static SequenceCall none() {
      return new SequenceCall(List.of(), 0, null, List.of());
    }

    /** Extend only, returning logits of the last {@code emitLast} steps. */
    public static SequenceCall extend(List<Step> steps, int emitLast) {
      return new SequenceCall(steps, Math.max(0, steps.size() - emitLast), null, List.of());
    }

    /** Queries only. */
    public static SequenceCall query(List<Step> queries) {
      return new SequenceCall(List.of(), 0, null, queries);
    }

    /** Extend first (no logits), then queries. */
    public static SequenceCall extendThenQuery(List<Step> steps, List<Step> queries) {
      return new SequenceCall(steps, steps.size(), null, queries);
    }

    /** Teacher-forced scoring of {@code steps} against {@code targets}. */
    public static SequenceCall score(List<Step> steps, int[] targets) {
      return new SequenceCall(steps, steps.size(), targets, List.of());
    }

    public boolean isEmpty() {
      return extend.isEmpty() && queries.isEmpty();
    }
  }

  /**
   * What one sequence gets back: raw logits ({@code V} per row, untempered) of the emitted extend steps
   * and of the queries, and the target log-probabilities when targets were given (NaN where -1).
   */
  record CallResult(float[][] extendLogits, float[][] queryLogits, double[] targetLogProbs) {
    public static final CallResult EMPTY = new CallResult(new float[0][], new float[0][], new double[0]);
  }
}
