package dev.anyorder.sampling;

/**
 * How {@link AdaptiveSampler} ranks the remaining positions, after "Train for the Worst, Plan for the
 * Best" (Kim et al., 2025). Higher score = decoded earlier.
 */
public enum PositionRule {
  /** The highest top-1 probability. */
  MAX_PROB,
  /** The largest top-1 minus top-2 probability. */
  MARGIN,
  /** The lowest entropy (score = minus entropy). */
  ENTROPY;

  /** The confidence of a position whose conditional is {@code p}. */
  public double score(TokenDistribution p) {
    switch (this) {
      case MAX_PROB:
        return p.maxProbability();
      case MARGIN:
        return p.margin();
      case ENTROPY:
        return -p.entropy();
      default:
        throw new AssertionError(this);
    }
  }
}
