package dev.anyorder.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Vocabulary whose tokens are single characters, a character being one Unicode code point (so a
 * character outside the Basic Multilingual Plane, such as an emoji, is one token even though Java stores
 * it as a surrogate pair). Token ids follow code point order. Stored as {@code {"type":"characters",
 * "symbols":["\n"," ","a",...]}}; reading also accepts code points given as integers.
 */
public final class CharacterVocabulary implements Vocabulary {
  static final String TYPE = "characters";
  /** Code points below this are looked up in a dense table; others by binary search. */
  private static final int DENSE_LIMIT = 1 << 16;

  private final int[] symbols;
  private final int[] idOf;

  private CharacterVocabulary(int[] symbols) {
    if (symbols.length == 0) {
      throw new IllegalArgumentException("a character vocabulary needs at least one character");
    }
    for (int i = 0; i < symbols.length; i++) {
      int cp = symbols[i];
      if (!Character.isValidCodePoint(cp) || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
        throw new IllegalArgumentException("symbol " + i + " is not a Unicode scalar value: " + codePointName(cp));
      }
      if (i > 0 && symbols[i - 1] >= cp) {
        throw new IllegalArgumentException("symbols must be distinct and in increasing code point order, but "
            + codePointName(symbols[i - 1]) + " precedes " + codePointName(cp) + " at index " + i);
      }
    }
    this.symbols = symbols;
    int dense = Math.min(symbols[symbols.length - 1] + 1, DENSE_LIMIT);
    this.idOf = new int[dense];
    Arrays.fill(idOf, -1);
    for (int i = 0; i < symbols.length && symbols[i] < dense; i++) {
      idOf[symbols[i]] = i;
    }
  }

  /** The distinct characters of {@code text}, in code point order. */
  public static CharacterVocabulary fromText(CharSequence text) {
    BitSet seen = new BitSet();
    text.codePoints().forEach(seen::set);
    if (seen.isEmpty()) {
      throw new IllegalArgumentException("cannot build a character vocabulary from empty text");
    }
    return new CharacterVocabulary(seen.stream().toArray());
  }

  /** A vocabulary of exactly these code points, which must be distinct and increasing. */
  public static CharacterVocabulary of(int... codePoints) {
    return new CharacterVocabulary(codePoints.clone());
  }

  @Override
  public int size() {
    return symbols.length;
  }

  /** The code point of token {@code id}. */
  public int codePoint(int id) {
    Vocabulary.checkId(id, 0, symbols.length);
    return symbols[id];
  }

  /** The code points of all tokens, in id order (a copy). */
  public int[] codePoints() {
    return symbols.clone();
  }

  /** The id of {@code codePoint}, or -1 if it is not in the vocabulary. */
  public int idOf(int codePoint) {
    if (codePoint >= 0 && codePoint < idOf.length) {
      return idOf[codePoint];
    }
    int found = Arrays.binarySearch(symbols, codePoint);
    return found >= 0 ? found : -1;
  }

  @Override
  public int[] encode(String text) {
    int[] ids = new int[text.codePointCount(0, text.length())];
    int index = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int id = idOf(cp);
      if (id < 0) {
        throw new UnknownTokenException("unknown character " + quoted(cp) + " (" + codePointName(cp) + ") at index "
            + index + " of the input: not among the " + symbols.length + " characters of the vocabulary",
            new String(Character.toChars(cp)), index);
      }
      ids[index++] = id;
      i += Character.charCount(cp);
    }
    return ids;
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder out = new StringBuilder(ids.length);
    for (int i = 0; i < ids.length; i++) {
      Vocabulary.checkId(ids[i], i, symbols.length);
      out.appendCodePoint(symbols[ids[i]]);
    }
    return out.toString();
  }

  @Override
  public boolean isText() {
    return true;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("type", TYPE);
    ArrayNode array = json.putArray("symbols");
    for (int cp : symbols) {
      array.add(new String(Character.toChars(cp)));
    }
    return json;
  }

  static CharacterVocabulary fromJson(JsonNode json) {
    JsonNode array = json.get("symbols");
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException("vocabulary of type \"characters\" needs an array \"symbols\", got " + array);
    }
    int[] codePoints = new int[array.size()];
    for (int i = 0; i < codePoints.length; i++) {
      JsonNode s = array.get(i);
      if (s.isTextual() && s.textValue().codePointCount(0, s.textValue().length()) == 1) {
        codePoints[i] = s.textValue().codePointAt(0);
      } else if (s.isIntegralNumber() && s.canConvertToInt()) {
        codePoints[i] = s.intValue();
      } else {
        throw new IllegalArgumentException("vocabulary symbol " + i
            + " must be a one-character string or a code point, got " + s);
      }
    }
    return new CharacterVocabulary(codePoints);
  }

  /** {@code U+0041}-style name of a code point. */
  static String codePointName(int cp) {
    return String.format("U+%04X", cp);
  }

  private static String quoted(int cp) {
    if (Character.isISOControl(cp) || Character.isWhitespace(cp)) {
      return Character.getName(cp);
    }
    return "'" + new String(Character.toChars(cp)) + "'";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CharacterVocabulary v && Arrays.equals(symbols, v.symbols);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(symbols);
  }

  @Override
  public String toString() {
    return "CharacterVocabulary[" + symbols.length + " characters]";
  }
}
