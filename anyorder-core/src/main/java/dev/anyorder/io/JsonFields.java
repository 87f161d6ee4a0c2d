package dev.anyorder.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, range-checked reads of the fields of one JSON object: an HTTP request body, or an object of a
 * model's {@code config.json}. Every failure is an {@link InvalidFieldException} naming the field, qualified
 * by the object's name ({@code 'training.decoding.k' must be ...}), and what was found instead; nothing of
 * the JSON library's internals reaches the message.
 */
public final class JsonFields {
  private final ObjectNode object;
  private final String prefix;

  private JsonFields(ObjectNode object, String prefix) {
    this.object = object;
    this.prefix = prefix;
  }

  /**
   * The fields of {@code node}, which must be an object.
   *
   * @param name the object's qualified name, such as {@code training.decoding}, which prefixes its fields
   *     in errors; empty for a top-level object (a request body)
   * @throws InvalidFieldException naming {@code name} when {@code node} is not an object
   */
  public static JsonFields of(JsonNode node, String name) {
    if (node == null || !node.isObject()) {
      throw new InvalidFieldException(name, "'" + name + "' must be a JSON object, got " + (node == null ? "nothing" : kind(node)));
    }
    return new JsonFields((ObjectNode) node, name.isEmpty() ? "" : name + ".");
  }

  /** Rejects any field not in {@code allowed}, naming the first one. */
  public JsonFields allowOnly(Set<String> allowed) {
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        String shown = name.length() > 40 ? name.substring(0, 40) + "…" : name;
        throw new InvalidFieldException(prefix + shown, "unknown field '" + prefix + shown + "'; accepted fields are "
            + new TreeSet<>(allowed));
      }
    }
    return this;
  }

  public boolean has(String name) {
    return object.has(name);
  }

  /** {@code field} qualified by the object's name, as errors name it. */
  public String name(String field) {
    return prefix + field;
  }

  private JsonNode get(String name) {
    return object.get(name);
  }

  /** An integer in {@code min..max} ({@link Integer#MAX_VALUE}: at least {@code min}), or null when the field is absent. */
  public Integer optionalInt(String name, int min, int max) {
    JsonNode n = get(name);
    if (n == null) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
      String range = max == Integer.MAX_VALUE ? ">= " + min : "in " + min + ".." + max;
      throw new InvalidFieldException(name(name), "'" + name(name) + "' must be an integer " + range + ", got " + kind(n));
    }
    return n.intValue();
  }

  public int intOr(String name, int min, int max, int fallback) {
    Integer v = optionalInt(name, min, max);
    return v == null ? fallback : v;
  }

  public Long optionalLong(String name) {
    JsonNode n = get(name);
    if (n == null) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new InvalidFieldException(name(name), "'" + name(name) + "' must be a 64-bit integer, got " + kind(n));
    }
    return n.longValue();
  }

  /**
   * A finite number in {@code (minExclusive, max]} (or {@code [min, max]} when {@code minInclusive});
   * {@link Double#MAX_VALUE} as {@code max} bounds it below only.
   */
  public Double optionalDouble(String name, double min, boolean minInclusive, double max) {
    JsonNode n = get(name);
    if (n == null) {
      return null;
    }
    double v = n.isNumber() ? n.doubleValue() : Double.NaN;
    boolean above = minInclusive ? v >= min : v > min;
    if (!n.isNumber() || !Double.isFinite(v) || !above || v > max) {
      String range = max == Double.MAX_VALUE ? (minInclusive ? ">= " : "> ") + min
          : "in " + (minInclusive ? "[" : "(") + min + ", " + max + "]";
      throw new InvalidFieldException(name(name), "'" + name(name) + "' must be a number " + range + ", got " + kind(n));
    }
    return v;
  }

  public Boolean optionalBoolean(String name) {
    JsonNode n = get(name);
    if (n == null) {
      return null;
    }
    if (!n.isBoolean()) {
      throw new InvalidFieldException(name(name), "'" + name(name) + "' must be true or false, got " + kind(n));
    }
    return n.booleanValue();
  }

  /** A string of at most {@code maxLength} code points, or null when the field is absent. */
  public String optionalString(String name, int maxLength) {
    JsonNode n = get(name);
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      throw new InvalidFieldException(name(name), "'" + name(name) + "' must be a string, got " + kind(n));
    }
    String s = n.textValue();
    if (s.codePointCount(0, s.length()) > maxLength) {
      throw new InvalidFieldException(name(name), "'" + name(name) + "' is longer than " + maxLength + " characters");
    }
    return s;
  }

  public boolean isString(String name) {
    JsonNode n = get(name);
    return n != null && n.isTextual();
  }

  public boolean isArray(String name) {
    JsonNode n = get(name);
    return n != null && n.isArray();
  }

  /** An array of at most {@code maxLength} integers, each in {@code min..max}. */
  public int[] optionalIntArray(String name, int maxLength, int min, int max) {
    JsonNode n = get(name);
    if (n == null) {
      return null;
    }
    if (!n.isArray()) {
      throw new InvalidFieldException(name(name), "'" + name(name) + "' must be an array of integers, got " + kind(n));
    }
    if (n.size() > maxLength) {
      throw new InvalidFieldException(name(name), "'" + name(name) + "' has " + n.size() + " entries, more than the limit "
          + maxLength);
    }
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode e = n.get(i);
      if (!e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() < min || e.intValue() > max) {
        throw new InvalidFieldException(name(name), "'" + name(name) + "[" + i + "]' must be an integer in " + min + ".." + max
            + ", got " + kind(e));
      }
      out[i] = e.intValue();
    }
    return out;
  }

  /**
   * An object whose keys are integers in {@code 0..maxKey} and whose values are integers in
   * {@code 0..maxValue}, such as {@code {"3": 17}}.
   */
  public Map<Integer, Integer> optionalIntMap(String name, int maxKey, int maxValue) {
    JsonNode n = get(name);
    if (n == null) {
      return null;
    }
    if (!n.isObject()) {
      throw new InvalidFieldException(name(name), "'" + name(name) + "' must be an object of position: token id, got " + kind(n));
    }
    Map<Integer, Integer> out = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>();
    n.fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      int position;
      try {
        position = Integer.parseInt(key);
      } catch (NumberFormatException e) {
        position = -1;
      }
      String shown = key.length() > 12 ? key.substring(0, 12) + "…" : key;
      if (position < 0 || position > maxKey || !Integer.toString(position).equals(key)) {
        throw new InvalidFieldException(name(name), "'" + name(name) + "' key '" + shown + "' must be a position in 0.." + maxKey);
      }
      JsonNode v = n.get(key);
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() > maxValue) {
        throw new InvalidFieldException(name(name), "'" + name(name) + "." + key + "' must be a token id in 0.." + maxValue
            + ", got " + kind(v));
      }
      out.put(position, v.intValue());
    }
    return out;
  }

  /** What {@code n} is, for an error: "a string", "the integer 7", "an array", ... (long numbers abbreviated). */
  public static String kind(JsonNode n) {
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isIntegralNumber()) {
      return "the integer " + abbreviate(n.asText());
    }
    if (n.isNumber()) {
      return "the number " + abbreviate(n.asText());
    }
    if (n.isBoolean()) {
      return n.asText();
    }
    if (n.isNull()) {
      return "null";
    }
    if (n.isArray()) {
      return "an array";
    }
    if (n.isObject()) {
      return "an object";
    }
    return n.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  private static String abbreviate(String s) {
    return s.length() > 24 ? s.substring(0, 24) + "…" : s;
  }
}
