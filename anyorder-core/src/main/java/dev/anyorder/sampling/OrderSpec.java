package dev.anyorder.sampling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyorder.orders.OrderKind;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The order in which a sampler generates the target positions of a request: a kind of order drawn per
 * sequence ({@link OrderKind}, σ-GPT, Pannatier et al., 2024) or an explicit permutation of the target
 * positions. Known positions are always fed first, in increasing position order, by every sampler and by
 * the scorer; the order here covers targets only.
 *
 * @param kind the order kind, or null when {@code explicit} is given
 * @param explicit the target positions in generation order, or null when {@code kind} is given
 */
public record OrderSpec(OrderKind kind, int[] explicit) implements java.io.Serializable {

  public OrderSpec {
    if ((kind == null) == (explicit == null)) {
      throw new IllegalArgumentException("order: give either an order kind or an explicit list of target positions");
    }
    explicit = explicit == null ? null : explicit.clone();
  }

  public static OrderSpec of(OrderKind kind) {
    return new OrderSpec(kind, null);
  }

  public static OrderSpec explicit(int... targetPositions) {
    return new OrderSpec(null, targetPositions);
  }

  /**
   * An order as a command line or a job option writes it: a kind ({@code left-to-right}, {@code random}, ...)
   * or a JSON list of target positions, e.g. {@code [3,1,2]}.
   *
   * @param name what the text is (e.g. {@code --order}), named in errors
   * @throws IllegalArgumentException naming {@code name} when the text is neither
   */
  public static OrderSpec parse(String text, String name) {
    String t = text.trim();
    if (!t.startsWith("[")) {
      return of(OrderKind.parse(t));
    }
    JsonNode n;
    try {
      n = new ObjectMapper().readTree(t);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(name + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException(name + " must be a JSON array of integers, got " + t);
    }
    int[] positions = new int[n.size()];
    for (int i = 0; i < positions.length; i++) {
      if (!n.get(i).canConvertToInt() || !n.get(i).isIntegralNumber()) {
        throw new IllegalArgumentException(name + ": element " + i + " is not an integer: " + n.get(i));
      }
      positions[i] = n.get(i).intValue();
    }
    return explicit(positions);
  }

  @Override
  public int[] explicit() {
    return explicit == null ? null : explicit.clone();
  }

  /**
   * The generation order of the targets of {@code request}. A drawn order over all positions keeps its
   * targets in their relative order; {@link OrderKind#INFILL} at inference is the ASSD infilling order,
   * visible (known) positions first, then the targets left to right.
   */
  public int[] targetOrder(SampleRequest request, RandomGenerator rng) {
    int[] targets = request.targetPositions();
    if (explicit != null) {
      int[] sorted = explicit.clone();
      Arrays.sort(sorted);
      if (!Arrays.equals(sorted, targets)) {
        throw new IllegalArgumentException("order " + Arrays.toString(explicit)
            + " must list every target position exactly once; the targets are " + Arrays.toString(targets));
      }
      return explicit.clone();
    }
    if (kind == OrderKind.INFILL) {
      return targets;
    }
    boolean[] known = request.knownMask();
    return Arrays.stream(kind.draw(request.length(), known, rng)).filter(p -> !known[p]).toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OrderSpec s && s.kind == kind && Arrays.equals(s.explicit, explicit);
  }

  @Override
  public int hashCode() {
    return 31 * (kind == null ? 0 : kind.hashCode()) + Arrays.hashCode(explicit);
  }

  @Override
  public String toString() {
    return kind != null ? kind.label() : Arrays.toString(explicit);
  }
}
