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
 *       r = 1 until {@code annealStart}, then linear decay to 0 at {@code annealEnd}.
 * </ul>
 */
public record OrderSchedule(Type type, OrderKind kind, double annealStart, double annealEnd) {

  public enum Type { FIXED, CURRICULUM, RAR }

  public OrderSchedule {
    if (type == Type.FIXED && kind == null) {
      throw new IllegalArgumentException("a fixed schedule needs an order kind");
    }
    if (!(annealStart >= 0 && annealStart <= annealEnd && annealEnd <= 1)) {
      throw new IllegalArgumentException("rar needs 0 <= annealStart <= annealEnd <= 1, got " + annealStart + ", " + annealEnd);
    }
  }

  public static OrderSchedule fixed(OrderKind kind) {
    return new OrderSchedule(Type.FIXED, kind, 0, 1);
  }

  /** Parses {@code random}, {@code left-to-right}, …, {@code curriculum} or {@code rar}. */
  public static OrderSchedule parse(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "curriculum":
        return new OrderSchedule(Type.CURRICULUM, null, 0, 1);
      case "rar":
        return new OrderSchedule(Type.RAR, null, 0.25, 0.75);
      default:
        try {
          return fixed(OrderKind.parse(s));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(e.getMessage().replace("]", ", curriculum, rar]"));
        }
    }
  }

  /** The schedule's name as {@link #parse} accepts it. */
  public String label() {
    return type == Type.FIXED ? kind.label() : type.name().toLowerCase(Locale.ROOT);
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
      default:
        return kind == OrderKind.RANDOM ? 1 : 0;
    }
  }

  /** Draws one sequence's order at training progress {@code progress}. */
  public int[] draw(double progress, int n, boolean[] known, RandomGenerator rng) {
    if (type == Type.FIXED) {
      return kind.draw(n, known, rng);
    }
    boolean random = rng.nextDouble() < randomProbability(progress);
    return (random ? OrderKind.RANDOM : OrderKind.LEFT_TO_RIGHT).draw(n, known, rng);
  }
}
