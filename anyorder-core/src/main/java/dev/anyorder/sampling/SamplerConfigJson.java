package dev.anyorder.sampling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.io.InvalidFieldException;
import dev.anyorder.io.JsonFields;
import dev.anyorder.orders.OrderKind;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The one JSON form of a {@link SamplerConfig}: the sampler fields of HTTP requests, the {@code sampler}
 * a response echoes, the per-sampler defaults {@code GET /v1/model} lists, and the recommended decoding a
 * model records in its {@code config.json} ({@code training.decoding}). Field names are snake_case and
 * mirror the command line's flags:
 *
 * <pre>{@code
 * {"sampler": "adaptive", "order": "random", "k": 1, "temperature": 0.1, "top_k": 0, "top_p": 1.0,
 *  "seed": 0, "num_samples": 1, "rule": "margin", "orders": 5, "drafter": "self", "bonus": true,
 *  "adaptive_k": true, "gumbel": 0.0, "beam": 1}
 * }</pre>
 *
 * <p>{@code order} is an order label or an array of the target positions in generation order; {@code
 * orders} is burst sampling's number of verified orders. {@link #toJson} writes every field. Reading is
 * strict: a field of the wrong type, out of range or not a valid setting is an {@link InvalidFieldException}
 * naming it, and a field left out takes the value of the defaults of the object's sampler kind.
 */
public final class SamplerConfigJson {
  public static final String SAMPLER = "sampler";
  public static final String ORDER = "order";
  public static final String K = "k";
  public static final String TEMPERATURE = "temperature";
  public static final String TOP_K = "top_k";
  public static final String TOP_P = "top_p";
  public static final String SEED = "seed";
  public static final String NUM_SAMPLES = "num_samples";
  public static final String RULE = "rule";
  public static final String ORDERS = "orders";
  public static final String DRAFTER = "drafter";
  public static final String BONUS = "bonus";
  public static final String ADAPTIVE_K = "adaptive_k";
  public static final String GUMBEL = "gumbel";
  public static final String BEAM = "beam";
  /** Most hypotheses a beam search keeps per sequence: each multiplies the rows of every network call. */
  public static final int MAX_BEAM = 64;

  /** Every field of a sampler object. */
  public static final Set<String> FIELDS = Set.of(SAMPLER, ORDER, K, TEMPERATURE, TOP_K, TOP_P, SEED, NUM_SAMPLES, RULE, ORDERS,
      DRAFTER, BONUS, ADAPTIVE_K, GUMBEL, BEAM);

  /** Longest label a reader looks at: every label is far shorter, and a long string is no label. */
  private static final int MAX_LABEL = 64;

  /** The field of each {@link SamplerConfig} setting ({@link InvalidSettingException#setting()}). */
  private static final Map<String, String> FIELD_OF_SETTING = Map.ofEntries(
      Map.entry("temperature", TEMPERATURE), Map.entry("topK", TOP_K), Map.entry("topP", TOP_P), Map.entry("k", K),
      Map.entry("burstOrders", ORDERS), Map.entry("gumbelScale", GUMBEL), Map.entry("numSamples", NUM_SAMPLES), Map.entry("adaptiveK", ADAPTIVE_K),
      Map.entry("bonus", BONUS), Map.entry("drafter", DRAFTER), Map.entry("beam", BEAM));

  private SamplerConfigJson() {}

  /**
   * Bounds a reader puts on the fields on top of the ranges {@link SamplerConfig} checks itself, such as a
   * server's cost limits; {@link #NONE} adds none.
   *
   * @param maxTopK largest {@code top_k} (a model's vocabulary size), &ge; 0
   * @param maxK largest {@code k}, &ge; 1
   * @param maxBurstOrders largest {@code orders}, &ge; 1
   * @param maxSamples largest {@code num_samples}, &ge; 1
   * @param maxPositions length of the sequence an explicit {@code order} lists positions of, &ge; 1
   * @param maxTemperature largest {@code temperature}, at least {@link TokenFilter#MIN_TEMPERATURE}
   * @param maxGumbel largest {@code gumbel}, &ge; 0
   */
  public record Limits(int maxTopK, int maxK, int maxBurstOrders, int maxSamples, int maxPositions, double maxTemperature,
      double maxGumbel) {
    /** Only the ranges of {@link SamplerConfig} itself: every valid config reads back. */
    public static final Limits NONE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
        Integer.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE);

    public Limits {
      if (maxTopK < 0 || maxK < 1 || maxBurstOrders < 1 || maxSamples < 1 || maxPositions < 1
          || !(maxTemperature >= TokenFilter.MIN_TEMPERATURE) || !(maxGumbel >= 0)) {
        throw new IllegalArgumentException("sampler field limits must admit at least one value each, got " + maxTopK + ", " + maxK
            + ", " + maxBurstOrders + ", " + maxSamples + ", " + maxPositions + ", " + maxTemperature + ", " + maxGumbel);
      }
    }
  }

  /** {@code config} as a sampler object with every field. */
  public static ObjectNode toJson(SamplerConfig config) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put(SAMPLER, config.kind().label());
    if (config.order().explicit() != null) {
      Arrays.stream(config.order().explicit()).forEach(o.putArray(ORDER)::add);
    } else {
      o.put(ORDER, config.order().kind().label());
    }
    o.put(K, config.k());
    o.put(TEMPERATURE, config.temperature());
    o.put(TOP_K, config.topK());
    o.put(TOP_P, config.topP());
    o.put(SEED, config.seed());
    o.put(NUM_SAMPLES, config.numSamples());
    o.put(RULE, config.rule().label());
    o.put(ORDERS, config.burstOrders());
    o.put(DRAFTER, config.drafter().label());
    o.put(BONUS, config.bonus());
    o.put(ADAPTIVE_K, config.adaptiveK());
    o.put(GUMBEL, config.gumbelScale());
    o.put(BEAM, config.beam());
    return o;
  }

  /**
   * Reads a sampler object such as {@link #toJson} writes; fields left out take the library's defaults.
   *
   * @throws InvalidFieldException naming the unknown, ill-typed or invalid field
   */
  public static SamplerConfig fromJson(JsonNode json) {
    return fromJson(json, "");
  }

  /**
   * As {@link #fromJson(JsonNode)}, for the object called {@code name} (such as {@code training.decoding}),
   * which qualifies the fields errors name.
   */
  public static SamplerConfig fromJson(JsonNode json, String name) {
    return read(JsonFields.of(json, name).allowOnly(FIELDS), Limits.NONE, SamplerDefaults.LIBRARY);
  }

  /**
   * Reads the sampler fields of an object that may hold others (a request), within {@code limits}; a field
   * left out takes its value from {@code defaults} for the sampler kind named (or {@link
   * SamplerDefaults#defaultKind()}). An explicit {@code order} is read as positions within
   * {@link Limits#maxPositions()}; whether it lists the right ones is the caller's to check.
   *
   * @throws InvalidFieldException naming the ill-typed, out-of-range or invalid field
   */
  public static SamplerConfig read(JsonFields f, Limits limits, SamplerDefaults defaults) {
    SamplerKind kind = label(f, SAMPLER, SamplerKind::parse, defaults.defaultKind());
    SamplerConfig base = defaults.forKind(kind);
    // A fixed order of reads, so a request with several faults always hears of the same one first.
    int numSamples = f.intOr(NUM_SAMPLES, 1, limits.maxSamples(), base.numSamples());
    OrderSpec order = order(f, limits.maxPositions(), base.order());
    TokenFilter filter = filter(f, limits.maxTopK(), limits.maxTemperature(), base.filter());
    long seed = or(f.optionalLong(SEED), base.seed());
    int k = f.intOr(K, 1, limits.maxK(), base.k());
    boolean adaptiveK = or(f.optionalBoolean(ADAPTIVE_K), base.adaptiveK());
    boolean bonus = or(f.optionalBoolean(BONUS), base.bonus());
    DrafterKind drafter = label(f, DRAFTER, DrafterKind::parse, base.drafter());
    int burstOrders = f.intOr(ORDERS, 1, limits.maxBurstOrders(), base.burstOrders());
    PositionRule rule = label(f, RULE, PositionRule::parse, base.rule());
    double gumbel = or(f.optionalDouble(GUMBEL, 0, true, limits.maxGumbel()), base.gumbelScale());
    int beam = f.intOr(BEAM, 1, MAX_BEAM, base.beam());
    try {
      return new SamplerConfig(kind, order, filter.temperature(), filter.topK(), filter.topP(), seed, k, adaptiveK, bonus, drafter,
          burstOrders, rule, gumbel, numSamples, beam);
    } catch (InvalidSettingException e) {
      String field = fieldOf(e.setting());
      throw new InvalidFieldException(f.name(field == null ? e.setting() : field), e.getMessage());
    }
  }

  /**
   * The token filter's fields ({@code temperature} up to {@code maxTemperature}, {@code top_k} up to {@code
   * maxTopK}, {@code top_p}) of a sampler object or of a score request; {@code fallback}'s for those absent.
   */
  public static TokenFilter filter(JsonFields f, int maxTopK, double maxTemperature, TokenFilter fallback) {
    double temperature = or(f.optionalDouble(TEMPERATURE, TokenFilter.MIN_TEMPERATURE, true, maxTemperature), fallback.temperature());
    int topK = f.intOr(TOP_K, 0, maxTopK, fallback.topK());
    double topP = or(f.optionalDouble(TOP_P, 0, false, 1), fallback.topP());
    return new TokenFilter(temperature, topK, topP); // the ranges read are the filter's own: it cannot refuse them
  }

  /**
   * The {@code order} field: an order label, or an array of target positions in {@code 0..maxPositions-1}
   * (at most {@code maxPositions} of them); {@code fallback} when absent.
   */
  public static OrderSpec order(JsonFields f, int maxPositions, OrderSpec fallback) {
    if (!f.has(ORDER)) {
      return fallback;
    }
    if (f.isString(ORDER)) {
      return OrderSpec.of(label(f, ORDER, OrderKind::parse, fallback.kind()));
    }
    if (!f.isArray(ORDER)) {
      throw new InvalidFieldException(f.name(ORDER), "'" + f.name(ORDER) + "' must be an order name "
          + Arrays.toString(OrderKind.labels()) + " or an array of the target positions in generation order");
    }
    return OrderSpec.explicit(f.optionalIntArray(ORDER, maxPositions, 0, maxPositions - 1));
  }

  /**
   * The field of a {@link SamplerConfig} or {@link TokenFilter} setting as its record component names it
   * ({@link InvalidSettingException#setting()}, e.g. {@code topK}), or null for a setting of neither.
   */
  public static String fieldOf(String setting) {
    return FIELD_OF_SETTING.get(setting);
  }

  private static <T> T label(JsonFields f, String field, Function<String, T> parse, T fallback) {
    String label = f.optionalString(field, MAX_LABEL);
    if (label == null) {
      return fallback;
    }
    try {
      return parse.apply(label);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(f.name(field), "'" + f.name(field) + "': " + e.getMessage());
    }
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
