package dev.anyorder.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Vocabulary of subword tokens (BPE, WordPiece, Unigram, WordLevel, ...) defined by a HuggingFace
 * {@code tokenizer.json}, so that σ-GPT models (Pannatier, Courdier, Fleuret, 2024) can be trained on, sample
 * and infill text that a character vocabulary serves badly. The tokenizer itself runs in a {@link
 * SubwordCodec} found with {@link ServiceLoader} (DJL's HuggingFace tokenizers binding, in {@code
 * dev.anyorder.interop}), opened on first use: reading a checkpoint needs no native library.
 *
 * <p>Encoding never adds special tokens, truncates or pads: the ids are exactly the tokens of the text.
 * Decoding keeps special tokens. The vocabulary size is the largest id of the tokenizer's model vocabulary
 * and added tokens, plus one.
 *
 * <p>Stored in {@code config.json} as {@code {"type":"tokenizer","file":"tokenizer.json","size":N,
 * "sha256":...,"json":"<the tokenizer file, verbatim>"}}. The tokenizer is embedded so a checkpoint's
 * vocabulary can be rebuilt from {@code config.json} alone; training also copies the file next to the model
 * as {@value #FILE_NAME} for other tools. Equality is byte equality of the tokenizer file.
 */
public final class SubwordVocabulary implements Vocabulary {
  static final String TYPE = "tokenizer";
  /** Name under which the tokenizer file is copied into a model directory. */
  public static final String FILE_NAME = "tokenizer.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final byte[] tokenizerJson;
  private final String sha256;
  private final int size;
  private SubwordCodec codec;

  private SubwordVocabulary(byte[] tokenizerJson) {
    this.tokenizerJson = tokenizerJson.clone();
    this.sha256 = sha256Hex(this.tokenizerJson);
    this.size = vocabularySize(this.tokenizerJson);
  }

  /** The codec, opened on first use (the first encode or decode). */
  private synchronized SubwordCodec codec() {
    if (codec == null) {
      SubwordCodec.Provider provider = ServiceLoader.load(SubwordCodec.Provider.class).findFirst()
          .orElseThrow(() -> new IllegalStateException("no subword tokenizer engine is available (a "
              + SubwordCodec.Provider.class.getName() + " service is needed to encode or decode subword text)"));
      codec = provider.open(tokenizerJson);
    }
    return codec;
  }

  /**
   * Loads the tokenizer now, failing if it cannot be used; {@link #read} and {@link #of} call this so a bad
   * tokenizer file is reported when it is given, not at the first encode.
   */
  public SubwordVocabulary check() {
    codec();
    return this;
  }

  /**
   * The vocabulary of a {@code tokenizer.json} file.
   *
   * @throws IllegalArgumentException if the file is missing, unreadable or not a tokenizer the library loads
   */
  public static SubwordVocabulary read(Path file) {
    Objects.requireNonNull(file, "file must not be null");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("tokenizer file " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read tokenizer file " + file + ": " + e, e);
    }
    try {
      return new SubwordVocabulary(bytes).check();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The vocabulary of the given {@code tokenizer.json} content. */
  public static SubwordVocabulary of(byte[] tokenizerJson) {
    Objects.requireNonNull(tokenizerJson, "tokenizerJson must not be null");
    return new SubwordVocabulary(tokenizerJson).check();
  }

  /** The tokenizer file, verbatim (a copy). */
  public byte[] tokenizerJson() {
    return tokenizerJson.clone();
  }

  /** Lower-case hex SHA-256 of the tokenizer file. */
  public String sha256() {
    return sha256;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int[] encode(String text) {
    Objects.requireNonNull(text, "text must not be null");
    if (text.isEmpty()) {
      return new int[0];
    }
    long[] ids = codec().encode(text);
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= size) {
        throw new UnknownTokenException("the tokenizer produced id " + ids[i] + " at token " + i
            + ", outside the vocabulary [0, " + size + ")", Long.toString(ids[i]), i);
      }
      out[i] = (int) ids[i];
    }
    return out;
  }

  @Override
  public String decode(int[] ids) {
    long[] wide = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      Vocabulary.checkId(ids[i], i, size);
      wide[i] = ids[i];
    }
    return wide.length == 0 ? "" : codec().decode(wide);
  }

  @Override
  public boolean isText() {
    return true;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("type", TYPE);
    json.put("file", FILE_NAME);
    json.put("size", size);
    json.put("sha256", sha256);
    json.put("json", new String(tokenizerJson, StandardCharsets.UTF_8));
    return json;
  }

  static SubwordVocabulary fromJson(JsonNode json) {
    JsonNode text = json.get("json");
    if (text == null || !text.isTextual()) {
      throw new IllegalArgumentException("vocabulary of type \"tokenizer\" needs the tokenizer file as a string \"json\"");
    }
    SubwordVocabulary v = new SubwordVocabulary(text.textValue().getBytes(StandardCharsets.UTF_8));
    JsonNode sha = json.get("sha256");
    if (sha != null && !sha.asText().equals(v.sha256)) {
      throw new IllegalArgumentException("vocabulary of type \"tokenizer\": the embedded tokenizer has SHA-256 " + v.sha256
          + " but \"sha256\" says " + sha.asText());
    }
    JsonNode size = json.get("size");
    if (size != null && (!size.canConvertToInt() || size.intValue() != v.size)) {
      throw new IllegalArgumentException("vocabulary of type \"tokenizer\": the embedded tokenizer has " + v.size
          + " tokens but \"size\" says " + size);
    }
    return v;
  }

  /** Largest id among the model vocabulary and the added tokens, plus one. */
  static int vocabularySize(byte[] tokenizerJson) {
    JsonNode root;
    try {
      root = JSON.readTree(tokenizerJson);
    } catch (IOException e) {
      throw new IllegalArgumentException("the tokenizer file is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the tokenizer file must hold a JSON object");
    }
    JsonNode vocab = root.path("model").path("vocab");
    long max = -1;
    if (vocab.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().canConvertToInt() || e.getValue().intValue() < 0) {
          throw new IllegalArgumentException("tokenizer model.vocab maps '" + e.getKey() + "' to " + e.getValue()
              + ", not a token id");
        }
        max = Math.max(max, e.getValue().intValue());
      }
    } else if (vocab.isArray()) {
      max = vocab.size() - 1; // Unigram: a list of [piece, score], the id being the index
    } else {
      throw new IllegalArgumentException("the tokenizer file has no \"model\".\"vocab\" (object or list)");
    }
    for (JsonNode added : root.path("added_tokens")) {
      JsonNode id = added.get("id");
      if (id == null || !id.canConvertToInt() || id.intValue() < 0) {
        throw new IllegalArgumentException("tokenizer added token " + added + " has no valid \"id\"");
      }
      max = Math.max(max, id.intValue());
    }
    if (max < 0) {
      throw new IllegalArgumentException("the tokenizer's vocabulary is empty");
    }
    return Math.toIntExact(max + 1);
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SubwordVocabulary v && Arrays.equals(tokenizerJson, v.tokenizerJson);
  }

  @Override
  public int hashCode() {
    return sha256.hashCode();
  }

  @Override
  public String toString() {
    return "SubwordVocabulary[" + size + " tokens, sha256 " + sha256.substring(0, 12) + "]";
  }
}
