package dev.anyorder.api;

import dev.anyorder.density.GapScorer.GapScore;
import java.util.Arrays;
import java.util.Objects;

/**
 * How probable a text is as a fill of a template with gaps of unknown length
 * (docs/algorithms.md#gaps-of-unknown-length): {@code log p(text | context)}, lengths included, summed over
 * every way the text fits the template (each way is a different choice of gap lengths, so a distinct event),
 * with the most probable way and its score. The content is scored left to right.
 *
 * @param logProb {@code log} of the summed probability of every way the text fits
 * @param alignments how many ways the text fits the template
 * @param lengths the gap lengths of the most probable way
 * @param best the score of the most probable way: its lengths' and its content's log-probability
 */
public record FillScore(double logProb, int alignments, int[] lengths, GapScore best) {
  public FillScore {
    Objects.requireNonNull(best, "best");
    lengths = lengths.clone();
    if (alignments < 1) {
      throw new IllegalArgumentException("a fill score needs at least one way the text fits, got " + alignments);
    }
  }

  @Override
  public int[] lengths() {
    return lengths.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FillScore f && Double.compare(logProb, f.logProb) == 0 && alignments == f.alignments
        && Arrays.equals(lengths, f.lengths) && best.equals(f.best);
  }

  @Override
  public int hashCode() {
    return Objects.hash(logProb, alignments, best) * 31 + Arrays.hashCode(lengths);
  }

  @Override
  public String toString() {
    return "FillScore[logProb=" + logProb + ", alignments=" + alignments + ", lengths=" + Arrays.toString(lengths) + "]";
  }
}
