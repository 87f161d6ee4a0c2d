package dev.anyorder.api;

import dev.anyorder.density.OrderFreeScore;
import dev.anyorder.density.OrderScore;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.density.Scorer;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.sampling.InvalidSettingException;
import dev.anyorder.sampling.OrderSpec;
import dev.anyorder.sampling.SamplerConfig;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What a score computes besides the sequence itself, and the one rule by which its random draws follow from
 * its seed; {@code anyorder score}, {@code POST /v1/score} and {@code anyorder spark score} all score through
 * it, so the same sequence with the same settings gets the same number on every front end.
 *
 * <p>The seed of one sequence drives a fresh {@link SplittableRandom}: a random single order is its first
 * shuffle, and the order-free estimate's orders are drawn by {@link Scorer#orderFree} from the seed itself.
 * Nothing carries over from one sequence to the next, so a line of a file scores as it would alone.
 *
 * @param known positions given (conditioning), or null to score every token
 * @param order the order of the targets when {@code orders == 1}
 * @param orders 1 for one order; more for the order-free estimate over that many random orders
 * @param seed seeds the random order or orders
 */
public record ScoreSettings(int[] known, OrderSpec order, int orders, long seed) {
  /** Seed when none is given: the samplers' default, so one seed means the same everywhere. */
  public static final long DEFAULT_SEED = SamplerConfig.DEFAULT_SEED;
  /** The targets' order when none is given. */
  public static final OrderKind DEFAULT_ORDER = OrderKind.LEFT_TO_RIGHT;

  public ScoreSettings {
    Objects.requireNonNull(order, "order must be given");
    if (orders < 1) {
      throw new InvalidSettingException("orders", "orders must be at least 1, got " + orders);
    }
    known = known == null ? null : known.clone();
  }

  /** Every token scored, left to right, one order, seed {@link #DEFAULT_SEED}. */
  public static ScoreSettings defaults() {
    return new ScoreSettings(null, OrderSpec.of(DEFAULT_ORDER), 1, DEFAULT_SEED);
  }

  public ScoreSettings withKnown(int... v) {
    return new ScoreSettings(v, order, orders, seed);
  }

  public ScoreSettings withOrder(OrderSpec v) {
    return new ScoreSettings(known, v, orders, seed);
  }

  public ScoreSettings withOrders(int v) {
    return new ScoreSettings(known, order, v, seed);
  }

  public ScoreSettings withSeed(long v) {
    return new ScoreSettings(known, order, orders, v);
  }

  @Override
  public int[] known() {
    return known == null ? null : known.clone();
  }

  /**
   * The validated request for {@code tokens}: its known positions and the target order (a random one the
   * first draw of the seed's generator).
   *
   * @throws InvalidSettingException naming {@code known}, {@code order} or {@code tokens}
   */
  public ScoreRequest request(ModelConfig model, int[] tokens) {
    return RequestBuilder.scoreRequest(model, tokens, known, order, new SplittableRandom(seed));
  }

  /** Scores {@code request} (from {@link #request}) with {@code scorer}: one order, or the order-free estimate. */
  public Result score(Scorer scorer, ScoreRequest request) {
    if (orders == 1) {
      return new Result(scorer.score(request), null);
    }
    return new Result(null, scorer.orderFree(request.tokens(), request.known(), orders, seed));
  }

  /**
   * A score: exactly one of the two is set.
   *
   * @param single the score under one order, when {@code orders == 1}
   * @param orderFree the order-free estimate, when {@code orders > 1}
   */
  public record Result(OrderScore single, OrderFreeScore orderFree) {
    public Result {
      if ((single == null) == (orderFree == null)) {
        throw new IllegalArgumentException("a score result holds exactly one of a single-order score and an order-free estimate");
      }
    }

    public double logProb() {
      return single != null ? single.logProb() : orderFree.logProb();
    }

    public double natsPerToken() {
      return single != null ? single.natsPerToken() : orderFree.natsPerToken();
    }

    public int targets() {
      return single != null ? single.targets() : orderFree.targets();
    }

    /** The estimate's standard error; NaN for one order. */
    public double standardError() {
      return single != null ? Double.NaN : orderFree.standardError();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScoreSettings s && Arrays.equals(known, s.known) && order.equals(s.order) && orders == s.orders
        && seed == s.seed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(known), order, orders, seed);
  }

  @Override
  public String toString() {
    return "ScoreSettings[known=" + Arrays.toString(known) + ", order=" + order + ", orders=" + orders + ", seed=" + seed + "]";
  }
}
