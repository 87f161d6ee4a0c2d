package dev.anyorder.density;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A complete sequence to score, which of its positions are known (conditioning) and the order in which
 * the targets are predicted. Known positions are fed first in increasing position order, as every
 * sampler does, so a sampler's output and its score describe the same factorization.
 *
 * @param tokens the whole sequence
 * @param known which positions are given
 * @param targetOrder every target (non-known) position exactly once
 */
public record ScoreRequest(int[] tokens, boolean[] known, int[] targetOrder) {

  public ScoreRequest {
    if (tokens == null || tokens.length == 0) {
      throw new IllegalArgumentException("tokens must hold at least one token");
    }
    if (known == null || known.length != tokens.length) {
      throw new IllegalArgumentException("known must have one flag per token (" + tokens.length + ")");
    }
    tokens = tokens.clone();
    known = known.clone();
    targetOrder = targetOrder.clone();
    boolean[] k = known;
    int[] targets = IntStream.range(0, tokens.length).filter(i -> !k[i]).toArray();
    int[] sorted = targetOrder.clone();
    Arrays.sort(sorted);
    if (!Arrays.equals(sorted, targets)) {
      throw new IllegalArgumentException("targetOrder " + Arrays.toString(targetOrder)
          + " must list every target position exactly once; the targets are " + Arrays.toString(targets));
    }
  }

  /** Every position a target, in {@code order}. */
  public static ScoreRequest unconditional(int[] tokens, int[] order) {
    return new ScoreRequest(tokens, new boolean[tokens.length], order);
  }

  /** Known positions ascending, then the targets: the full order of the teacher-forced pass. */
  public int[] fullOrder() {
    int[] order = new int[tokens.length];
    int t = 0;
    for (int i = 0; i < tokens.length; i++) {
      if (known[i]) {
        order[t++] = i;
      }
    }
    for (int p : targetOrder) {
      order[t++] = p;
    }
    return order;
  }

  @Override
  public int[] tokens() {
    return tokens.clone();
  }

  @Override
  public boolean[] known() {
    return known.clone();
  }

  @Override
  public int[] targetOrder() {
    return targetOrder.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScoreRequest r && Arrays.equals(tokens, r.tokens) && Arrays.equals(known, r.known)
        && Arrays.equals(targetOrder, r.targetOrder);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tokens) * 31 + Arrays.hashCode(targetOrder);
  }

  @Override
  public String toString() {
    return "ScoreRequest[tokens=" + Arrays.toString(tokens) + ", known=" + Arrays.toString(known) + ", targetOrder="
        + Arrays.toString(targetOrder) + "]";
  }
}
