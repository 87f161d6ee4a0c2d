package dev.anyorder.orders;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The generation orders of σ-GPT training and decoding (docs/algorithms.md#orders). An order is a permutation
 * of {@code 0..n-1}; {@code order[t]} is the position produced at step {@code t}.
 */
public enum OrderKind {
  /** The identity: an ordinary left-to-right GPT. */
  LEFT_TO_RIGHT("left-to-right"),
  /** A uniform random permutation (σ-GPT, Pannatier et al., 2024). */
  RANDOM("random"),
  /** Breadth-first midpoints: the middle of the range, then the middles of each half, and so on. */
  FRACTAL("fractal"),
  /** The known positions first in random order, then the targets in random order. */
  KNOWN_FIRST("known-first"),
  /**
   * The MAC / ASSD infilling scheme (Shih et al., 2022; Guo and Ermon, 2025): a random visible subset
   * left-to-right, then the hidden positions left-to-right; 2^n orders instead of n!.
   */
  INFILL("infill");

  private final String label;

  OrderKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Parses a label such as {@code left-to-right}, naming the accepted ones on failure. */
  public static OrderKind parse(String s) {
    for (OrderKind k : values()) {
      if (k.label.equals(s.toLowerCase(Locale.ROOT)) || k.name().equalsIgnoreCase(s)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown order '" + s + "'; expected one of " + Arrays.toString(labels()));
  }

  public static String[] labels() {
    return Arrays.stream(values()).map(OrderKind::label).toArray(String[]::new);
  }

  /**
   * Draws an order of {@code n} positions.
   *
   * @param known which positions are given (only {@link #KNOWN_FIRST} uses it; null means none)
   */
  public int[] draw(int n, boolean[] known, RandomGenerator rng) {
    switch (this) {
      case LEFT_TO_RIGHT:
        return identity(n);
      case RANDOM:
        return shuffled(identity(n), rng);
      case FRACTAL:
        return fractal(n);
      case KNOWN_FIRST: {
        List<Integer> given = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          (known != null && known[i] ? given : targets).add(i);
        }
        int[] a = shuffled(given.stream().mapToInt(Integer::intValue).toArray(), rng);
        int[] b = shuffled(targets.stream().mapToInt(Integer::intValue).toArray(), rng);
        return concat(a, b);
      }
      case INFILL: {
        // Visible-set size uniform in 0..n, then a uniform subset of that size: every masking rate is trained.
        int visible = rng.nextInt(n + 1);
        int[] pick = shuffled(identity(n), rng);
        boolean[] shown = new boolean[n];
        for (int i = 0; i < visible; i++) {
          shown[pick[i]] = true;
        }
        int[] order = new int[n];
        int t = 0;
        for (int i = 0; i < n; i++) {
          if (shown[i]) {
            order[t++] = i;
          }
        }
        for (int i = 0; i < n; i++) {
          if (!shown[i]) {
            order[t++] = i;
          }
        }
        return order;
      }
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * The prompt-first layout of an order: the known positions first, in increasing position order (the
   * order in which every sampler and the scorer feed them), then the other positions in their relative
   * order in {@code order}. Training in this layout shows the model exactly the prefixes it conditions on
   * at solve time (the published σ-GPT maze code feeds its prompt first, in its own order, and shuffles
   * only the solution). A null or empty known mask returns a copy of {@code order}.
   */
  public static int[] promptFirst(int[] order, boolean[] known) {
    if (known == null) {
      return order.clone();
    }
    if (known.length != order.length) {
      throw new IllegalArgumentException("known mask has " + known.length + " positions but the order has " + order.length);
    }
    int[] out = new int[order.length];
    int t = 0;
    for (int p = 0; p < known.length; p++) {
      if (known[p]) {
        out[t++] = p;
      }
    }
    for (int p : order) {
      if (!known[p]) {
        out[t++] = p;
      }
    }
    return out;
  }

  /** The identity permutation. */
  public static int[] identity(int n) {
    int[] o = new int[n];
    for (int i = 0; i < n; i++) {
      o[i] = i;
    }
    return o;
  }

  /** Breadth-first midpoints of {@code [0, n)}. */
  public static int[] fractal(int n) {
    int[] order = new int[n];
    int t = 0;
    ArrayDeque<int[]> ranges = new ArrayDeque<>();
    ranges.add(new int[] {0, n});
    while (!ranges.isEmpty()) {
      int[] r = ranges.poll();
      if (r[0] >= r[1]) {
        continue;
      }
      int mid = (r[0] + r[1]) >>> 1;
      order[t++] = mid;
      ranges.add(new int[] {r[0], mid});
      ranges.add(new int[] {mid + 1, r[1]});
    }
    return order;
  }

  /** Fisher-Yates shuffle of a copy. */
  public static int[] shuffled(int[] a, RandomGenerator rng) {
    int[] o = a.clone();
    for (int i = o.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int tmp = o[i];
      o[i] = o[j];
      o[j] = tmp;
    }
    return o;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] o = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, o, a.length, b.length);
    return o;
  }
}
