package dev.anyorder.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
 * <p>The cache of a batch is a set of physical slots shared by all sequences, with a per-sequence
 * visibility bit. A call appends as many slots as the longest extension in the batch; a sequence sees
 * only its own valid slots, so sequences advance independently and a rollback simply hides slots.
 * Attention does not depend on where a key sits (positions enter through the input embedding), so the
 * physical order of slots is irrelevant and hidden slots cost only memory until {@link
 * DjlDecodeState#compact} reclaims them.
 *
 * <p>One call feeds, per sequence, its new steps then its queries as rows of one forward pass. The mask
 * lets an extension row see the sequence's valid slots and the new rows up to itself, and a query row see
 * the valid slots, all new extension rows and itself only: the exact one-pass conditionals of §3.
 */
public final class DjlNetwork implements Network {
  private final SigmaGpt model;
  private final boolean ownsModel;
  private final NDManager manager;

  /** Wraps a model; when {@code ownsModel} the model is closed with this network. */
  public DjlNetwork(SigmaGpt model, boolean ownsModel) {
    this.model = model;
    this.ownsModel = ownsModel;
    this.manager = model.manager().newSubManager();
  }

  public SigmaGpt model() {
    return model;
  }

  @Override
  public ModelConfig config() {
    return model.config();
  }

  @Override
  public DjlDecodeState newState(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
    return new DjlDecodeState(manager.newSubManager(), batch, model.config().layers());
  }

  @Override
  public List<CallResult> call(DecodeState decodeState, List<SequenceCall> calls) {
    DjlDecodeState state = (DjlDecodeState) decodeState;
    int batch = state.batch();
    if (calls.size() != batch) {
      throw new IllegalArgumentException("got " + calls.size() + " sequence calls for a batch of " + batch);
    }
    ModelConfig c = model.config();
    int maxExtend = 0;
    int maxQueries = 0;
    for (SequenceCall call : calls) {
      for (Step s : call.extend()) {
        s.validate(c);
      }
      for (Step s : call.queries()) {
        s.validate(c);
      }
      maxExtend = Math.max(maxExtend, call.extend().size());
      maxQueries = Math.max(maxQueries, call.queries().size());
    }
    int rows = maxExtend + maxQueries;
    List<CallResult> results = new ArrayList<>(batch);
    if (rows == 0) {
      for (int b = 0; b < batch; b++) {
        results.add(CallResult.EMPTY);
      }
      return results;
    }
    state.compactIfSparse();
    JniUtils.setGradMode(false); // grad mode is per thread; decoding never needs a graph
    int slots = state.slots();
    int keys = slots + rows;
    long[] tokens = new long[batch * rows];
    long[] from = new long[batch * rows];
    long[] to = new long[batch * rows];
    float[] mask = new float[batch * rows * keys];
    Arrays.fill(mask, SigmaGpt.MASKED);
    for (int b = 0; b < batch; b++) {
      SequenceCall call = calls.get(b);
      int ext = call.extend().size();
      for (int r = 0; r < rows; r++) {
        int i = b * rows + r;
        Step s = null;
        if (r < ext) {
          s = call.extend().get(r);
        } else if (r >= maxExtend && r - maxExtend < call.queries().size()) {
          s = call.queries().get(r - maxExtend);
        }
        int base = i * keys;
        if (s == null) {
          mask[base + slots + r] = 0; // padding row: sees itself only, so it stays finite
          continue;
        }
        tokens[i] = s.token();
        from[i] = s.fromPosition();
        to[i] = s.toPosition();
        state.unmaskValid(b, mask, base);
        int visibleNew = r < ext ? r + 1 : ext;
        for (int j = 0; j < visibleNew; j++) {
          mask[base + slots + j] = 0;
        }
        mask[base + slots + r] = 0;
      }
    }
    try (NDManager scope = state.manager().newSubManager()) {
      NDArray tokenArray = OwnedArrays.longs(scope, tokens, new Shape(batch, rows));
      NDArray fromArray = OwnedArrays.longs(scope, from, new Shape(batch, rows));
      NDArray toArray = OwnedArrays.longs(scope, to, new Shape(batch, rows));
      NDArray maskArray = OwnedArrays.floats(scope, mask, new Shape(batch, 1, rows, keys));
      SigmaGpt.Output out = model.forward(tokenArray, fromArray, toArray, state.cache(), maskArray, false);
      if (maxExtend > 0) {
        List<SigmaGpt.KeyValues> kept = new ArrayList<>(c.layers());
        for (SigmaGpt.KeyValues kv : out.fresh()) {
          NDArray k = kv.keys().get("..., :{}, :", maxExtend);
          NDArray v = kv.values().get("..., :{}, :", maxExtend);
          kept.add(new SigmaGpt.KeyValues(k, v));
        }
        int[] added = new int[batch];
        for (int b = 0; b < batch; b++) {
          added[b] = calls.get(b).extend().size();
        }
        state.append(kept, maxExtend, added);
      }
      results = readOutputs(scope, out.hidden(), calls, rows, maxExtend);
    }
    return results;
  }

  private List<CallResult> readOutputs(NDManager scope, NDArray hidden, List<SequenceCall> calls, int rows, int maxExtend) {
    int batch = calls.size();
    int v = model.config().vocabSize();
    List<Long> wanted = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      SequenceCall call = calls.get(b);
      int firstOut = call.targets() != null ? 0 : call.emitFrom();
      for (int r = firstOut; r < call.extend().size(); r++) {
        wanted.add((long) b * rows + r);
      }
      for (int q = 0; q < call.queries().size(); q++) {
        wanted.add((long) b * rows + maxExtend + q);
      }
    }
    float[] logits = new float[0];
    if (!wanted.isEmpty()) {
      long[] idx = wanted.stream().mapToLong(Long::longValue).toArray();
      NDArray flat = hidden.reshape(batch * (long) rows, model.config().dim());
      NDArray picked = Embedding.embedding(OwnedArrays.longs(scope, idx), flat, SparseFormat.DENSE).singletonOrThrow();
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
      results.add(new CallResult(extendLogits, queryLogits, targetLogProbs));
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
