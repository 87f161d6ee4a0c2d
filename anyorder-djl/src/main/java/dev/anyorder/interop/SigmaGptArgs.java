package dev.anyorder.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The JSON config of a model in the layout of the published σ-GPT text code (Pannatier, Courdier, Fleuret,
 * "σ-GPTs: A New Approach to Autoregressive Models", 2024; nanoGPT-based): its {@code model_args}
 * ({@code n_layer}, {@code n_head}, {@code n_embd}, {@code block_size}, {@code bias}, {@code vocab_size},
 * {@code dropout}) and, optionally, {@code itos} (the character of each token id).
 *
 * <p>The {@code model_args} keys may sit at the top level or in a nested {@code "model_args"} object (as in
 * the code's checkpoints). AnyOrder's {@code export} adds fields of its own, all optional on import:
 * {@code start_slot} (the model has a start token, id {@code vocab_size-1}, and a position "none", row
 * {@code block_size-1}; absent means false, as in the published code), {@code mlp_ratio} (absent means 4),
 * {@code positions} (how the exported {@code wpe} came about: {@code "learned"}, or {@code "sinusoidal"}
 * written out as a table), {@code tokenizer} (a {@code tokenizer.json} next to the config) and
 * {@code format}/{@code format_version}. Any other field is an error, so a misspelt key is never silently
 * ignored.
 *
 * @param nLayer transformer blocks ({@code n_layer})
 * @param nHead attention heads ({@code n_head})
 * @param nEmbd residual width ({@code n_embd}); the position table is {@code n_embd/2} wide
 * @param blockSize rows of the position table ({@code block_size})
 * @param bias whether linear layers and LayerNorms carry biases ({@code bias})
 * @param vocabSize rows of the token embedding ({@code vocab_size})
 * @param dropout training dropout ({@code dropout})
 * @param startSlot whether the last embedding row is a start token and the last position row "none"
 * @param mlpRatio MLP hidden width as a multiple of {@code n_embd}
 * @param positions how the position table was made (informational; the table itself is always stored)
 * @param itos the character of each real token id, or null
 * @param tokenizer file name of a {@code tokenizer.json} next to the config, or null
 */
public record SigmaGptArgs(int nLayer, int nHead, int nEmbd, int blockSize, boolean bias, int vocabSize, double dropout,
    boolean startSlot, int mlpRatio, PositionEncoding positions, List<String> itos, String tokenizer) {

  /** Value of {@code "format"} in configs written by {@link SigmaGptExporter}. */
  public static final String FORMAT = "anyorder-sigma-gpt-export";
  public static final int FORMAT_VERSION = 1;

  private static final List<String> MODEL_ARGS = List.of("n_layer", "n_head", "n_embd", "block_size", "bias",
      "vocab_size", "dropout");
  private static final Set<String> EXTRAS = Set.of("model_args", "itos", "stoi", "start_slot", "mlp_ratio", "positions",
      "tokenizer", "format", "format_version", "start_token", "none_position");

  public SigmaGptArgs {
    Objects.requireNonNull(positions, "positions must not be null");
    require(nLayer >= 1, "n_layer", "must be at least 1, got " + nLayer);
    require(nHead >= 1, "n_head", "must be at least 1, got " + nHead);
    require(nEmbd >= 2 && nEmbd % 2 == 0, "n_embd", "must be even and at least 2 (two position halves of n_embd/2), got "
        + nEmbd);
    require(nEmbd % nHead == 0, "n_head", "(" + nHead + ") must divide n_embd (" + nEmbd + ")");
    require(blockSize >= (startSlot ? 2 : 1), "block_size", "must be at least " + (startSlot ? 2 : 1) + ", got " + blockSize);
    require(vocabSize >= (startSlot ? 2 : 1), "vocab_size", "must be at least " + (startSlot ? 2 : 1) + ", got " + vocabSize);
    require(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), got " + dropout);
    require(mlpRatio >= 1, "mlp_ratio", "must be at least 1, got " + mlpRatio);
    if (itos != null) {
      itos = List.copyOf(itos);
      require(tokenizer == null, "itos", "and \"tokenizer\" cannot both be given");
      require(itos.size() == tokenCount(startSlot, vocabSize), "itos", "has " + itos.size() + " entries but vocab_size "
          + vocabSize + (startSlot ? " with a start slot" : "") + " means " + tokenCount(startSlot, vocabSize) + " tokens");
    }
    if (tokenizer != null) {
      require(!tokenizer.isBlank(), "tokenizer", "must be a file name");
    }
  }

  /** The args describing {@code config} (tensor shapes include the start slot's rows). */
  public static SigmaGptArgs of(ModelConfig config, List<String> itos, String tokenizer) {
    return new SigmaGptArgs(config.layers(), config.heads(), config.dim(), config.positionRows(), config.bias(),
        config.embeddingRows(), config.dropout(), config.startSlot(), config.mlpRatio(), config.positions(), itos, tokenizer);
  }

  /** The AnyOrder model this describes; the position table is always stored, hence learned. */
  public ModelConfig modelConfig() {
    return new ModelConfig(tokenCount(startSlot, vocabSize), blockSize - (startSlot ? 1 : 0), nLayer, nHead, nEmbd,
        mlpRatio, dropout, PositionEncoding.LEARNED, bias, startSlot);
  }

  private static int tokenCount(boolean startSlot, int vocabSize) {
    return vocabSize - (startSlot ? 1 : 0);
  }

  /**
   * Reads a config; errors name the field.
   *
   * @throws IllegalArgumentException for a missing, unknown, ill-typed or invalid field
   */
  public static SigmaGptArgs fromJson(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the config must be a JSON object, got " + (root == null ? null : root.getNodeType()));
    }
    JsonNode nested = root.get("model_args");
    JsonNode args = root;
    if (nested != null) {
      if (!nested.isObject()) {
        throw new IllegalArgumentException("config field \"model_args\" must be a JSON object, got " + nested.getNodeType());
      }
      for (String key : MODEL_ARGS) {
        if (root.has(key)) {
          throw new IllegalArgumentException("config field \"" + key + "\" is given both at the top level and in \"model_args\"");
        }
      }
      for (Iterator<String> it = nested.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!MODEL_ARGS.contains(name)) {
          throw new IllegalArgumentException("config field \"model_args\" has an unknown key \"" + name + "\" (expected "
              + String.join(", ", MODEL_ARGS) + ")");
        }
      }
      args = nested;
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!EXTRAS.contains(name) && !(nested == null && MODEL_ARGS.contains(name))) {
        throw new IllegalArgumentException("config has an unknown field \"" + name + "\" (expected the model_args "
            + String.join(", ", MODEL_ARGS) + " and optionally itos)");
      }
    }
    JsonNode format = root.get("format");
    if (format != null && !FORMAT.equals(format.asText())) {
      throw new IllegalArgumentException("config field \"format\" is \"" + format.asText() + "\", expected \"" + FORMAT + "\"");
    }
    JsonNode version = root.get("format_version");
    if (version != null && (!version.isIntegralNumber() || version.intValue() != FORMAT_VERSION)) {
      throw new IllegalArgumentException("config field \"format_version\" is " + version + "; this program reads "
          + FORMAT_VERSION);
    }
    boolean startSlot = root.has("start_slot") && bool(root, "start_slot");
    int mlpRatio = root.has("mlp_ratio") ? integer(root, "mlp_ratio") : 4;
    PositionEncoding positions = PositionEncoding.LEARNED;
    if (root.has("positions")) {
      String p = text(root, "positions");
      positions = switch (p) {
        case "learned" -> PositionEncoding.LEARNED;
        case "sinusoidal" -> PositionEncoding.SINUSOIDAL;
        default -> throw new IllegalArgumentException("config field \"positions\" must be \"learned\" or \"sinusoidal\", got \""
            + p + "\"");
      };
    }
    double dropout = args.has("dropout") && !args.get("dropout").isNull() ? number(args, "dropout") : 0.0;
    List<String> itos = root.has("itos") ? strings(root, "itos") : null;
    String tokenizer = root.has("tokenizer") ? text(root, "tokenizer") : null;
    SigmaGptArgs result = new SigmaGptArgs(integer(args, "n_layer"), integer(args, "n_head"), integer(args, "n_embd"),
        integer(args, "block_size"), bool(args, "bias"), integer(args, "vocab_size"), dropout, startSlot, mlpRatio, positions,
        itos, tokenizer);
    if (root.has("start_token") && (!startSlot || integer(root, "start_token") != result.vocabSize - 1)) {
      throw new IllegalArgumentException("config field \"start_token\" is " + root.get("start_token") + " but "
          + (startSlot ? "a start slot's token is vocab_size-1 = " + (result.vocabSize - 1) : "start_slot is false"));
    }
    if (root.has("none_position") && (!startSlot || integer(root, "none_position") != result.blockSize - 1)) {
      throw new IllegalArgumentException("config field \"none_position\" is " + root.get("none_position") + " but "
          + (startSlot ? "a start slot's position is block_size-1 = " + (result.blockSize - 1) : "start_slot is false"));
    }
    return result;
  }

  /**
   * The config as written by export: {@code model_args} nested (so {@code GPTConfig(**cfg["model_args"])}
   * works), then AnyOrder's fields.
   */
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("format", FORMAT);
    json.put("format_version", FORMAT_VERSION);
    ObjectNode args = json.putObject("model_args");
    args.put("n_layer", nLayer);
    args.put("n_head", nHead);
    args.put("n_embd", nEmbd);
    args.put("block_size", blockSize);
    args.put("bias", bias);
    args.put("vocab_size", vocabSize);
    args.put("dropout", dropout);
    json.put("start_slot", startSlot);
    if (startSlot) {
      json.put("start_token", vocabSize - 1);
      json.put("none_position", blockSize - 1);
    }
    json.put("mlp_ratio", mlpRatio);
    json.put("positions", positions == PositionEncoding.LEARNED ? "learned" : "sinusoidal");
    if (itos != null) {
      ArrayNode array = json.putArray("itos");
      itos.forEach(array::add);
    }
    if (tokenizer != null) {
      json.put("tokenizer", tokenizer);
    }
    return json;
  }

  /** Which config fields decide the shape of tensor {@code name}, for error messages. */
  static String fieldsOf(String name, SigmaGptArgs a) {
    Map<String, String> byEnding = Map.of(
        "wte.weight", "vocab_size=" + a.vocabSize + ", n_embd=" + a.nEmbd,
        "lm_head.weight", "vocab_size=" + a.vocabSize + ", n_embd=" + a.nEmbd,
        "wpe.weight", "block_size=" + a.blockSize + ", n_embd/2=" + a.nEmbd / 2,
        "mlp.c_fc.weight", "n_embd=" + a.nEmbd + ", mlp_ratio=" + a.mlpRatio,
        "mlp.c_fc.bias", "n_embd=" + a.nEmbd + ", mlp_ratio=" + a.mlpRatio,
        "mlp.c_proj.weight", "n_embd=" + a.nEmbd + ", mlp_ratio=" + a.mlpRatio);
    for (Map.Entry<String, String> e : byEnding.entrySet()) {
      if (name.endsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return "n_embd=" + a.nEmbd;
  }

  private static void require(boolean ok, String field, String message) {
    if (!ok) {
      throw new IllegalArgumentException("config field \"" + field + "\" " + message);
    }
  }

  private static JsonNode field(JsonNode json, String name) {
    JsonNode value = json.get(name);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("config is missing the field \"" + name + "\"");
    }
    return value;
  }

  private static int integer(JsonNode json, String name) {
    JsonNode value = field(json, name);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException("config field \"" + name + "\" must be an integer, got " + value);
    }
    return value.intValue();
  }

  private static double number(JsonNode json, String name) {
    JsonNode value = field(json, name);
    if (!value.isNumber()) {
      throw new IllegalArgumentException("config field \"" + name + "\" must be a number, got " + value);
    }
    return value.doubleValue();
  }

  private static boolean bool(JsonNode json, String name) {
    JsonNode value = field(json, name);
    if (!value.isBoolean()) {
      throw new IllegalArgumentException("config field \"" + name + "\" must be true or false, got " + value);
    }
    return value.booleanValue();
  }

  private static String text(JsonNode json, String name) {
    JsonNode value = field(json, name);
    if (!value.isTextual()) {
      throw new IllegalArgumentException("config field \"" + name + "\" must be a string, got " + value);
    }
    return value.textValue();
  }

  private static List<String> strings(JsonNode json, String name) {
    JsonNode value = field(json, name);
    if (!value.isArray()) {
      throw new IllegalArgumentException("config field \"" + name + "\" must be a list of strings, got " + value.getNodeType());
    }
    List<String> out = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      if (!value.get(i).isTextual()) {
        throw new IllegalArgumentException("config field \"" + name + "\" entry " + i + " must be a string, got " + value.get(i));
      }
      out.add(value.get(i).textValue());
    }
    return out;
  }
}
