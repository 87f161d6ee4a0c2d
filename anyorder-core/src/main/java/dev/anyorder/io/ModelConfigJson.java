package dev.anyorder.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.PositionGrid;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON form of a {@link ModelConfig}, the {@code "model"} object of a checkpoint's {@code config.json}:
 * the record's components under their own camelCase names, with {@code positions} as {@code "learned"},
 * {@code "sinusoidal"} or {@code "grid"}; a grid model also has {@code "grid"}: {@code {"axes": [names],
 * "sizes": [values per axis], "coordinates": [[one value per axis] per position]}}. Reading is strict: every
 * field is required, unknown fields are rejected, and integers must be JSON integers.
 */
public final class ModelConfigJson {
  private static final Set<String> FIELDS = Set.of("vocabSize", "maxLength", "layers", "heads", "dim", "mlpRatio",
      "dropout", "positions", "bias", "startSlot", "grid");

  private ModelConfigJson() {}

  /** {@code config} as a JSON object. */
  public static ObjectNode toJson(ModelConfig config) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("vocabSize", config.vocabSize());
    json.put("maxLength", config.maxLength());
    json.put("layers", config.layers());
    json.put("heads", config.heads());
    json.put("dim", config.dim());
    json.put("mlpRatio", config.mlpRatio());
    json.put("dropout", config.dropout());
    json.put("positions", config.positions().name().toLowerCase(Locale.ROOT));
    json.put("bias", config.bias());
    json.put("startSlot", config.startSlot());
    if (config.grid() != null) {
      PositionGrid grid = config.grid();
      ObjectNode g = json.putObject("grid");
      grid.axes().forEach(g.putArray("axes")::add);
      ArrayNode sizes = g.putArray("sizes");
      for (int size : grid.sizes()) {
        sizes.add(size);
      }
      ArrayNode coordinates = g.putArray("coordinates");
      for (int[] position : grid.coordinates()) {
        ArrayNode p = coordinates.addArray();
        for (int value : position) {
          p.add(value);
        }
      }
    }
    return json;
  }

  private static PositionGrid grid(JsonNode json) {
    JsonNode g = json.get("grid");
    if (g == null || g.isNull()) {
      return null;
    }
    if (!g.isObject() || !g.path("axes").isArray() || !g.path("sizes").isArray() || !g.path("coordinates").isArray()) {
      throw new IllegalArgumentException("model config field \"grid\" must be an object with arrays \"axes\", \"sizes\" and"
          + " \"coordinates\"");
    }
    java.util.List<String> axes = new java.util.ArrayList<>();
    g.get("axes").forEach(a -> axes.add(a.asText()));
    int[] sizes = ints(g.get("sizes"), "grid.sizes");
    int[][] coordinates = new int[g.get("coordinates").size()][];
    for (int p = 0; p < coordinates.length; p++) {
      coordinates[p] = ints(g.get("coordinates").get(p), "grid.coordinates[" + p + "]");
    }
    return new PositionGrid(axes, sizes, coordinates);
  }

  private static int[] ints(JsonNode array, String name) {
    if (!array.isArray()) {
      throw new IllegalArgumentException("model config field \"" + name + "\" must be an array of integers, got " + array);
    }
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = array.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw new IllegalArgumentException("model config field \"" + name + "\" must hold integers, got " + v);
      }
      out[i] = v.intValue();
    }
    return out;
  }

  /**
   * Reads a config written by {@link #toJson}.
   *
   * @throws IllegalArgumentException naming the missing, unknown or ill-typed field, or carrying the
   *     {@link ModelConfig} constructor's message for invalid values
   */
  public static ModelConfig fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("model config must be a JSON object, got " + json);
    }
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("model config has an unknown field \"" + name + "\"");
      }
    }
    String positions = text(json, "positions");
    PositionEncoding encoding = switch (positions) {
      case "learned" -> PositionEncoding.LEARNED;
      case "sinusoidal" -> PositionEncoding.SINUSOIDAL;
      case "grid" -> PositionEncoding.GRID;
      default -> throw new IllegalArgumentException(
          "model config field \"positions\" must be \"learned\", \"sinusoidal\" or \"grid\", got \"" + positions + "\"");
    };
    return new ModelConfig(integer(json, "vocabSize"), integer(json, "maxLength"), integer(json, "layers"),
        integer(json, "heads"), integer(json, "dim"), integer(json, "mlpRatio"), number(json, "dropout"), encoding,
        bool(json, "bias"), bool(json, "startSlot"), grid(json));
  }

  private static JsonNode field(JsonNode json, String name) {
    JsonNode value = json.get(name);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("model config is missing the field \"" + name + "\"");
    }
    return value;
  }

  private static int integer(JsonNode json, String name) {
    JsonNode value = field(json, name);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException("model config field \"" + name + "\" must be an integer, got " + value);
    }
    return value.intValue();
  }

  private static double number(JsonNode json, String name) {
    JsonNode value = field(json, name);
    if (!value.isNumber()) {
      throw new IllegalArgumentException("model config field \"" + name + "\" must be a number, got " + value);
    }
    return value.doubleValue();
  }

  private static boolean bool(JsonNode json, String name) {
    JsonNode value = field(json, name);
    if (!value.isBoolean()) {
      throw new IllegalArgumentException("model config field \"" + name + "\" must be true or false, got " + value);
    }
    return value.booleanValue();
  }

  private static String text(JsonNode json, String name) {
    JsonNode value = field(json, name);
    if (!value.isTextual()) {
      throw new IllegalArgumentException("model config field \"" + name + "\" must be a string, got " + value);
    }
    return value.textValue();
  }
}
