package dev.anyorder.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Maps between text and the token ids {@code 0 .. size()-1} a model reads and writes. Stored in a
 * checkpoint's {@code config.json} as {@link #toJson()}: {@code {"type":"characters","symbols":[...]}}
 * for character models, {@code {"type":"ids","size":N}} for models over plain ids, and
 * {@code {"type":"tokenizer",...}} for subword models ({@link SubwordVocabulary}).
 */
public interface Vocabulary {

  /** Number of token ids. */
  int size();

  /**
   * The ids of {@code text}.
   *
   * @throws UnknownTokenException naming the first token the vocabulary lacks and where it is
   */
  int[] encode(String text);

  /**
   * The text of {@code ids}.
   *
   * @throws IllegalArgumentException if an id is outside {@code [0, size())}, naming it and its position
   */
  String decode(int[] ids);

  /** True when ids stand for characters of text, false when they are opaque ids. */
  boolean isText();

  /** The JSON form stored in {@code config.json}. */
  ObjectNode toJson();

  /**
   * Reads a vocabulary written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException if the JSON is not a valid vocabulary, saying what is wrong
   */
  static Vocabulary fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("vocabulary must be a JSON object with a \"type\", got " + json);
    }
    JsonNode type = json.get("type");
    if (type == null || !type.isTextual()) {
      throw new IllegalArgumentException("vocabulary needs a \"type\" of \"characters\", \"ids\" or \"tokenizer\", got " + type);
    }
    return switch (type.textValue()) {
      case CharacterVocabulary.TYPE -> CharacterVocabulary.fromJson(json);
      case IdVocabulary.TYPE -> IdVocabulary.fromJson(json);
      case SubwordVocabulary.TYPE -> SubwordVocabulary.fromJson(json);
      default -> throw new IllegalArgumentException("unknown vocabulary type \"" + type.textValue()
          + "\" (expected \"characters\", \"ids\" or \"tokenizer\")");
    };
  }

  /** Fails unless {@code id} is a valid id of a vocabulary of {@code size}; shared by implementations. */
  static void checkId(int id, int position, int size) {
    if (id < 0 || id >= size) {
      throw new IllegalArgumentException(
          "token id " + id + " at position " + position + " is out of range [0, " + size + ")");
    }
  }
}
