package dev.anyorder.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses request bodies strictly: UTF-8 JSON with one top-level object, no duplicate keys, no trailing
 * content, bounded nesting and number lengths; then reads fields by name with exact types and ranges.
 * Every failure is an {@link ApiException} with status 400 naming the field; nothing of the parser's
 * internals reaches the client.
 */
final class StrictJson {
  /** Requests are flat objects with small arrays and one level of objects; nothing needs more. */
  static final int MAX_NESTING = 8;

  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).maxNumberLength(40)
          .maxStringLength(1 << 20).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StrictJson() {}

  /** The top-level object of {@code body}. */
  static Fields parse(byte[] body) {
    if (body.length == 0) {
      throw ApiException.badRequest("the request body is empty; send a JSON object");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (StreamConstraintsException e) {
      throw ApiException.badRequest("the request body is too deeply nested or holds too long a number or string");
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("the request body is not valid JSON: " + oneLine(e.getOriginalMessage()));
    } catch (IOException | RuntimeException e) {
      throw ApiException.badRequest("the request body could not be read as JSON");
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("the request body must be a JSON object, got " + (node == null ? "nothing" : kind(node)));
    }
    return new Fields((ObjectNode) node, "");
  }

  static String oneLine(String message) {
    if (message == null) {
      return "malformed input";
    }
    String s = message.replaceAll("[\\r\\n\\t]+", " ");
    return s.length() > 160 ? s.substring(0, 160) + "…" : s;
  }

  static String kind(JsonNode n) {
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
    return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  private static String abbreviate(String s) {
    return s.length() > 24 ? s.substring(0, 24) + "…" : s;
  }

  /** Typed access to the fields of one JSON object; {@code prefix} qualifies field names in errors. */
  static final class Fields {
    private final ObjectNode object;
    private final String prefix;

    Fields(ObjectNode object, String prefix) {
      this.object = object;
      this.prefix = prefix;
    }

    /** Rejects any field not in {@code allowed}, naming the first one. */
    Fields allowOnly(Set<String> allowed) {
      Iterator<String> names = object.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!allowed.contains(name)) {
          String shown = name.length() > 40 ? name.substring(0, 40) + "…" : name;
          throw ApiException.invalidField(prefix + shown, "unknown field '" + prefix + shown + "'; accepted fields are "
              + new java.util.TreeSet<>(allowed));
        }
      }
      return this;
    }

    boolean has(String name) {
      return object.has(name);
    }

    String name(String field) {
      return prefix + field;
    }

    private JsonNode get(String name) {
      return object.get(name);
    }

    Integer optionalInt(String name, int min, int max) {
      JsonNode n = get(name);
      if (n == null) {
        return null;
      }
      if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
        throw ApiException.invalidField(name(name), "'" + name(name) + "' must be an integer in " + min + ".." + max + ", got "
            + kind(n));
      }
      return n.intValue();
    }

    int intOr(String name, int min, int max, int fallback) {
      Integer v = optionalInt(name, min, max);
      return v == null ? fallback : v;
    }

    Long optionalLong(String name) {
      JsonNode n = get(name);
      if (n == null) {
        return null;
      }
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        throw ApiException.invalidField(name(name), "'" + name(name) + "' must be a 64-bit integer, got " + kind(n));
      }
      return n.longValue();
    }

    /** A finite number in {@code (minExclusive, max]} (or {@code [min, max]} when {@code minInclusive}). */
    Double optionalDouble(String name, double min, boolean minInclusive, double max) {
      JsonNode n = get(name);
      if (n == null) {
        return null;
      }
      double v = n.isNumber() ? n.doubleValue() : Double.NaN;
      boolean above = minInclusive ? v >= min : v > min;
      if (!n.isNumber() || !Double.isFinite(v) || !above || v > max) {
        throw ApiException.invalidField(name(name), "'" + name(name) + "' must be a number in " + (minInclusive ? "[" : "(") + min
            + ", " + max + "], got " + kind(n));
      }
      return v;
    }

    Boolean optionalBoolean(String name) {
      JsonNode n = get(name);
      if (n == null) {
        return null;
      }
      if (!n.isBoolean()) {
        throw ApiException.invalidField(name(name), "'" + name(name) + "' must be true or false, got " + kind(n));
      }
      return n.booleanValue();
    }

    String optionalString(String name, int maxLength) {
      JsonNode n = get(name);
      if (n == null) {
        return null;
      }
      if (!n.isTextual()) {
        throw ApiException.invalidField(name(name), "'" + name(name) + "' must be a string, got " + kind(n));
      }
      String s = n.textValue();
      if (s.codePointCount(0, s.length()) > maxLength) {
        throw ApiException.invalidField(name(name), "'" + name(name) + "' is longer than " + maxLength + " characters");
      }
      return s;
    }

    boolean isString(String name) {
      JsonNode n = get(name);
      return n != null && n.isTextual();
    }

    boolean isArray(String name) {
      JsonNode n = get(name);
      return n != null && n.isArray();
    }

    /** An array of at most {@code maxLength} integers, each in {@code min..max}. */
    int[] optionalIntArray(String name, int maxLength, int min, int max) {
      JsonNode n = get(name);
      if (n == null) {
        return null;
      }
      if (!n.isArray()) {
        throw ApiException.invalidField(name(name), "'" + name(name) + "' must be an array of integers, got " + kind(n));
      }
      if (n.size() > maxLength) {
        throw ApiException.invalidField(name(name), "'" + name(name) + "' has " + n.size() + " entries, more than the limit "
            + maxLength);
      }
      int[] out = new int[n.size()];
      for (int i = 0; i < out.length; i++) {
        JsonNode e = n.get(i);
        if (!e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() < min || e.intValue() > max) {
          throw ApiException.invalidField(name(name), "'" + name(name) + "[" + i + "]' must be an integer in " + min + ".." + max
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
    Map<Integer, Integer> optionalIntMap(String name, int maxKey, int maxValue) {
      JsonNode n = get(name);
      if (n == null) {
        return null;
      }
      if (!n.isObject()) {
        throw ApiException.invalidField(name(name), "'" + name(name) + "' must be an object of position: token id, got " + kind(n));
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
          throw ApiException.invalidField(name(name), "'" + name(name) + "' key '" + shown + "' must be a position in 0.." + maxKey);
        }
        JsonNode v = n.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() > maxValue) {
          throw ApiException.invalidField(name(name), "'" + name(name) + "." + key + "' must be a token id in 0.." + maxValue
              + ", got " + kind(v));
        }
        out.put(position, v.intValue());
      }
      return out;
    }
  }
}
