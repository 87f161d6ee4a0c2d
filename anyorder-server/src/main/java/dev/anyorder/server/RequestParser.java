package dev.anyorder.server;

import dev.anyorder.api.RequestBuilder;
import dev.anyorder.api.TextTemplate;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.sampling.DrafterKind;
import dev.anyorder.sampling.InvalidSettingException;
import dev.anyorder.sampling.OrderSpec;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.sampling.TokenFilter;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Turns request bodies into validated {@link GenerationSpec}s and {@link ScoringSpec}s for one model and
 * the server's limits. Field names are snake_case and mirror the command line's options; unknown fields,
 * wrong types and out-of-range values are rejected with a {@code 400} naming the field.
 */
final class RequestParser {
  /** Sampler options shared by {@code /v1/generate} and {@code /v1/infill}. */
  static final Set<String> SAMPLER_FIELDS = Set.of("sampler", "order", "k", "temperature", "top_k", "top_p", "seed",
      "num_samples", "rule", "orders", "drafter", "bonus", "adaptive_k", "gumbel", "stream", "timeout_ms");
  static final Set<String> GENERATE_FIELDS = union(SAMPLER_FIELDS, Set.of("length", "prompt", "known", "given"));
  static final Set<String> INFILL_FIELDS = union(SAMPLER_FIELDS, Set.of("text", "placeholder"));
  static final Set<String> SCORE_FIELDS = Set.of("text", "tokens", "known", "order", "orders", "seed", "temperature", "top_k",
      "top_p", "timeout_ms");
  /** Most random orders a burst round verifies or a score averages over. */
  static final int MAX_ORDERS = 64;
  static final int MAX_K = 64;

  private final ModelConfig model;
  private final Vocabulary vocabulary;
  private final ServerConfig limits;

  RequestParser(ModelConfig model, Vocabulary vocabulary, ServerConfig limits) {
    this.model = Objects.requireNonNull(model, "model");
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** {@code POST /v1/generate}: a length with known tokens by position, a text prompt, or a full {@code given} array. */
  GenerationSpec generate(byte[] body) {
    StrictJson.Fields f = StrictJson.parse(body).allowOnly(GENERATE_FIELDS);
    int maxLength = model.maxLength();
    SampleRequest request;
    if (f.has("given")) {
      for (String other : new String[] {"length", "known", "prompt"}) {
        if (f.has(other)) {
          throw ApiException.invalidField(other, "'" + other + "' cannot be combined with 'given' (which fixes length and known tokens)");
        }
      }
      int[] given = f.optionalIntArray("given", maxLength, SampleRequest.UNKNOWN, model.vocabSize() - 1);
      if (given.length == 0) {
        throw ApiException.invalidField("given", "'given' must hold at least one entry (-1 for a position to generate)");
      }
      request = new SampleRequest(given);
    } else {
      int length = f.intOr("length", 1, maxLength, maxLength);
      String prompt = f.optionalString("prompt", maxLength);
      Map<Integer, Integer> known = f.optionalIntMap("known", length - 1, model.vocabSize() - 1);
      try {
        request = RequestBuilder.sampleRequest(model, vocabulary, length, prompt, known);
      } catch (InvalidSettingException e) {
        throw settingError(e);
      }
    }
    return generation(f, request);
  }

  /** {@code POST /v1/infill}: text with a placeholder character for each token to generate. */
  GenerationSpec infill(byte[] body) {
    StrictJson.Fields f = StrictJson.parse(body).allowOnly(INFILL_FIELDS);
    if (!vocabulary.isText()) {
      throw ApiException.invalidField("text", "this model's vocabulary is token ids, not text: use /v1/generate with 'given' or 'known'");
    }
    String text = f.optionalString("text", model.maxLength());
    if (text == null || text.isEmpty()) {
      throw ApiException.invalidField("text", "'text' is required: the text with a placeholder (default '_') for each character to fill");
    }
    String placeholder = f.optionalString("placeholder", 1);
    if (placeholder != null && (placeholder.isEmpty() || Character.isSupplementaryCodePoint(placeholder.codePointAt(0)))) {
      throw ApiException.invalidField("placeholder", "'placeholder' must be exactly one character");
    }
    char mark = placeholder == null ? '_' : placeholder.charAt(0);
    SampleRequest request = attempt("text", () -> TextTemplate.parse(vocabulary, text, mark));
    return generation(f, request);
  }

  /** {@code POST /v1/score}: a complete text or token sequence, which positions are known, and the order(s). */
  ScoringSpec score(byte[] body) {
    StrictJson.Fields f = StrictJson.parse(body).allowOnly(SCORE_FIELDS);
    int maxLength = model.maxLength();
    if (f.has("text") == f.has("tokens")) {
      throw ApiException.invalidField(f.has("text") ? "tokens" : "text", "give exactly one of 'text' and 'tokens'");
    }
    int[] parsed;
    if (f.has("text")) {
      if (!vocabulary.isText()) {
        throw ApiException.invalidField("text", "this model's vocabulary is token ids, not text: use 'tokens'");
      }
      String text = f.optionalString("text", maxLength);
      parsed = attempt("text", () -> vocabulary.encode(text));
    } else {
      parsed = f.optionalIntArray("tokens", maxLength, 0, model.vocabSize() - 1);
    }
    int[] tokens = parsed;
    if (tokens.length == 0) {
      throw ApiException.invalidField(f.has("text") ? "text" : "tokens", "the sequence to score is empty");
    }
    int[] knownPositions = f.optionalIntArray("known", tokens.length, 0, tokens.length - 1);
    OrderSpec order = scoreOrder(f, tokens.length);
    int orders = f.intOr("orders", 1, MAX_ORDERS, 1);
    long seed = f.optionalLong("seed") == null ? 0L : f.optionalLong("seed");
    TokenFilter filter;
    try {
      filter = new TokenFilter(nonNull(f.optionalDouble("temperature", TokenFilter.MIN_TEMPERATURE, true, 100), 1.0),
          f.intOr("top_k", 0, model.vocabSize(), 0), nonNull(f.optionalDouble("top_p", 0, false, 1), 1.0));
    } catch (InvalidSettingException e) {
      throw settingError(e);
    }
    ScoreRequest request;
    try {
      request = RequestBuilder.scoreRequest(model, tokens, knownPositions, order, new SplittableRandom(seed));
    } catch (InvalidSettingException e) {
      throw settingError(e);
    }
    ScoringSpec spec = new ScoringSpec(request.tokens(), request.known(), OrderSpec.explicit(request.targetOrder()), orders, seed,
        filter, timeout(f), f.has("timeout_ms"));
    checkCost(spec.cost(), "length " + tokens.length + " × orders " + orders);
    return spec;
  }

  private GenerationSpec generation(StrictJson.Fields f, SampleRequest request) {
    attempt(f.has("text") ? "text" : f.has("given") ? "given" : "known", () -> request.validate(model));
    SamplerKind kind = parseLabel(f, "sampler", SamplerKind::parse, SamplerConfig.DEFAULT_KIND);
    SamplerConfig defaults = SamplerConfig.defaults(kind);
    int numSamples = f.intOr("num_samples", 1, limits.maxSamples(), 1);
    if ((long) request.length() * numSamples > limits.maxTokens()) {
      throw ApiException.invalidField("num_samples", "length " + request.length() + " × num_samples " + numSamples
          + " exceeds this server's limit of " + limits.maxTokens() + " tokens per request");
    }
    OrderSpec order = order(f, request, OrderKind.RANDOM);
    SamplerConfig config;
    try {
      config = new SamplerConfig(kind, order,
          nonNull(f.optionalDouble("temperature", TokenFilter.MIN_TEMPERATURE, true, 100), defaults.temperature()),
          f.intOr("top_k", 0, model.vocabSize(), defaults.topK()),
          nonNull(f.optionalDouble("top_p", 0, false, 1), defaults.topP()),
          f.optionalLong("seed") == null ? defaults.seed() : f.optionalLong("seed"),
          f.intOr("k", 1, MAX_K, defaults.k()),
          nonNull(f.optionalBoolean("adaptive_k"), defaults.adaptiveK()),
          nonNull(f.optionalBoolean("bonus"), defaults.bonus()),
          parseLabel(f, "drafter", DrafterKind::parse, defaults.drafter()),
          f.intOr("orders", 1, MAX_ORDERS, defaults.burstOrders()),
          parseLabel(f, "rule", PositionRule::parse, defaults.rule()),
          nonNull(f.optionalDouble("gumbel", 0, true, 100), defaults.gumbelScale()),
          numSamples);
    } catch (InvalidSettingException e) {
      throw settingError(e);
    }
    if (kind == SamplerKind.BURST && (long) config.burstOrders() * numSamples > limits.maxBatchSequences() * 4L) {
      throw ApiException.invalidField("orders", "burst 'orders' × num_samples is too large for this server");
    }
    boolean stream = nonNull(f.optionalBoolean("stream"), false);
    GenerationSpec spec = new GenerationSpec(request, config, stream, timeout(f), f.has("timeout_ms"));
    checkCost(spec.cost(), "length " + request.length() + " × num_samples " + numSamples + " × orders "
        + (kind == SamplerKind.BURST ? config.burstOrders() : 1));
    return spec;
  }

  /** A request above the per-request cost cap is refused with a 400 that names the limit. */
  private void checkCost(long cost, String terms) {
    if (cost > limits.maxCost()) {
      throw new ApiException(400, "cost_limit", null, "this request costs " + cost + " (" + terms
          + "), more than this server's max_cost of " + limits.maxCost() + "; ask for fewer samples, orders or tokens");
    }
  }

  private OrderSpec order(StrictJson.Fields f, SampleRequest request, OrderKind fallback) {
    if (!f.has("order")) {
      return OrderSpec.of(fallback);
    }
    if (f.isString("order")) {
      return OrderSpec.of(parseLabel(f, "order", OrderKind::parse, fallback));
    }
    if (!f.isArray("order")) {
      throw ApiException.invalidField("order", "'order' must be an order name " + Arrays.toString(OrderKind.labels())
          + " or an array of the target positions in generation order");
    }
    int[] explicit = f.optionalIntArray("order", request.length(), 0, request.length() - 1);
    int[] sorted = explicit.clone();
    Arrays.sort(sorted);
    if (!Arrays.equals(sorted, request.targetPositions())) {
      throw ApiException.invalidField("order", "'order' must list every position to generate exactly once ("
          + request.targetPositions().length + " positions)");
    }
    return OrderSpec.explicit(explicit);
  }

  /** A score's order: a name, or the target positions as an array (whose coverage the request builder checks). */
  private OrderSpec scoreOrder(StrictJson.Fields f, int length) {
    if (f.has("order") && f.isArray("order")) {
      return OrderSpec.explicit(f.optionalIntArray("order", length, 0, length - 1));
    }
    return order(f, null, OrderKind.LEFT_TO_RIGHT);
  }

  private Duration timeout(StrictJson.Fields f) {
    long max = limits.requestTimeout().toMillis();
    Integer ms = f.optionalInt("timeout_ms", 1, (int) Math.min(Integer.MAX_VALUE, max));
    return ms == null ? limits.requestTimeout() : Duration.ofMillis(ms);
  }

  private static <T> T parseLabel(StrictJson.Fields f, String field, Function<String, T> parse, T fallback) {
    String label = f.optionalString(field, 64);
    if (label == null) {
      return fallback;
    }
    try {
      return parse.apply(label);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField(field, "'" + field + "': " + e.getMessage());
    }
  }

  private static <T> T attempt(String field, java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField(field, "'" + field + "': " + StrictJson.oneLine(e.getMessage()));
    }
  }

  /** The request field of each library setting ({@link InvalidSettingException#setting()}). */
  static final Map<String, String> FIELD_OF_SETTING = Map.ofEntries(Map.entry("temperature", "temperature"),
      Map.entry("topK", "top_k"), Map.entry("topP", "top_p"), Map.entry("k", "k"), Map.entry("burstOrders", "orders"),
      Map.entry("gumbelScale", "gumbel"), Map.entry("numSamples", "num_samples"), Map.entry("adaptiveK", "adaptive_k"),
      Map.entry("bonus", "bonus"), Map.entry("drafter", "drafter"), Map.entry("known", "known"), Map.entry("order", "order"),
      Map.entry("prompt", "prompt"), Map.entry("length", "length"), Map.entry("tokens", "tokens"));

  private static ApiException settingError(InvalidSettingException e) {
    return ApiException.invalidField(FIELD_OF_SETTING.get(e.setting()), StrictJson.oneLine(e.getMessage()));
  }

  private static <T> T nonNull(T value, T fallback) {
    return value == null ? fallback : value;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> s = new HashSet<>(a);
    s.addAll(b);
    return Set.copyOf(s);
  }
}
