package dev.anyorder.orders;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Which order each training sequence gets, as a function of training progress. Drawn per sequence, not
 * per batch.
 *
 * <ul>
 *   <li>{@code fixed}: always the same kind;
 *   <li>{@code curriculum} (σ-GPT, Pannatier et al., 2024): random with probability rising linearly from
 *       0 to 1 over training, left-to-right otherwise;
 *   <li>{@code rar} (Randomized AutoRegressive annealing, Yu et al., 2024): random with probability r,
 *       r = 1 until {@code annealStart}, then linear decay to 0 at {@code annealEnd};
 *   <li>{@code mixture-p}: random with a constant probability {@code p}, left-to-right otherwise, so one
 *       model keeps both its left-to-right conditionals sharp and its any-order ones; {@code mixture-infill-p}
 *       draws infill orders (a visible subset first, then the rest left to right) instead of random ones,
 *       which is what left-to-right decoding with givens anywhere (a maze waypoint) feeds the model.
 * </ul>
 *
 * @param randomShare the constant probability of a {@code mixture} drawing {@code kind} (random or infill)
 *     rather than left-to-right
 */
public record OrderSchedule(Type type, OrderKind kind, double annealStart, double annealEnd, double randomShare) {

  public enum Type { FIXED, CURRICULUM, RAR, MIXTURE }

  public OrderSchedule {
    if (!(randomShare >= 0 && randomShare <= 1)) {
      throw new IllegalArgumentException("a mixture's random share must be in [0, 1], got " + randomShare);
    }
    if (type == Type.FIXED && kind == null) {
      throw new IllegalArgumentException("a fixed schedule needs an order kind");
    }
    if (!(annealStart >= 0 && annealStart <= annealEnd && annealEnd <= 1)) {
      throw new IllegalArgumentException("rar needs 0 <= annealStart <= annealEnd <= 1, got " + annealStart + ", " + annealEnd);
    }
  }

  public static OrderSchedule fixed(OrderKind kind) {
    return new OrderSchedule(Type.FIXED, kind, 0, 1, 0);
  }

  /** Random orders with probability {@code randomShare}, left-to-right otherwise, all through training. */
  public static OrderSchedule mixture(double randomShare) {
    return mixture(OrderKind.RANDOM, randomShare);
  }

  /** Orders of {@code kind} with probability {@code share}, left-to-right otherwise, all through training. */
  public static OrderSchedule mixture(OrderKind kind, double share) {
    return new OrderSchedule(Type.MIXTURE, kind, 0, 1, share);
  }

  /** Parses {@code random}, {@code left-to-right}, …, {@code curriculum}, {@code rar} or {@code mixture-P}. */
  public static OrderSchedule parse(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("mixture")) {
      OrderKind kind = lower.startsWith("mixture-infill") ? OrderKind.INFILL : OrderKind.RANDOM;
      String prefix = kind == OrderKind.INFILL ? "mixture-infill" : "mixture";
      String share = lower.equals(prefix) ? "0.5" : lower.substring(Math.min(lower.length(), prefix.length() + 1));
      try {
        return mixture(kind, Double.parseDouble(share));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("a mixture looks like mixture-0.5 (the share of random orders), got " + s);
      }
    }
    switch (lower) {
      case "curriculum":
        return new OrderSchedule(Type.CURRICULUM, null, 0, 1, 0);
      case "rar":
        return new OrderSchedule(Type.RAR, null, 0.25, 0.75, 0);
      default:
        try {
          return fixed(OrderKind.parse(s));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(e.getMessage().replace("]", ", curriculum, rar, mixture-P]"));
        }
    }
  }

  /** The schedule's name as {@link #parse} accepts it. */
  public String label() {
    return switch (type) {
      case FIXED -> kind.label();
      case MIXTURE -> (kind == OrderKind.INFILL ? "mixture-infill-" : "mixture-") + randomShare;
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }

  /** Probability that a sequence at {@code progress} (0..1 of training) gets a random order. */
  public double randomProbability(double progress) {
    switch (type) {
      case CURRICULUM:
        return Math.min(1, Math.max(0, progress));
      case RAR:
        if (progress <= annealStart) {
          return 1;
        }
        if (progress >= annealEnd) {
          return 0;
        }
        return 1 - (progress - annealStart) / (annealEnd - annealStart);
      case MIXTURE:
        return randomShare;
      default:
        return kind == OrderKind.RANDOM ? 1 : 0;
    }
  }

  /** Draws one sequence's order at training progress {@code progress}. */
  public int[] draw(double progress, int n, boolean[] known, RandomGenerator rng) {
    if (type == Type.FIXED) {
      return kind.draw(n, known, rng);
    }
    boolean other = rng.nextDouble() < randomProbability(progress);
    OrderKind otherKind = type == Type.MIXTURE ? kind : OrderKind.RANDOM;
    return (other ? otherKind : OrderKind.LEFT_TO_RIGHT).draw(n, known, rng);
  }
}
