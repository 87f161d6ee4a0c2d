package dev.anyorder.model.java;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.LogProbabilities;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.SinusoidalPositions;
import dev.anyorder.model.Step;
import dev.anyorder.model.WeightLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A pure-Java σ-GPT runtime (Pannatier, Courdier, Fleuret, "σ-GPTs: A New Approach to Autoregressive
 * Models", 2024) behind the engine-neutral {@link Network}: the same forward pass as the DJL backend
 * (token embedding plus the concatenated positions "from" and "to", pre-LayerNorm GPT-2 blocks, exact GELU,
 * final LayerNorm, head tied to the token embedding) on plain float arrays, reading the same
 * {@link WeightLayout} tensors.
 *
 * <p>It exists for fast decoding of one or a few sequences, where a native engine spends most of each step
 * on per-call overhead rather than arithmetic. Each sequence of a batch is evaluated on its own against its
 * own cache (optionally on several threads), with the semantics of {@link Network#call}: an extension step
 * attends to the valid cache and the earlier new steps; a query attends to the valid cache, all new
 * extension steps and itself, and leaves no trace; a branch step attends to those and to its branch's
 * earlier steps, and leaves no trace either.
 */
public final class JavaNetwork implements Network {
  private final ModelConfig config;
  private final int dim;
  private final int heads;
  private final int headDim;
  private final int hiddenDim;
  private final int half;
  private final float[] tokenEmbedding;
  private final float[] positionTable;
  private final Block[] blocks;
  private final float[] finalGain;
  private final float[] finalShift;
  private final ExecutorService pool;

  /** One transformer block's tensors; biases are null when the model has none. */
  private record Block(float[] ln1Gain, float[] ln1Shift, float[] attnWeight, float[] attnBias, float[] projWeight, float[] projBias,
      float[] ln2Gain, float[] ln2Shift, float[] fcWeight, float[] fcBias, float[] outWeight, float[] outBias) {}

  /** A single-threaded network holding {@code weights}, keyed by {@link WeightLayout} names. */
  public JavaNetwork(ModelConfig config, Map<String, float[]> weights) {
    this(config, weights, 1);
  }

  /**
   * A network holding {@code weights}; with {@code threads > 1} the sequences of a batch are evaluated in
   * parallel (one sequence is always evaluated on the calling thread).
   */
  public JavaNetwork(ModelConfig config, Map<String, float[]> weights, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.config = config;
    this.dim = config.dim();
    this.heads = config.heads();
    this.headDim = config.headDim();
    this.hiddenDim = config.mlpRatio() * dim;
    this.half = dim / 2;
    Map<String, long[]> layout = WeightLayout.expected(config);
    this.tokenEmbedding = tensor(weights, layout, WeightLayout.WTE);
    this.positionTable = config.positions() == PositionEncoding.LEARNED
        ? tensor(weights, layout, WeightLayout.WPE)
        : SinusoidalPositions.table(config.positionRows(), half);
    this.blocks = new Block[config.layers()];
    for (int i = 0; i < blocks.length; i++) {
      String p = WeightLayout.block(i);
      blocks[i] = new Block(
          tensor(weights, layout, p + "ln_1.weight"), optional(weights, layout, p + "ln_1.bias"),
          tensor(weights, layout, p + "attn.c_attn.weight"), optional(weights, layout, p + "attn.c_attn.bias"),
          tensor(weights, layout, p + "attn.c_proj.weight"), optional(weights, layout, p + "attn.c_proj.bias"),
          tensor(weights, layout, p + "ln_2.weight"), optional(weights, layout, p + "ln_2.bias"),
          tensor(weights, layout, p + "mlp.c_fc.weight"), optional(weights, layout, p + "mlp.c_fc.bias"),
          tensor(weights, layout, p + "mlp.c_proj.weight"), optional(weights, layout, p + "mlp.c_proj.bias"));
    }
    this.finalGain = tensor(weights, layout, WeightLayout.LN_F + ".weight");
    this.finalShift = optional(weights, layout, WeightLayout.LN_F + ".bias");
    this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "anyorder-java-network");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /** The named tensor, checked against the layout's size. Copied, so later changes to the map do not leak in. */
  private static float[] tensor(Map<String, float[]> weights, Map<String, long[]> layout, String name) {
    float[] data = weights.get(name);
    if (data == null) {
      throw new IllegalArgumentException("missing tensor " + name);
    }
    long expected = 1;
    for (long s : layout.get(name)) {
      expected *= s;
    }
    if (data.length != expected) {
      throw new IllegalArgumentException("tensor " + name + " has " + data.length + " values, expected " + expected);
    }
    return data.clone();
  }

  private static float[] optional(Map<String, float[]> weights, Map<String, long[]> layout, String name) {
    return layout.containsKey(name) ? tensor(weights, layout, name) : null;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public JavaDecodeState newState(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
    return new JavaDecodeState(batch, config.layers(), dim);
  }

  @Override
  public List<CallResult> call(DecodeState decodeState, List<SequenceCall> calls) {
    JavaDecodeState state = (JavaDecodeState) decodeState;
    int batch = state.batch();
    if (calls.size() != batch) {
      throw new IllegalArgumentException("got " + calls.size() + " sequence calls for a batch of " + batch);
    }
    // Validate everything first, so a bad step leaves every cache as it was.
    for (SequenceCall call : calls) {
      for (Step s : call.extend()) {
        s.validate(config);
      }
      for (Step s : call.queries()) {
        s.validate(config);
      }
      for (List<Step> branch : call.branches()) {
        for (Step s : branch) {
          s.validate(config);
        }
      }
    }
    CallResult[] results = new CallResult[batch];
    int busy = 0;
    for (SequenceCall call : calls) {
      busy += call.isEmpty() ? 0 : 1;
    }
    if (pool == null || busy < 2) {
      for (int b = 0; b < batch; b++) {
        results[b] = run(state.sequence(b), calls.get(b));
      }
    } else {
      List<Future<CallResult>> futures = new ArrayList<>(batch);
      for (int b = 0; b < batch; b++) {
        SequenceCache s = state.sequence(b);
        SequenceCall call = calls.get(b);
        futures.add(pool.submit(() -> run(s, call)));
      }
      for (int b = 0; b < batch; b++) {
        try {
          results[b] = futures.get(b).get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while evaluating the network", e);
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
      }
    }
    return Arrays.asList(results);
  }

  /** One sequence's part of a call: all its new rows go through the blocks together. */
  private CallResult run(SequenceCache s, SequenceCall call) {
    List<Step> extend = call.extend();
    List<Step> queries = call.queries();
    int ext = extend.size();
    int rows = call.rows();
    if (rows == 0) {
      return CallResult.EMPTY;
    }
    int past = s.length;
    s.reserve(past + ext);
    s.scratch(rows, hiddenDim, past + rows);
    float[] x = s.x;
    // Row r also attends to the new rows firstOwn[r]..r straight from the qkv scratch: none for an
    // extension step (those are in the cache), itself for a query, its branch so far for a branch step.
    int[] firstOwn = new int[rows];
    int r0 = 0;
    for (Step step : extend) {
      firstOwn[r0] = r0 + 1;
      embed(step, x, r0++ * dim);
    }
    for (Step step : queries) {
      firstOwn[r0] = r0;
      embed(step, x, r0++ * dim);
    }
    for (List<Step> branch : call.branches()) {
      int first = r0;
      for (Step step : branch) {
        firstOwn[r0] = first;
        embed(step, x, r0++ * dim);
      }
    }
    int qkvWidth = 3 * dim;
    float scale = (float) (1.0 / Math.sqrt(headDim));
    for (int l = 0; l < blocks.length; l++) {
      Block blk = blocks[l];
      Kernels.layerNorm(x, rows, dim, blk.ln1Gain, blk.ln1Shift, s.normed);
      Kernels.linear(s.normed, rows, dim, blk.attnWeight, blk.attnBias, s.qkv, qkvWidth, false);
      float[] keys = s.keys[l];
      float[] values = s.values[l];
      // Extension steps enter the cache now: later rows of this call attend to them like to older steps.
      for (int r = 0; r < ext; r++) {
        System.arraycopy(s.qkv, r * qkvWidth + dim, keys, (past + r) * dim, dim);
        System.arraycopy(s.qkv, r * qkvWidth + 2 * dim, values, (past + r) * dim, dim);
      }
      for (int r = 0; r < rows; r++) {
        // Extension row r sees the cache up to and including itself; a query or branch step sees the whole
        // cache (old and new), then its own rows, whose keys and values exist only in the qkv scratch.
        int cached = r < ext ? past + r + 1 : past + ext;
        attend(s, r, keys, values, cached, firstOwn[r], scale);
      }
      Kernels.linear(s.attended, rows, dim, blk.projWeight, blk.projBias, x, dim, true);
      Kernels.layerNorm(x, rows, dim, blk.ln2Gain, blk.ln2Shift, s.normed);
      Kernels.linear(s.normed, rows, dim, blk.fcWeight, blk.fcBias, s.hidden, hiddenDim, false);
      Kernels.gelu(s.hidden, rows * hiddenDim);
      Kernels.linear(s.hidden, rows, hiddenDim, blk.outWeight, blk.outBias, x, dim, true);
    }
    s.length = past + ext;
    Kernels.layerNorm(x, rows, dim, finalGain, finalShift, s.normed);
    return outputs(s.normed, call, ext);
  }

  /** {@code x = wte[token] + concat(pos[from], pos[to])}. */
  private void embed(Step step, float[] x, int at) {
    int t = step.token() * dim;
    int from = step.fromPosition() * half;
    int to = step.toPosition() * half;
    for (int i = 0; i < half; i++) {
      x[at + i] = tokenEmbedding[t + i] + positionTable[from + i];
      x[at + half + i] = tokenEmbedding[t + half + i] + positionTable[to + i];
    }
  }

  /**
   * Multi-head attention of row {@code r} over the first {@code cached} cache rows and the new rows
   * {@code firstOwn..r} of the qkv scratch (none when {@code firstOwn > r}).
   */
  private void attend(SequenceCache s, int r, float[] keys, float[] values, int cached, int firstOwn, float scale) {
    float[] qkv = s.qkv;
    float[] scores = s.scores;
    float[] out = s.attended;
    int q = r * 3 * dim;
    int o = r * dim;
    Arrays.fill(out, o, o + dim, 0f);
    for (int h = 0; h < heads; h++) {
      int hq = q + h * headDim;
      int ho = h * headDim;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < cached; j++) {
        float v = Kernels.dot(qkv, hq, keys, j * dim + ho, headDim) * scale;
        scores[j] = v;
        max = Math.max(max, v);
      }
      int seen = cached;
      for (int j = firstOwn; j <= r; j++, seen++) {
        float v = Kernels.dot(qkv, hq, qkv, j * 3 * dim + dim + ho, headDim) * scale;
        scores[seen] = v;
        max = Math.max(max, v);
      }
      double total = 0;
      for (int j = 0; j < seen; j++) {
        float e = (float) Math.exp(scores[j] - max);
        scores[j] = e;
        total += e;
      }
      float norm = (float) (1.0 / total);
      int target = o + ho;
      for (int j = 0; j < cached; j++) {
        Kernels.axpy(scores[j] * norm, values, j * dim + ho, out, target, headDim);
      }
      for (int j = firstOwn, at = cached; j <= r; j++, at++) {
        Kernels.axpy(scores[at] * norm, qkv, j * 3 * dim + 2 * dim + ho, out, target, headDim);
      }
    }
  }

  /** Logits through the tied head for the rows the call asked for, and target log-probabilities. */
  private CallResult outputs(float[] normed, SequenceCall call, int ext) {
    int v = config.vocabSize();
    int emitFrom = call.emitFrom();
    int[] targets = call.targets();
    float[][] extendLogits = new float[Math.max(0, ext - emitFrom)][];
    double[] targetLogProbs = targets == null ? new double[0] : new double[ext];
    int firstOut = targets != null ? 0 : Math.min(emitFrom, ext);
    for (int r = firstOut; r < ext; r++) {
      float[] logits = logits(normed, r);
      if (targets != null) {
        targetLogProbs[r] = targets[r] < 0 ? Double.NaN : LogProbabilities.logSoftmaxAt(logits, 0, v, targets[r]);
      }
      if (r >= emitFrom) {
        extendLogits[r - emitFrom] = logits;
      }
    }
    float[][] queryLogits = new float[call.queries().size()][];
    for (int qi = 0; qi < queryLogits.length; qi++) {
      queryLogits[qi] = logits(normed, ext + qi);
    }
    float[][][] branchLogits = new float[call.branches().size()][][];
    int row = ext + queryLogits.length;
    for (int i = 0; i < branchLogits.length; i++) {
      branchLogits[i] = new float[call.branches().get(i).size()][];
      for (int j = 0; j < branchLogits[i].length; j++) {
        branchLogits[i][j] = logits(normed, row++);
      }
    }
    return new CallResult(extendLogits, queryLogits, targetLogProbs, branchLogits);
  }

  /** The head tied to the token embedding: the first {@code vocabSize} rows of {@code wte}, no bias. */
  private float[] logits(float[] normed, int row) {
    float[] out = new float[config.vocabSize()];
    int at = row * dim;
    for (int t = 0; t < out.length; t++) {
      out[t] = Kernels.dot(tokenEmbedding, t * dim, normed, at, dim);
    }
    return out;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
