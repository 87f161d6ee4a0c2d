package dev.anyorder.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Vocabulary of a model over opaque token ids {@code 0 .. size-1} (e.g. trained on a {@link TokenFile}).
 * Its "text" is the ids written in decimal, separated by whitespace: {@code decode} joins them with single
 * spaces and {@code encode} parses any whitespace-separated list.
 *
 * @param size number of ids, at least 1
 */
public record IdVocabulary(int size) implements Vocabulary {
  static final String TYPE = "ids";

  public IdVocabulary {
    if (size < 1) {
      throw new IllegalArgumentException("an id vocabulary needs at least 1 id, got size " + size);
    }
  }

  @Override
  public int[] encode(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return new int[0];
    }
    String[] words = trimmed.split("\\s+");
    int[] ids = new int[words.length];
    for (int i = 0; i < words.length; i++) {
      int id;
      try {
        id = Integer.parseInt(words[i]);
      } catch (NumberFormatException e) {
        id = -1;
      }
      if (id < 0 || id >= size) {
        throw new UnknownTokenException("'" + words[i] + "' at index " + i + " is not a token id in [0, " + size + ")",
            words[i], i);
      }
      ids[i] = id;
    }
    return ids;
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder out = new StringBuilder(ids.length * 4);
    for (int i = 0; i < ids.length; i++) {
      Vocabulary.checkId(ids[i], i, size);
      if (i > 0) {
        out.append(' ');
      }
      out.append(ids[i]);
    }
    return out.toString();
  }

  @Override
  public boolean isText() {
    return false;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("type", TYPE);
    json.put("size", size);
    return json;
  }

  static IdVocabulary fromJson(JsonNode json) {
    JsonNode size = json.get("size");
    if (size == null || !size.isIntegralNumber() || !size.canConvertToInt()) {
      throw new IllegalArgumentException("vocabulary of type \"ids\" needs an integer \"size\", got " + size);
    }
    return new IdVocabulary(size.intValue());
  }
}
