package dev.anyorder.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.pytorch.jni.JniUtils;
import dev.anyorder.model.DecodeState;
import dev.anyorder.model.LogProbabilities;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Network} on DJL with the PyTorch engine.
 *
 * <p>Each sequence of a batch owns one row of a preallocated cache ({@link DjlDecodeState}) and its own
 * length, so sequences advance independently and a rollback only shortens a length. One call feeds, per
 * sequence, its new rows in the order extension steps, queries, branch steps (padded to the longest
 * sequence of the call) through one forward pass. Every block writes the new rows' keys and values in
 * place behind each sequence's valid slots and attends to the first {@code longest + rows} slots; the
 * mask decides what each row sees. Row {@code r} of sequence {@code b} sees slot {@code s} when, with
 * {@code o = s - length(b)}, {@code o < hi(r)} or {@code lo(r) <= o <= r}:
 *
 * <ul>
 *   <li>an extension row: {@code hi = r + 1}, {@code lo = r + 1} (the valid cache and the new steps up to itself);
 *   <li>a query: {@code hi = ext}, {@code lo = r} (the cache, all extension steps and itself: the exact
 *       one-pass conditionals of docs/algorithms.md#one-pass-conditionals);
 *   <li>a branch step: {@code hi = ext}, {@code lo} = the branch's first row (its own earlier steps);
 *   <li>padding: {@code hi = 0}, {@code lo = r} (itself only, so it stays finite).
 * </ul>
 *
 * <p>Positions enter through the input embedding, so where a key sits does not matter to attention. The
 * mask is computed on the engine from the state's slot index and three numbers per row; nothing of size
 * {@code rows × slots} crosses from Java.
 */
public final class DjlNetwork implements Network {
  private final SigmaGpt model;
  private final boolean ownsModel;
  private final NDManager manager;
  /** What a masked score gets added: a PyTorch-owned scalar made once. */
  private final NDArray masked;

  /** Wraps a model; when {@code ownsModel} the model is closed with this network. */
  public DjlNetwork(SigmaGpt model, boolean ownsModel) {
    this.model = model;
    this.ownsModel = ownsModel;
    this.manager = model.manager().newSubManager();
    this.masked = OwnedArrays.scalar(manager, SigmaGpt.MASKED);
  }

  public SigmaGpt model() {
    return model;
  }

  @Override
  public ModelConfig config() {
    return model.config();
  }

  /** The manager every decode state of this network allocates under (its arrays are counted in tests). */
  public NDManager manager() {
    return manager;
  }

  @Override
  public DjlDecodeState newState(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
    return new DjlDecodeState(manager.newSubManager(), batch, model.config());
  }

  @Override
  public List<CallResult> call(DecodeState decodeState, List<SequenceCall> calls) {
    DjlDecodeState state = (DjlDecodeState) decodeState;
    int batch = state.batch();
    if (calls.size() != batch) {
      throw new IllegalArgumentException("got " + calls.size() + " sequence calls for a batch of " + batch);
    }
    ModelConfig c = model.config();
    int rows = 0;
    for (SequenceCall call : calls) {
      for (Step s : call.extend()) {
        s.validate(c);
      }
      for (Step s : call.queries()) {
        s.validate(c);
      }
      for (List<Step> branch : call.branches()) {
        for (Step s : branch) {
          s.validate(c);
        }
      }
      rows = Math.max(rows, call.rows());
    }
    List<CallResult> results = new ArrayList<>(batch);
    if (rows == 0) {
      for (int b = 0; b < batch; b++) {
        results.add(CallResult.EMPTY);
      }
      return results;
    }
    JniUtils.setGradMode(false); // grad mode is per thread; decoding never needs a graph
    int longest = state.longest();
    int width = longest + rows;
    state.reserve(width, c.maxLength() + rows);
    int capacity = state.capacity();
    int heads = state.heads();
    long[] tokens = new long[batch * rows];
    long[] from = new long[batch * rows];
    long[] to = new long[batch * rows];
    long[] lengths = new long[batch];
    long[] hi = new long[batch * rows];
    long[] lo = new long[batch * rows];
    long[] self = new long[batch * rows];
    long[] write = new long[batch * heads * rows];
    for (int b = 0; b < batch; b++) {
      SequenceCall call = calls.get(b);
      int ext = call.extend().size();
      int queries = call.queries().size();
      lengths[b] = state.length(b);
      for (int r = 0; r < rows; r++) {
        int i = b * rows + r;
        self[i] = r;
        hi[i] = 0;
        lo[i] = r;
      }
      int r = 0;
      for (Step s : call.extend()) {
        put(tokens, from, to, b * rows + r, s);
        hi[b * rows + r] = r + 1;
        lo[b * rows + r] = r + 1;
        r++;
      }
      for (Step s : call.queries()) {
        put(tokens, from, to, b * rows + r, s);
        hi[b * rows + r] = ext;
        r++;
      }
      for (List<Step> branch : call.branches()) {
        int first = r;
        for (Step s : branch) {
          put(tokens, from, to, b * rows + r, s);
          hi[b * rows + r] = ext;
          lo[b * rows + r] = first;
          r++;
        }
      }
      assert r == ext + queries + call.branchSteps();
      for (int h = 0; h < heads; h++) {
        long base = ((long) b * heads + h) * capacity + state.length(b);
        for (int j = 0; j < rows; j++) {
          write[(b * heads + h) * rows + j] = base + j;
        }
      }
    }
    try (NDManager scope = state.manager().newSubManager()) {
      Shape rowShape = new Shape(batch, rows);
      NDArray tokenArray = OwnedArrays.longs(scope, tokens, rowShape);
      NDArray fromArray = OwnedArrays.longs(scope, from, rowShape);
      NDArray toArray = OwnedArrays.longs(scope, to, rowShape);
      Shape perRow = new Shape(batch, 1, rows, 1);
      NDArray offset = state.slots(width, scope).reshape(1, 1, 1, width).sub(OwnedArrays.longs(scope, lengths, new Shape(batch, 1, 1, 1)));
      NDArray visible = offset.lt(OwnedArrays.longs(scope, hi, perRow))
          .logicalOr(offset.gte(OwnedArrays.longs(scope, lo, perRow)).logicalAnd(offset.lte(OwnedArrays.longs(scope, self, perRow))));
      NDArray mask = visible.logicalNot().toType(DataType.FLOAT32, false).mul(masked);
      NDIndex writeIndex = new NDIndex("{}", OwnedArrays.longs(scope, write));
      SigmaGpt.KeyValueCache cache = (layer, fresh) -> state.store(layer, fresh, writeIndex, width, scope);
      SigmaGpt.Output out = model.forward(tokenArray, fromArray, toArray, cache, mask, false);
      for (int b = 0; b < batch; b++) {
        // A committed first query was written right behind the extension, where the next step belongs.
        state.advance(b, calls.get(b).cachedSteps());
      }
      results = readOutputs(scope, out.hidden(), calls, rows);
    }
    return results;
  }

  private static void put(long[] tokens, long[] from, long[] to, int i, Step s) {
    tokens[i] = s.token();
    from[i] = s.fromPosition();
    to[i] = s.toPosition();
  }

  /** Logits of the rows the calls asked for, in one head evaluation, split back per sequence. */
  private List<CallResult> readOutputs(NDManager scope, NDArray hidden, List<SequenceCall> calls, int rows) {
    int batch = calls.size();
    int v = model.config().vocabSize();
    int wantedCount = 0;
    for (SequenceCall call : calls) {
      int firstOut = call.targets() != null ? 0 : Math.min(call.emitFrom(), call.extend().size());
      wantedCount += call.rows() - firstOut;
    }
    long[] wanted = new long[wantedCount];
    int w = 0;
    for (int b = 0; b < batch; b++) {
      SequenceCall call = calls.get(b);
      int firstOut = call.targets() != null ? 0 : Math.min(call.emitFrom(), call.extend().size());
      for (int r = firstOut; r < call.rows(); r++) {
        wanted[w++] = (long) b * rows + r;
      }
    }
    float[] logits = new float[0];
    if (wanted.length > 0) {
      NDArray flat = hidden.reshape(batch * (long) rows, model.config().dim());
      NDArray picked = Embedding.embedding(OwnedArrays.longs(scope, wanted), flat, SparseFormat.DENSE).singletonOrThrow();
      logits = model.logits(picked).toType(DataType.FLOAT32, false).toFloatArray();
    }
    List<CallResult> results = new ArrayList<>(batch);
    int row = 0;
    for (int b = 0; b < batch; b++) {
      SequenceCall call = calls.get(b);
      int ext = call.extend().size();
      int firstOut = call.targets() != null ? 0 : Math.min(call.emitFrom(), ext);
      double[] targetLogProbs = new double[0];
      if (call.targets() != null) {
        targetLogProbs = new double[ext];
        for (int r = 0; r < ext; r++) {
          int target = call.targets()[r];
          targetLogProbs[r] = target < 0 ? Double.NaN : LogProbabilities.logSoftmaxAt(logits, (row + r) * v, v, target);
        }
      }
      float[][] extendLogits = new float[Math.max(0, ext - call.emitFrom())][];
      for (int r = call.emitFrom(); r < ext; r++) {
        int at = row + r - firstOut;
        extendLogits[r - call.emitFrom()] = Arrays.copyOfRange(logits, at * v, (at + 1) * v);
      }
      row += ext - firstOut;
      float[][] queryLogits = new float[call.queries().size()][];
      for (int q = 0; q < queryLogits.length; q++, row++) {
        queryLogits[q] = Arrays.copyOfRange(logits, row * v, (row + 1) * v);
      }
      float[][][] branchLogits = new float[call.branches().size()][][];
      for (int i = 0; i < branchLogits.length; i++) {
        branchLogits[i] = new float[call.branches().get(i).size()][];
        for (int s = 0; s < branchLogits[i].length; s++, row++) {
          branchLogits[i][s] = Arrays.copyOfRange(logits, row * v, (row + 1) * v);
        }
      }
      results.add(new CallResult(extendLogits, queryLogits, targetLogProbs, branchLogits));
    }
    return results;
  }

  @Override
  public void close() {
    manager.close();
    if (ownsModel) {
      model.close();
    }
  }
}
