package dev.anyorder.tasks;

/**
 * Which side of the train/test divide an instance belongs to.
 *
 * <p>Generated tasks (maze, sudoku) decide the side from the instance content itself with {@link
 * #of(int[], int, int)}, so the same content can never appear in both splits whatever the seeds. Data-set
 * tasks (Fashion-MNIST) use the data set's own published split.
 */
public enum Split {
  /** Instances for training. */
  TRAIN,
  /** Held-out instances for evaluation; never equal in content to a training instance. */
  TEST;

  /** One content in {@value} goes to {@link #TEST}. */
  public static final int TEST_ONE_IN = 10;

  /**
   * Hash-partitions content: the split of the tokens {@code content[from..to)}. Deterministic and
   * independent of any seed, so equal content always lands on the same side.
   */
  public static Split of(int[] content, int from, int to) {
    if (from < 0 || to > content.length || from > to) {
      throw new IllegalArgumentException(
          "range [" + from + ", " + to + ") is outside content of length " + content.length);
    }
    long h = 0x9E3779B97F4A7C15L;
    for (int i = from; i < to; i++) {
      h = mix(h ^ content[i]);
    }
    return Long.remainderUnsigned(mix(h ^ (to - from)), TEST_ONE_IN) == 0 ? TEST : TRAIN;
  }

  /** The split of a whole content array. */
  public static Split of(int[] content) {
    return of(content, 0, content.length);
  }

  /**
   * The SplitMix64 finaliser (Steele, Lea, Flood, "Fast splittable pseudorandom number generators",
   * 2014): a bijective 64-bit mixer, used here for content hashing and for deriving per-instance seeds.
   */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
