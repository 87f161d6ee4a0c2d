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
 * of docs/algorithms.md#one-pass-conditionals: query {@code (token, from, j)} gives {@code p(x_j | cache, token)} exactly as a
 * separate pass would.
 *
 * <p>A sequence may also evaluate <em>branches</em>: independent causal chains of steps on top of the
 * cache and the new extension steps, each seeing its own earlier steps but no other branch, and leaving
 * no trace in the cache. Branch {@code i} gives exactly the logits a copy of the sequence extended by that
 * chain would; a query is a branch of one step. Branches let a sampler try several continuations of one
 * committed prefix (the verification orders of burst sampling) while the prefix is cached once.
 */
public interface Network extends AutoCloseable {

  ModelConfig config();

  /** A fresh, empty decode state for {@code batch} independent sequences. */
  DecodeState newState(int batch);

  /**
   * A fresh decode state for {@code batch} sequences whose calls will each put about {@code rowsPerCall}
   * new rows (extension steps, queries, branch steps) per sequence through the network. The hint lets a
   * network that owns several backends pick the faster one for that shape; a single backend ignores it.
   */
  default DecodeState newState(int batch, int rowsPerCall) {
    return newState(batch);
  }

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
   * @param branches independent causal chains evaluated after the extension, logits for every step
   * @param commitFirstQuery the first query's step also enters the cache, after the extension, once the
   *     call is done: it is evaluated exactly as any query (no other row of the call sees it) and its
   *     logits are returned as query 0. A sampler that knows the first queried position will be committed
   *     (the first draft of speculative decoding) so does not feed the same step again in its next call.
   */
  record SequenceCall(List<Step> extend, int emitFrom, int[] targets, List<Step> queries, List<List<Step>> branches,
      boolean commitFirstQuery) {
    public SequenceCall {
      extend = List.copyOf(extend);
      queries = List.copyOf(queries);
      branches = branches.stream().map(List::copyOf).toList();
      for (List<Step> branch : branches) {
        if (branch.isEmpty()) {
          throw new IllegalArgumentException("a branch needs at least one step");
        }
      }
      if (emitFrom < 0) {
        throw new IllegalArgumentException("emitFrom must be >= 0, got " + emitFrom);
      }
      if (targets != null && targets.length != extend.size()) {
        throw new IllegalArgumentException("targets has " + targets.length + " entries for " + extend.size() + " steps");
      }
      if (commitFirstQuery && queries.isEmpty()) {
        throw new IllegalArgumentException("commitFirstQuery needs a query");
      }
      if (commitFirstQuery && !branches.isEmpty()) {
        throw new IllegalArgumentException("commitFirstQuery cannot be combined with branches, which see the cache as the call began");
      }
    }

    /** A call whose queries leave no trace. */
    public SequenceCall(List<Step> extend, int emitFrom, int[] targets, List<Step> queries, List<List<Step>> branches) {
      this(extend, emitFrom, targets, queries, branches, false);
    }

    /** A call without branches. */
    public SequenceCall(List<Step> extend, int emitFrom, int[] targets, List<Step> queries) {
      this(extend, emitFrom, targets, queries, List.of());
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

    /** Extend first (no logits), then queries, the first of which then also enters the cache. */
    public static SequenceCall extendThenQueryCommittingFirst(List<Step> steps, List<Step> queries) {
      return new SequenceCall(steps, steps.size(), null, queries, List.of(), true);
    }

    /** Steps this call adds to the cache: the extension, and the first query when it is committed. */
    public int cachedSteps() {
      return extend.size() + (commitFirstQuery ? 1 : 0);
    }

    /** Teacher-forced scoring of {@code steps} against {@code targets}. */
    public static SequenceCall score(List<Step> steps, int[] targets) {
      return new SequenceCall(steps, steps.size(), targets, List.of());
    }

    /** Branches only: each chain evaluated on top of the cache, logits for all of its steps. */
    public static SequenceCall branches(List<List<Step>> branches) {
      return new SequenceCall(List.of(), 0, null, List.of(), branches);
    }

    /** Steps of all branches together. */
    public int branchSteps() {
      int n = 0;
      for (List<Step> branch : branches) {
        n += branch.size();
      }
      return n;
    }

    /** New rows this call puts through the network: extension steps, queries and branch steps. */
    public int rows() {
      return extend.size() + queries.size() + branchSteps();
    }

    public boolean isEmpty() {
      return extend.isEmpty() && queries.isEmpty() && branches.isEmpty();
    }
  }

  /**
   * What one sequence gets back: raw logits ({@code V} per row, untempered) of the emitted extend steps
   * and of the queries, the target log-probabilities when targets were given (NaN where -1), and
   * {@code branchLogits[i][s]} for step {@code s} of branch {@code i}.
   */
  record CallResult(float[][] extendLogits, float[][] queryLogits, double[] targetLogProbs, float[][][] branchLogits) {
    public static final CallResult EMPTY = new CallResult(new float[0][], new float[0][], new double[0]);

    /** A result without branches. */
    public CallResult(float[][] extendLogits, float[][] queryLogits, double[] targetLogProbs) {
      this(extendLogits, queryLogits, targetLogProbs, new float[0][][]);
    }
  }
}
