package dev.anyorder.sampling;

import java.util.Arrays;

/**
 * One fill of a {@link GapRequest}: the length chosen for each gap of unknown length and the content
 * sampled once those lengths were fixed (docs/algorithms.md#gaps-of-unknown-length).
 *
 * @param lengths the length of each gap of unknown length, in text order
 * @param lengthLogProb {@code log p(lengths | context)}
 * @param content the filled sequence, the gaps expanded to their lengths, with how it was sampled
 * @param spans {@code [start, end)} of each gap of unknown length in {@code content.tokens()}
 * @param nfe network evaluations this fill took part in: one per gap for the lengths, plus the content's
 */
public record GapFill(int[] lengths, double lengthLogProb, Sample content, int[][] spans, int nfe) {
  public GapFill {
    lengths = lengths.clone();
    spans = Arrays.stream(spans).map(int[]::clone).toArray(int[][]::new);
    if (spans.length != lengths.length) {
      throw new IllegalArgumentException(spans.length + " spans for " + lengths.length + " gaps");
    }
  }

  @Override
  public int[] lengths() {
    return lengths.clone();
  }

  @Override
  public int[][] spans() {
    return Arrays.stream(spans).map(int[]::clone).toArray(int[][]::new);
  }

  /** The whole filled sequence. */
  public int[] tokens() {
    return content.tokens();
  }

  /**
   * {@code log p(fill | context)} including the lengths: the lengths' log-probability plus the content's
   * under the order it was committed in.
   */
  public double logProb() {
    return lengthLogProb + content.logProb();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GapFill f && Arrays.equals(lengths, f.lengths) && Double.compare(lengthLogProb, f.lengthLogProb) == 0
        && content.equals(f.content) && Arrays.deepEquals(spans, f.spans) && nfe == f.nfe;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(lengths) * 31 + content.hashCode();
  }

  @Override
  public String toString() {
    return "GapFill[lengths=" + Arrays.toString(lengths) + ", logProb=" + logProb() + ", " + content + "]";
  }
}
