package dev.anyorder.data;

/** Checks and applies the fraction of a data set held out for validation. */
final class SplitFraction {
  private SplitFraction() {}

  /** Fails unless {@code fraction} is in [0, 1). */
  static double check(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + fraction);
    }
    return fraction;
  }

  /** How many of {@code total} items go to validation: round(total × fraction), at least 1 if fraction > 0. */
  static int validationCount(int total, double fraction) {
    if (fraction == 0) {
      return 0;
    }
    return (int) Math.max(1, Math.round(total * fraction));
  }
}
