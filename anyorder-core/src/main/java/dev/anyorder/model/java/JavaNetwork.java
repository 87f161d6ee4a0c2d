package dev.anyorder.model.java;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.Step;
import dev.anyorder.model.WeightFormat;
import dev.anyorder.model.WeightLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A pure-Java σ-GPT runtime (Pannatier, Courdier, Fleuret, "σ-GPTs: A New Approach to Autoregressive
 * Models", 2024) behind the engine-neutral {@link Network}: the same forward pass as the DJL backend
 * (token embedding plus the concatenated positions "from" and "to", pre-LayerNorm GPT-2 blocks, exact GELU,
 * final LayerNorm, head tied to the token embedding) on plain float arrays, reading the same
 * {@link WeightLayout} tensors.
 *
 * <p>It exists for fast decoding of one or a few sequences, where a native engine spends most of each step
 * on per-call overhead rather than arithmetic. A call stacks the rows of all its sequences (extension steps
 * and queries) and runs each linear layer as one blocked matrix product ({@link ForwardPass}), so a call of
 * many rows reads every weight once. With {@code threads > 1} the products and attention are split across a
 * small fixed {@link WorkerTeam}; results are bit-identical whatever the number of threads and whichever
 * rows share a call. Semantics are those of {@link Network#call}: an extension step attends to the valid
 * cache and the earlier new steps; a query attends to the valid cache, all new extension steps and itself,
 * and leaves no trace. A sequence holds at most {@link ModelConfig#maxLength()} steps.
 */
public final class JavaNetwork implements Network {
  /**
   * Rows evaluated together at most, unless one sequence alone has more: bounds the activation memory of a
   * call that scores many sequences at once, while a batch of decode steps still goes through in one product.
   */
  static final int GROUP_ROWS = 256;

  private final ModelConfig config;
  private final PackedWeights weights;
  private final WorkerTeam team;
  private final ForwardPass.Thresholds thresholds;

  /** A single-threaded network holding {@code weights}, keyed by {@link WeightLayout} names. */
  public JavaNetwork(ModelConfig config, Map<String, float[]> weights) {
    this(config, weights, 1);
  }

  /**
   * A network holding {@code weights} that computes on {@code threads} threads: the caller's and
   * {@code threads - 1} daemon workers, used for calls with enough rows or sequences to pay for them.
   */
  public JavaNetwork(ModelConfig config, Map<String, float[]> weights, int threads) {
    this(config, weights, threads, WeightFormat.FLOAT32);
  }

  /**
   * As above, with the weight matrices rounded to {@code format} ({@link WeightFormat#apply}); with the
   * Vector API kernels a bfloat16 network keeps them in 16 bits.
   */
  public JavaNetwork(ModelConfig config, Map<String, float[]> weights, int threads, WeightFormat format) {
    this(config, weights, threads, Kernels.VECTOR, format, ForwardPass.Thresholds.DEFAULT);
  }

  /** As above, with the kernel path chosen: {@code vector} needs the Vector API module (the tests check both paths). */
  JavaNetwork(ModelConfig config, Map<String, float[]> weights, int threads, boolean vector) {
    this(config, weights, threads, vector, WeightFormat.FLOAT32, ForwardPass.Thresholds.DEFAULT);
  }

  /** As above, with the format and the sizes from which work is split across threads chosen (the tests split everything). */
  JavaNetwork(ModelConfig config, Map<String, float[]> weights, int threads, boolean vector, WeightFormat format,
      ForwardPass.Thresholds thresholds) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (vector && !Kernels.VECTOR) {
      throw new IllegalArgumentException("the Vector API kernels need the JVM option --add-modules jdk.incubator.vector");
    }
    this.config = config;
    this.weights = new PackedWeights(config, weights, vector, java.util.Objects.requireNonNull(format, "format"));
    this.team = threads > 1 ? new WorkerTeam(threads) : null;
    this.thresholds = thresholds;
    if (vector) {
      VectorKernels.warmUp();
    }
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  /** The packed weights (for tests of how they are stored). */
  PackedWeights packedWeights() {
    return weights;
  }

  /** Threads a call may use. */
  public int threads() {
    return team == null ? 1 : team.size();
  }

  @Override
  public JavaDecodeState newState(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
    return new JavaDecodeState(this, batch, config.layers(), config.dim(), config.maxLength(), new ForwardPass(weights, team, thresholds));
  }

  @Override
  public List<CallResult> call(DecodeState decodeState, List<SequenceCall> calls) {
    if (!(decodeState instanceof JavaDecodeState state) || state.owner() != this) {
      throw new IllegalArgumentException("the decode state was not made by this network");
    }
    int batch = state.batch();
    if (calls.size() != batch) {
      throw new IllegalArgumentException("got " + calls.size() + " sequence calls for a batch of " + batch);
    }
    SequenceCache[] caches = state.sequences();
    // Validate everything first, so a bad step or a full cache leaves every cache as it was.
    for (int b = 0; b < batch; b++) {
      SequenceCall call = calls.get(b);
      List<Step> extend = call.extend();
      for (int i = 0; i < extend.size(); i++) {
        extend.get(i).validate(config);
      }
      List<Step> queries = call.queries();
      for (int i = 0; i < queries.size(); i++) {
        queries.get(i).validate(config);
      }
      int length = caches[b].length;
      if (length + call.cachedSteps() > caches[b].capacity) {
        throw new IllegalArgumentException("sequence " + b + " holds " + length + " steps; extending it by " + call.cachedSteps()
            + " would exceed the model's maximum length of " + caches[b].capacity + " steps");
      }
      for (List<Step> branch : call.branches()) {
        for (int i = 0; i < branch.size(); i++) {
          branch.get(i).validate(config);
        }
        if (length + extend.size() + branch.size() > caches[b].capacity) {
          throw new IllegalArgumentException("sequence " + b + " holds " + (length + extend.size()) + " steps; a branch of "
              + branch.size() + " would exceed the model's maximum length of " + caches[b].capacity + " steps");
        }
      }
    }
    CallResult[] results = new CallResult[batch];
    ForwardPass pass = state.pass();
    int from = 0;
    while (from < batch) {
      int to = from;
      int rows = 0;
      while (to < batch && (to == from || rows + ForwardPass.rows(calls.get(to)) <= GROUP_ROWS)) {
        rows += ForwardPass.rows(calls.get(to));
        to++;
      }
      pass.evaluate(caches, calls, from, to, results);
      from = to;
    }
    for (int b = 0; b < batch; b++) {
      if (!calls.get(b).branches().isEmpty()) {
        results[b] = withBranches(state, b, calls.get(b).branches(), results[b]);
      }
    }
    return Arrays.asList(results);
  }

  /**
   * Evaluates each branch as a temporary extension of sequence {@code b} (after this call's own
   * extension, which is already cached) and rolls it back, so a branch sees the cache, the call's
   * extension steps and its own earlier steps, and leaves no trace.
   */
  private CallResult withBranches(JavaDecodeState state, int b, List<List<Step>> branches, CallResult main) {
    SequenceCache[] one = {state.sequences()[b]};
    CallResult[] out = new CallResult[1];
    float[][][] branchLogits = new float[branches.size()][][];
    for (int i = 0; i < branches.size(); i++) {
      List<Step> branch = branches.get(i);
      state.pass().evaluate(one, List.of(SequenceCall.extend(branch, branch.size())), 0, 1, out);
      branchLogits[i] = out[0].extendLogits();
      state.rollback(b, branch.size());
    }
    return new CallResult(main.extendLogits(), main.queryLogits(), main.targetLogProbs(), branchLogits);
  }

  @Override
  public void close() {
    if (team != null) {
      team.close();
    }
  }
}
