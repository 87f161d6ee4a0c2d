package dev.anyorder.sampling;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The naive definition of every part of a {@link Network#call}, for tests: each sequence's fed steps are
 * remembered, and every extension, query and branch is answered by its own cache-free pass over that
 * history plus the new steps (one pass per query and per branch). A sampler run on it must make the same
 * choices as on the wrapped network, whose cached, batched calls (shared prefixes, query rows) claim to
 * compute the same numbers.
 */
final class SeparatePassesNetwork implements Network {
  private final Network inner;
  private int passes;

  SeparatePassesNetwork(Network inner) {
    this.inner = inner;
  }

  /** Cache-free passes made so far. */
  int passes() {
    return passes;
  }

  @Override
  public ModelConfig config() {
    return inner.config();
  }

  @Override
  public DecodeState newState(int batch) {
    return new History(batch);
  }

  @Override
  public List<CallResult> call(DecodeState state, List<SequenceCall> calls) {
    History h = (History) state;
    List<CallResult> results = new ArrayList<>();
    for (int b = 0; b < calls.size(); b++) {
      SequenceCall call = calls.get(b);
      if (call.isEmpty()) {
        results.add(CallResult.EMPTY);
        continue;
      }
      List<Step> fed = h.steps.get(b);
      int ext = call.extend().size();
      float[][] extension = pass(fed, call.extend());
      float[][] extendLogits = Arrays.copyOfRange(extension, Math.min(call.emitFrom(), ext), ext);
      double[] targetLogProbs = new double[0];
      if (call.targets() != null) {
        targetLogProbs = new double[ext];
        for (int r = 0; r < ext; r++) {
          int t = call.targets()[r];
          targetLogProbs[r] = t < 0 ? Double.NaN : dev.anyorder.model.LogProbabilities.logSoftmax(extension[r])[t];
        }
      }
      List<Step> prefix = new ArrayList<>(fed);
      prefix.addAll(call.extend());
      float[][] queryLogits = new float[call.queries().size()][];
      for (int q = 0; q < queryLogits.length; q++) {
        queryLogits[q] = pass(prefix, List.of(call.queries().get(q)))[0];
      }
      float[][][] branchLogits = new float[call.branches().size()][][];
      for (int i = 0; i < branchLogits.length; i++) {
        branchLogits[i] = pass(prefix, call.branches().get(i));
      }
      fed.addAll(call.extend());
      if (call.commitFirstQuery()) {
        fed.add(call.queries().get(0));
      }
      results.add(new CallResult(extendLogits, queryLogits, targetLogProbs, branchLogits));
    }
    return results;
  }

  /** Logits of {@code tail} after {@code history}, from one pass over both in a fresh state. */
  private float[][] pass(List<Step> history, List<Step> tail) {
    if (tail.isEmpty()) {
      return new float[0][];
    }
    List<Step> all = new ArrayList<>(history);
    all.addAll(tail);
    passes++;
    try (DecodeState s = inner.newState(1)) {
      return inner.call(s, List.of(SequenceCall.extend(all, tail.size()))).get(0).extendLogits();
    }
  }

  @Override
  public void close() {}

  private static final class History implements DecodeState {
    final List<List<Step>> steps = new ArrayList<>();

    History(int batch) {
      for (int b = 0; b < batch; b++) {
        steps.add(new ArrayList<>());
      }
    }

    @Override
    public int batch() {
      return steps.size();
    }

    @Override
    public int length(int b) {
      return steps.get(b).size();
    }

    @Override
    public void rollback(int b, int n) {
      List<Step> s = steps.get(b);
      if (n < 0 || n > s.size()) {
        throw new IllegalArgumentException("cannot roll back " + n + " of " + s.size());
      }
      s.subList(s.size() - n, s.size()).clear();
    }

    @Override
    public void close() {}
  }
}
