package dev.anyorder.density;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.io.ResultFields;

/**
 * The one JSON form of a score result, written by {@code anyorder score} and {@code POST /v1/score} alike
 * (field names from {@link ResultFields}). Non-finite numbers (a target the filter removes scores −∞, a
 * single order has no standard error) are written as {@code null}, since JSON has no infinities.
 */
public final class ScoreJson {
  private ScoreJson() {}

  /** One order's score; with {@code perPosition}, each position's log-probability (null at known positions). */
  public static ObjectNode of(OrderScore s, boolean perPosition) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    number(o, ResultFields.LOG_PROB, s.logProb());
    o.put(ResultFields.TARGETS, s.targets());
    number(o, ResultFields.NATS_PER_TOKEN, s.natsPerToken());
    number(o, ResultFields.BITS_PER_TOKEN, s.bitsPerToken());
    o.put(ResultFields.ORDERS, 1);
    ArrayNode order = o.putArray(ResultFields.ORDER);
    for (int p : s.targetOrder()) {
      order.add(p);
    }
    if (perPosition) {
      ArrayNode per = o.putArray(ResultFields.PER_POSITION);
      for (double v : s.perPosition()) {
        element(per, v);
      }
    }
    return o;
  }

  /** The order-free estimate; with {@code perOrder}, the score under each of its orders. */
  public static ObjectNode of(OrderFreeScore s, boolean perOrder) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    number(o, ResultFields.LOG_PROB, s.logProb());
    number(o, ResultFields.STANDARD_ERROR, s.standardError());
    o.put(ResultFields.TARGETS, s.targets());
    number(o, ResultFields.NATS_PER_TOKEN, s.natsPerToken());
    number(o, ResultFields.BITS_PER_TOKEN, s.bitsPerToken());
    o.put(ResultFields.ORDERS, s.perOrder().size());
    if (perOrder) {
      ArrayNode per = o.putArray(ResultFields.PER_ORDER_LOG_PROB);
      s.perOrder().forEach(x -> element(per, x.logProb()));
    }
    return o;
  }

  private static void number(ObjectNode o, String name, double v) {
    if (Double.isFinite(v)) {
      o.put(name, v);
    } else {
      o.putNull(name);
    }
  }

  private static void element(ArrayNode a, double v) {
    if (Double.isFinite(v)) {
      a.add(v);
    } else {
      a.addNull();
    }
  }
}
