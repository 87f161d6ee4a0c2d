package dev.anyorder.sampling;

/**
 * The zero-evaluation drafter of {@link SpeculativeSampler}: a positional bigram table built from the
 * sequence's own known and committed tokens (and the drafts already made in the current window), after the
 * n-gram drafters of prompt-lookup decoding. It needs no network call, so a speculative round with it
 * costs one evaluation.
 *
 * <p>For position {@code j}: if {@code j-1} is filled with {@code a}, the counts of tokens that follow
 * {@code a} in the sequence; else if {@code j+1} is filled with {@code b}, the counts of tokens that
 * precede {@code b}; else the unigram counts. Every count gets {@link #SMOOTHING} added, so the draft
 * distribution has full support over the vocabulary, which speculative sampling needs to stay exact
 * (the acceptance ratio {@code p/q} must be defined wherever {@code p > 0}).
 */
final class NgramDrafter {
  /** Add-one-half smoothing: full support, and a table learned from a handful of tokens still counts. */
  static final double SMOOTHING = 0.5;

  private NgramDrafter() {}

  /** The draft distribution for {@code position}, given {@code context} (-1 where unknown). */
  static TokenDistribution draft(int[] context, int position, int vocabSize) {
    int n = context.length;
    int left = position > 0 ? context[position - 1] : -1;
    int right = position + 1 < n ? context[position + 1] : -1;
    double[] w = new double[vocabSize];
    java.util.Arrays.fill(w, SMOOTHING);
    for (int i = 0; i < n; i++) {
      int t = context[i];
      if (t < 0) {
        continue;
      }
      if (left >= 0) {
        if (i > 0 && context[i - 1] == left) {
          w[t] += 1;
        }
      } else if (right >= 0) {
        if (i + 1 < n && context[i + 1] == right) {
          w[t] += 1;
        }
      } else {
        w[t] += 1;
      }
    }
    return TokenDistribution.normalized(w);
  }
}
