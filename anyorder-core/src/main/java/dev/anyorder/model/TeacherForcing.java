package dev.anyorder.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a sequence and an order into the steps and targets of one teacher-forced pass (σ-GPT,
 * docs/algorithms.md#teacher-forcing). This is the only place that knows how a shuffled sequence is laid out, so training,
 * scoring and sampling agree by construction; the left-to-right model is this with the identity order.
 *
 * <p>With a start slot, step {@code t} carries {@code x[σ(t-1)]} at {@code σ(t-1)} (the start token at
 * "none" for {@code t = 0}) and predicts {@code x[σ(t)]}: {@code N} steps for {@code N} tokens. Without
 * one (models from the published code), step {@code t} carries {@code x[σ(t)]} and predicts
 * {@code x[σ(t+1)]}: {@code N-1} steps, and the first token is never predicted.
 */
public final class TeacherForcing {
  private TeacherForcing() {}

  /** The steps that feed {@code tokens} in {@code order}. */
  public static List<Step> steps(ModelConfig c, int[] tokens, int[] order) {
    checkOrder(c, tokens, order);
    int n = order.length;
    List<Step> steps = new ArrayList<>(n);
    if (c.startSlot()) {
      for (int t = 0; t < n; t++) {
        steps.add(t == 0
            ? new Step(c.startToken(), c.nonePosition(), order[0])
            : new Step(tokens[order[t - 1]], order[t - 1], order[t]));
      }
    } else {
      for (int t = 0; t + 1 < n; t++) {
        steps.add(new Step(tokens[order[t]], order[t], order[t + 1]));
      }
    }
    return steps;
  }

  /** The token each step of {@link #steps} predicts. */
  public static int[] targets(ModelConfig c, int[] tokens, int[] order) {
    checkOrder(c, tokens, order);
    int first = c.startSlot() ? 0 : 1;
    int[] targets = new int[Math.max(0, order.length - first)];
    for (int t = first; t < order.length; t++) {
      targets[t - first] = tokens[order[t]];
    }
    return targets;
  }

  private static void checkOrder(ModelConfig c, int[] tokens, int[] order) {
    if (tokens.length > c.maxLength()) {
      throw new IllegalArgumentException("sequence length " + tokens.length + " exceeds the model's maximum " + c.maxLength());
    }
    boolean[] seen = new boolean[tokens.length];
    for (int p : order) {
      if (p < 0 || p >= tokens.length) {
        throw new IllegalArgumentException("order names position " + p + ", outside 0.." + (tokens.length - 1));
      }
      if (seen[p]) {
        throw new IllegalArgumentException("order names position " + p + " twice");
      }
      seen[p] = true;
    }
    for (int t : tokens) {
      if (t < 0 || t >= c.vocabSize()) {
        throw new IllegalArgumentException("token id " + t + " is outside the vocabulary (0.." + (c.vocabSize() - 1) + ")");
      }
    }
  }
}
