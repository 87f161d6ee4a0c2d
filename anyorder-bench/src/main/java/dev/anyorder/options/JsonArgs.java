package dev.anyorder.options;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the JSON values some flags take ({@code --known {"3": 7}}, {@code --tokens [1,2]}), naming the flag on error. */
public final class JsonArgs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonArgs() {}

  public static int[] intArray(String text, String flag) {
    JsonNode n = parse(text, flag);
    if (!n.isArray()) {
      throw new IllegalArgumentException(flag + " must be a JSON array of integers, got " + text);
    }
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      if (!n.get(i).canConvertToInt() || !n.get(i).isIntegralNumber()) {
        throw new IllegalArgumentException(flag + ": element " + i + " is not an integer: " + n.get(i));
      }
      out[i] = n.get(i).intValue();
    }
    return out;
  }

  /** A JSON object of position → token id. */
  public static Map<Integer, Integer> positionMap(String text, String flag) {
    JsonNode n = parse(text, flag);
    if (!n.isObject()) {
      throw new IllegalArgumentException(flag + " must be a JSON object of position -> token id, got " + text);
    }
    Map<Integer, Integer> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int position;
      try {
        position = Integer.parseInt(e.getKey().trim());
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(flag + ": key \"" + e.getKey() + "\" is not a position");
      }
      if (!e.getValue().isIntegralNumber() || !e.getValue().canConvertToInt()) {
        throw new IllegalArgumentException(flag + ": the token at position " + position + " is not an integer id: " + e.getValue());
      }
      out.put(position, e.getValue().intValue());
    }
    return out;
  }

  private static JsonNode parse(String text, String flag) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(flag + " is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
