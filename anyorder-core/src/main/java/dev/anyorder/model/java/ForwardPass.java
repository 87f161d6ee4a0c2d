package dev.anyorder.model.java;

import dev.anyorder.model.LogProbabilities;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.Step;
import java.util.Arrays;
import java.util.List;

/**
 * The forward pass of the pure-Java runtime over all the rows of a group of sequences at once, with the
 * activation buffers it reuses from call to call. Each decode state owns one, so a decode loop allocates
 * its activations once and then only the result arrays the {@link dev.anyorder.model.Network} interface
 * returns.
 *
 * <p>All rows of all sequences (extension steps and queries) are stacked into one matrix, so every linear
 * layer is one matrix product that reads each weight once for the whole call; only attention looks at
 * each row's own sequence. Matrix products are split across the {@link WorkerTeam} by output panels and
 * attention by (row, head), so that each output element is computed by exactly one thread in a fixed
 * order: results do not depend on the number of threads or on which rows share a call.
 */
final class ForwardPass {
  /**
   * When a matrix product or attention is worth splitting across the team. Waking a parked worker can
   * take hundreds of microseconds on a virtual machine (measured: an eight-row call of the KJV model took
   * 1.5 ms on two threads against 0.25 ms on one), so a product is split only when it is long enough to
   * pay for that: at least {@code minMacs} multiply-adds (2^21, about 70 µs on one core), or a weight of
   * at least {@code minWeights} elements (2^18, 1 MB of float32), which the call must stream from memory.
   */
  record Thresholds(long minMacs, long minWeights, long minAttention) {
    static final Thresholds DEFAULT = new Thresholds(1L << 21, 1L << 18, 1L << 18);
    /** Split everything a team can split: the tests use it to check that splitting changes no number. */
    static final Thresholds NONE = new Thresholds(0, 0, 0);
  }

  private static final float[][] NO_ROWS = new float[0][];
  private static final double[] NO_LOG_PROBS = new double[0];

  private final PackedWeights w;
  private final WorkerTeam team;
  private final int threads;
  private final int dim;
  private final int heads;
  private final int headDim;
  private final int hiddenDim;
  private final int half;
  private final int vocab;

  // The rows of the group being evaluated.
  private SequenceCache[] caches;
  private int rows;
  private int[] rowSequence = new int[0];
  /** Cache positions row r attends to: an extension row sees itself there, a query does not. */
  private int[] rowVisible = new int[0];
  private boolean[] rowQuery = new boolean[0];
  /** A query whose keys and values also enter its sequence's cache (the call's commitFirstQuery). */
  private boolean[] rowCommitted = new boolean[0];

  // Activations, row-major [rows][width]; grown only when a call has more rows than any before.
  private float[] x = new float[0];
  private float[] normed = new float[0];
  private float[] qkv = new float[0];
  private float[] attended = new float[0];
  private float[] hidden = new float[0];
  private float[] logits = new float[0];
  /** Per part of a split job: attention scores over the whole cache plus a query's own key. */
  private final float[][] scores;
  /** Per part: the running sums of a matrix product's tile before they are stored. */
  private final float[][] strips;

  private final Thresholds thresholds;
  private final MatmulJob matmul = new MatmulJob();
  private final AttentionJob attention = new AttentionJob();

  ForwardPass(PackedWeights weights, WorkerTeam team, Thresholds thresholds) {
    this.w = weights;
    this.team = team;
    this.thresholds = thresholds;
    this.threads = team == null ? 1 : team.size();
    this.dim = weights.config.dim();
    this.heads = weights.config.heads();
    this.headDim = weights.config.headDim();
    this.hiddenDim = weights.config.mlpRatio() * dim;
    this.half = dim / 2;
    this.vocab = weights.config.vocabSize();
    this.scores = new float[threads][weights.config.maxLength() + 1];
    this.strips = new float[threads][weights.vector ? 4 * VectorKernels.PANEL_WIDTH : Kernels.PANEL_WIDTH];
  }

  /** Rows that sequence call {@code call} puts through the network. */
  static int rows(SequenceCall call) {
    return call.extend().size() + call.queries().size();
  }

  /**
   * Evaluates {@code calls[from..to)} against {@code caches[from..to)}, which must have room for their
   * extensions (the caller checked), and stores their results in {@code results}.
   */
  void evaluate(SequenceCache[] caches, List<SequenceCall> calls, int from, int to, CallResult[] results) {
    this.caches = caches;
    int total = 0;
    int outputs = 0;
    for (int b = from; b < to; b++) {
      SequenceCall call = calls.get(b);
      total += rows(call);
      outputs += outputRows(call);
    }
    rows = total;
    ensure(total);
    int r = 0;
    for (int b = from; b < to; b++) {
      SequenceCall call = calls.get(b);
      List<Step> extend = call.extend();
      List<Step> queries = call.queries();
      SequenceCache cache = caches[b];
      int past = cache.length;
      if (!extend.isEmpty()) {
        cache.allocate();
      }
      for (int i = 0; i < extend.size(); i++, r++) {
        embed(extend.get(i), r);
        rowSequence[r] = b;
        rowVisible[r] = past + i + 1;
        rowQuery[r] = false;
        rowCommitted[r] = false;
      }
      if (call.commitFirstQuery() && extend.isEmpty()) {
        cache.allocate();
      }
      for (int i = 0; i < queries.size(); i++, r++) {
        embed(queries.get(i), r);
        rowSequence[r] = b;
        rowVisible[r] = past + extend.size();
        rowQuery[r] = true;
        rowCommitted[r] = i == 0 && call.commitFirstQuery();
      }
    }
    int qkvWidth = 3 * dim;
    for (int l = 0; l < w.blocks.length; l++) {
      PackedWeights.Block blk = w.blocks[l];
      for (r = 0; r < rows; r++) {
        Kernels.layerNorm(x, r * dim, dim, blk.ln1Gain(), blk.ln1Shift(), normed, r * dim);
      }
      multiply(normed, rows, blk.attn(), qkv, false, false);
      // Extension steps enter the cache now: later rows of this call attend to them like to older steps.
      for (r = 0; r < rows; r++) {
        if (!rowQuery[r]) {
          caches[rowSequence[r]].write(l, rowVisible[r] - 1, qkv, r * qkvWidth + dim, r * qkvWidth + 2 * dim);
        } else if (rowCommitted[r]) {
          // Behind every row's visible slots, so no row of this call sees it; the length grows after the call.
          caches[rowSequence[r]].write(l, rowVisible[r], qkv, r * qkvWidth + dim, r * qkvWidth + 2 * dim);
        }
      }
      attend(l);
      multiply(attended, rows, blk.proj(), x, true, false);
      for (r = 0; r < rows; r++) {
        Kernels.layerNorm(x, r * dim, dim, blk.ln2Gain(), blk.ln2Shift(), normed, r * dim);
      }
      multiply(normed, rows, blk.fc(), hidden, false, true);
      multiply(hidden, rows, blk.out(), x, true, false);
    }
    // Only the rows whose logits the calls asked for go through the final LayerNorm and the head.
    int k = 0;
    r = 0;
    for (int b = from; b < to; b++) {
      SequenceCall call = calls.get(b);
      int ext = call.extend().size();
      caches[b].length += call.cachedSteps();
      for (int i = firstOutput(call); i < ext; i++) {
        Kernels.layerNorm(x, (r + i) * dim, dim, w.finalGain, w.finalShift, normed, k++ * dim);
      }
      for (int i = 0; i < call.queries().size(); i++) {
        Kernels.layerNorm(x, (r + ext + i) * dim, dim, w.finalGain, w.finalShift, normed, k++ * dim);
      }
      r += rows(call);
    }
    multiply(normed, outputs, w.head, logits, false, false);
    k = 0;
    for (int b = from; b < to; b++) {
      SequenceCall call = calls.get(b);
      results[b] = result(call, k);
      k += outputRows(call);
    }
    this.caches = null;
  }

  /** The first extension step whose logits are needed: all of them when scoring targets. */
  private static int firstOutput(SequenceCall call) {
    int ext = call.extend().size();
    return call.targets() != null ? 0 : Math.min(call.emitFrom(), ext);
  }

  private static int outputRows(SequenceCall call) {
    return call.extend().size() - firstOutput(call) + call.queries().size();
  }

  /** {@code x = wte[token] + concat(pos[from], pos[to])}. */
  private void embed(Step step, int row) {
    int at = row * dim;
    int t = step.token() * dim;
    int from = step.fromPosition() * half;
    int to = step.toPosition() * half;
    float[] wte = w.tokenEmbedding;
    float[] pos = w.positionTable;
    for (int i = 0; i < half; i++) {
      x[at + i] = wte[t + i] + pos[from + i];
      x[at + half + i] = wte[t + half + i] + pos[to + i];
    }
  }

  private void ensure(int needed) {
    if (rowSequence.length >= needed) {
      return;
    }
    int n = Math.max(needed, 2 * rowSequence.length);
    rowSequence = new int[n];
    rowVisible = new int[n];
    rowQuery = new boolean[n];
    rowCommitted = new boolean[n];
    x = new float[n * dim];
    normed = new float[n * dim];
    attended = new float[n * dim];
    qkv = new float[n * 3 * dim];
    hidden = new float[n * hiddenDim];
    logits = new float[n * vocab];
  }

  /** {@code y (+)= in·mᵀ + bias}, with GELU applied to the result when {@code gelu}. */
  private void multiply(float[] in, int count, PackedMatrix m, float[] y, boolean accumulate, boolean gelu) {
    if (count == 0) {
      return;
    }
    MatmulJob job = matmul;
    job.in = in;
    job.rows = count;
    job.m = m;
    job.y = y;
    job.accumulate = accumulate;
    job.gelu = gelu;
    long macs = (long) count * m.in * m.out;
    boolean large = macs >= thresholds.minMacs() || (long) m.in * m.out >= thresholds.minWeights();
    int parts = team == null || !large ? 1 : Math.min(threads, m.panels());
    if (parts == 1) {
      job.run(0, 1);
    } else {
      team.run(job, parts);
    }
    job.in = null;
    job.y = null;
  }

  private void attend(int layer) {
    long work = 0;
    for (int r = 0; r < rows; r++) {
      work += rowVisible[r];
    }
    work *= dim;
    attention.layer = layer;
    int units = rows * heads;
    int parts = team == null || work < thresholds.minAttention() ? 1 : Math.min(threads, units);
    if (parts == 1) {
      attention.run(0, 1);
    } else {
      team.run(attention, parts);
    }
  }

  private CallResult result(SequenceCall call, int k) {
    if (call.isEmpty()) {
      return CallResult.EMPTY;
    }
    int ext = call.extend().size();
    int emitFrom = call.emitFrom();
    int[] targets = call.targets();
    int emitted = Math.max(0, ext - emitFrom);
    float[][] extendLogits = emitted == 0 ? NO_ROWS : new float[emitted][];
    double[] targetLogProbs = targets == null || ext == 0 ? NO_LOG_PROBS : new double[ext];
    for (int i = firstOutput(call); i < ext; i++, k++) {
      int at = k * vocab;
      if (targets != null) {
        targetLogProbs[i] = targets[i] < 0 ? Double.NaN : LogProbabilities.logSoftmaxAt(logits, at, vocab, targets[i]);
      }
      if (i >= emitFrom) {
        extendLogits[i - emitFrom] = Arrays.copyOfRange(logits, at, at + vocab);
      }
    }
    int queries = call.queries().size();
    float[][] queryLogits = queries == 0 ? NO_ROWS : new float[queries][];
    for (int q = 0; q < queries; q++, k++) {
      queryLogits[q] = Arrays.copyOfRange(logits, k * vocab, (k + 1) * vocab);
    }
    return new CallResult(extendLogits, queryLogits, targetLogProbs);
  }

  /** One matrix product, split by output panels. */
  private final class MatmulJob implements WorkerTeam.Job {
    float[] in;
    int rows;
    PackedMatrix m;
    float[] y;
    boolean accumulate;
    boolean gelu;

    @Override
    public void run(int part, int parts) {
      int panels = m.panels();
      int first = (int) ((long) panels * part / parts);
      int end = (int) ((long) panels * (part + 1) / parts);
      if (first == end) {
        return;
      }
      if (w.vector) {
        VectorKernels.matmul(in, rows, m, y, accumulate, first, end, strips[part]);
      } else {
        Kernels.matmul(in, rows, m, y, accumulate, first, end, strips[part]);
      }
      if (gelu && w.vector) {
        VectorKernels.gelu(y, rows, m.out, m.start(first), Math.min(m.out, m.start(end)));
      } else if (gelu) {
        Kernels.gelu(y, rows, m.out, m.start(first), Math.min(m.out, m.start(end)));
      }
    }
  }

  /**
   * Multi-head attention of every row over its own sequence's cache, split by (row, head). An extension
   * row sees the cache up to and including itself; a query sees the whole cache (old steps and this call's
   * extension) and then itself, whose key and value exist only in the qkv buffer.
   */
  private final class AttentionJob implements WorkerTeam.Job {
    int layer;

    @Override
    public void run(int part, int parts) {
      int units = rows * heads;
      int first = (int) ((long) units * part / parts);
      int end = (int) ((long) units * (part + 1) / parts);
      float[] sc = scores[part];
      int qkvWidth = 3 * dim;
      for (int u = first; u < end; u++) {
        int r = u / heads;
        int h = u % heads;
        SequenceCache cache = caches[rowSequence[r]];
        int visible = rowVisible[r];
        boolean self = rowQuery[r];
        int q = r * qkvWidth + h * headDim;
        float[] keys = visible == 0 ? sc : cache.keys[layer];
        float[] values = visible == 0 ? sc : cache.values[layer];
        int out = r * dim + h * headDim;
        if (w.vector) {
          VectorKernels.scores(qkv, q, keys, h * headDim * cache.capacity, cache.capacity, visible, headDim, sc);
          if (self) {
            sc[visible] = VectorKernels.dot(qkv, q, qkv, q + dim, headDim);
          }
        } else {
          Kernels.scores(qkv, q, keys, h * headDim * cache.capacity, cache.capacity, visible, headDim, sc);
          if (self) {
            sc[visible] = Kernels.dot(qkv, q, qkv, q + dim, headDim);
          }
        }
        Kernels.softmax(sc, self ? visible + 1 : visible, w.scale);
        if (w.vector) {
          VectorKernels.weightedValues(sc, visible, values, h * headDim, dim, headDim, self, qkv, q + 2 * dim, attended, out);
        } else {
          Kernels.weightedValues(sc, visible, values, h * headDim, dim, headDim, self, qkv, q + 2 * dim, attended, out);
        }
      }
    }
  }
}
