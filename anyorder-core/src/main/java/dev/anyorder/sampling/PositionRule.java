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

  /** The command-line spelling, e.g. {@code max-prob}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Parses a label ({@code max-prob}) or constant name, naming the accepted labels on failure. */
  public static PositionRule parse(String s) {
    for (PositionRule v : values()) {
      if (v.label().equalsIgnoreCase(s) || v.name().equalsIgnoreCase(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown positionRule '" + s + "'; expected one of "
        + java.util.Arrays.toString(java.util.Arrays.stream(values()).map(PositionRule::label).toArray()));
  }
}
