package dev.anyorder.server;

import dev.anyorder.api.RequestBuilder;
import dev.anyorder.api.ScoreSettings;
import dev.anyorder.api.TextTemplate;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.io.JsonFields;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.sampling.InvalidSettingException;
import dev.anyorder.sampling.OrderSpec;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerConfigJson;
import dev.anyorder.sampling.SamplerDefaults;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.sampling.TokenFilter;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import dev.anyorder.model.GapLayout;
import dev.anyorder.sampling.GapRequest;
import java.util.Set;

/**
 * Turns request bodies into validated {@link GenerationSpec}s and {@link ScoringSpec}s for one model and
 * the server's limits. Field names are snake_case and mirror the command line's options; the sampler
 * fields are {@link SamplerConfigJson}'s, the one JSON form of a sampler configuration, and a request that
 * names none of them starts from the model's {@link SamplerDefaults} (its recommended decoding, if it records
 * one). Unknown fields, wrong types and out-of-range values are rejected with a {@code 400} naming the field
 * (an {@link ApiException}, or an {@link dev.anyorder.io.InvalidFieldException} the server answers alike).
 */
final class RequestParser {
  /** Fields of every request besides what it computes: how it is delivered and how long it may take. */
  static final Set<String> DELIVERY_FIELDS = Set.of("stream", "timeout_ms");
  /** Sampler options shared by {@code /v1/generate} and {@code /v1/infill}: the sampler schema's fields, no others. */
  static final Set<String> SAMPLER_FIELDS = union(SamplerConfigJson.FIELDS, DELIVERY_FIELDS);
  static final Set<String> GENERATE_FIELDS = union(SAMPLER_FIELDS, Set.of("length", "prompt", "known", "given"));
  static final Set<String> INFILL_FIELDS = union(SAMPLER_FIELDS, Set.of("text", "placeholder"));
  /**
   * A score's fields: the sequence, its known positions, and of the sampler schema the order, the seed and
   * the token filter; {@code orders} is here the number of random orders of the order-free estimate.
   */
  static final Set<String> SCORE_FIELDS = Set.of("text", "tokens", "known", SamplerConfigJson.ORDER, SamplerConfigJson.ORDERS,
      SamplerConfigJson.SEED, SamplerConfigJson.TEMPERATURE, SamplerConfigJson.TOP_K, SamplerConfigJson.TOP_P, "timeout_ms");
  /** Most random orders a burst round verifies or a score averages over. */
  static final int MAX_ORDERS = 64;
  static final int MAX_K = 64;
  /** Highest temperature and Gumbel scale a request may ask for: beyond, every conditional is about uniform. */
  static final double MAX_TEMPERATURE = 100;
  static final double MAX_GUMBEL = 100;

  private final ModelConfig model;
  private final Vocabulary vocabulary;
  private final ServerConfig limits;
  private final SamplerDefaults defaults;
  private final Optional<GapLayout> gaps;
  private final CostModel costs;

  /** A parser for a model that recommends no decoding: requests start from the library's defaults. */
  RequestParser(ModelConfig model, Vocabulary vocabulary, ServerConfig limits) {
    this(model, vocabulary, limits, SamplerDefaults.LIBRARY);
  }

  /** A parser whose requests start from {@code defaults} where they name no sampler option, priced in rows. */
  RequestParser(ModelConfig model, Vocabulary vocabulary, ServerConfig limits, SamplerDefaults defaults) {
    this(model, vocabulary, limits, defaults, Optional.empty(), CostModel.rowsOnly(limits));
  }

  /** A parser that also takes gaps of unknown length, for a model trained for them ({@code gaps}). */
  RequestParser(ModelConfig model, Vocabulary vocabulary, ServerConfig limits, SamplerDefaults defaults, Optional<GapLayout> gaps) {
    this(model, vocabulary, limits, defaults, gaps, CostModel.rowsOnly(limits));
  }

  /** A parser whose requests start from {@code defaults} and are priced and capped by {@code costs}. */
  RequestParser(ModelConfig model, Vocabulary vocabulary, ServerConfig limits, SamplerDefaults defaults, CostModel costs) {
    this(model, vocabulary, limits, defaults, Optional.empty(), costs);
  }

  /**
   * A parser whose requests start from {@code defaults}, are priced and capped by {@code costs}, and may hold
   * gaps of unknown length when the model was trained for them ({@code gaps}).
   */
  RequestParser(ModelConfig model, Vocabulary vocabulary, ServerConfig limits, SamplerDefaults defaults, Optional<GapLayout> gaps,
      CostModel costs) {
    this.gaps = Objects.requireNonNull(gaps, "gaps");
    this.model = Objects.requireNonNull(model, "model");
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.defaults = Objects.requireNonNull(defaults, "defaults");
    this.costs = Objects.requireNonNull(costs, "costs");
  }

  /** What {@code spec} costs the server. */
  long cost(GenerationSpec spec) {
    return costs.cost(spec.sampler(), spec.work());
  }

  /** What {@code spec} costs the server, bounded as a generation of its whole block. */
  long cost(GapFillSpec spec) {
    return costs.cost(spec.sampler(), spec.work());
  }

  /** What {@code spec} costs the server. */
  long cost(ScoringSpec spec) {
    return costs.cost(CostModel.SCORE, spec.work());
  }

  /** {@code POST /v1/generate}: a length with known tokens by position, a text prompt, or a full {@code given} array. */
  GenerationSpec generate(byte[] body) {
    JsonFields f = StrictJson.parse(body).allowOnly(GENERATE_FIELDS);
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
    JsonFields f = StrictJson.parse(body).allowOnly(INFILL_FIELDS);
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

  /**
   * {@code POST /v1/infill} whose text has gaps of unknown length ({@code {...}}, {@code {...N}}), or empty
   * when it has none, for {@link #infill} to take.
   */
  Optional<GapFillSpec> gapInfill(byte[] body) {
    JsonFields f = StrictJson.parse(body).allowOnly(INFILL_FIELDS);
    String text = f.has("text") && vocabulary.isText() ? f.optionalString("text", model.maxLength()) : null;
    if (text == null || !TextTemplate.hasGapsOfUnknownLength(text)) {
      return Optional.empty();
    }
    if (gaps.isEmpty()) {
      throw ApiException.invalidField("text", "'text' has a gap of unknown length ({...}), but this model was not trained for them;"
          + " give each gap's length with {_N}");
    }
    GapLayout layout = gaps.get();
    String placeholder = f.optionalString("placeholder", 1);
    if (placeholder != null && (placeholder.isEmpty() || Character.isSupplementaryCodePoint(placeholder.codePointAt(0)))) {
      throw ApiException.invalidField("placeholder", "'placeholder' must be exactly one character");
    }
    char mark = placeholder == null ? '_' : placeholder.charAt(0);
    GapRequest request = attempt("text", () -> TextTemplate.parseGaps(vocabulary, text, mark, layout.maxGap()).validate(model, layout));
    if (nonNull(f.optionalBoolean("stream"), false)) {
      throw ApiException.invalidField("stream", "'stream' is not available for gaps of unknown length yet: their content has no"
          + " positions until the lengths are drawn");
    }
    int block = layout.block(model);
    SamplerConfig config = SamplerConfigJson.read(f, new SamplerConfigJson.Limits(model.vocabSize(), MAX_K, MAX_ORDERS,
        limits.maxSamples(), block, MAX_TEMPERATURE, MAX_GUMBEL), defaults);
    if (config.order().explicit() != null) {
      throw ApiException.invalidField("order", "'order' cannot list positions for gaps of unknown length, whose positions depend"
          + " on the lengths drawn: name an order kind");
    }
    if ((long) block * config.numSamples() > limits.maxTokens()) {
      throw ApiException.invalidField("num_samples", "block " + block + " × num_samples " + config.numSamples()
          + " exceeds this server's limit of " + limits.maxTokens() + " tokens per request");
    }
    GapFillSpec spec = new GapFillSpec(request, layout, config, block, timeout(f), f.has("timeout_ms"));
    checkCost(cost(spec), spec.work(), "gaps of unknown length: a block of " + block + " × num_samples " + config.numSamples());
    return Optional.of(spec);
  }

  /** {@code POST /v1/score}: a complete text or token sequence, which positions are known, and the order(s). */
  ScoringSpec score(byte[] body) {
    JsonFields f = StrictJson.parse(body).allowOnly(SCORE_FIELDS);
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
    Long seed = f.optionalLong(SamplerConfigJson.SEED);
    TokenFilter filter = SamplerConfigJson.filter(f, model.vocabSize(), MAX_TEMPERATURE, TokenFilter.NONE);
    ScoreSettings settings = new ScoreSettings(knownPositions, order, orders, seed == null ? ScoreSettings.DEFAULT_SEED : seed);
    ScoreRequest request;
    try {
      request = settings.request(model, tokens);
    } catch (InvalidSettingException e) {
      throw settingError(e);
    }
    ScoringSpec spec = new ScoringSpec(request, settings, filter, timeout(f), f.has("timeout_ms"));
    checkCost(cost(spec), spec.work(), "score: " + orders + " orders × " + tokens.length + " positions");
    return spec;
  }

  private GenerationSpec generation(JsonFields f, SampleRequest request) {
    attempt(f.has("text") ? "text" : f.has("given") ? "given" : "known", () -> request.validate(model));
    SamplerConfig config = SamplerConfigJson.read(f, new SamplerConfigJson.Limits(model.vocabSize(), MAX_K, MAX_ORDERS,
        limits.maxSamples(), request.length(), MAX_TEMPERATURE, MAX_GUMBEL), defaults);
    int numSamples = config.numSamples();
    if ((long) request.length() * numSamples > limits.maxTokens()) {
      throw ApiException.invalidField("num_samples", "length " + request.length() + " × num_samples " + numSamples
          + " exceeds this server's limit of " + limits.maxTokens() + " tokens per request");
    }
    int[] explicit = config.order().explicit();
    if (explicit != null) {
      int[] sorted = explicit.clone();
      Arrays.sort(sorted);
      if (!Arrays.equals(sorted, request.targetPositions())) {
        throw ApiException.invalidField("order", "'order' must list every position to generate exactly once ("
            + request.targetPositions().length + " positions)");
      }
    }
    SamplerKind kind = config.kind();
    if (kind == SamplerKind.BURST && (long) config.burstOrders() * numSamples > limits.maxBatchSequences() * 4L) {
      throw ApiException.invalidField("orders", "burst 'orders' × num_samples is too large for this server");
    }
    boolean stream = nonNull(f.optionalBoolean("stream"), false);
    GenerationSpec spec = new GenerationSpec(request, config, stream, timeout(f), f.has("timeout_ms"));
    checkCost(cost(spec), spec.work(), terms(config, request));
    return spec;
  }

  /**
   * A request above the per-request cost cap is refused with a 400 that names its cost, what makes it up and
   * the cap, so a client knows what to ask for less of.
   */
  private void checkCost(long cost, dev.anyorder.sampling.SamplingWork work, String terms) {
    if (cost > costs.maxCost()) {
      String time = costs.measured() ? ", about " + Math.round(costs.millis(cost)) + " ms of work" : "";
      throw new ApiException(400, "cost_limit", null, "this request costs " + cost + " (up to " + work.rows() + " network rows in "
          + work.calls() + " calls; " + terms + time + "), more than this server's max_cost of " + costs.describeCap()
          + "; ask for fewer samples, orders or tokens");
    }
  }

  /** What drives a generation's work, in the words of its fields. */
  private static String terms(SamplerConfig config, SampleRequest request) {
    int targets = request.length() - request.knownCount();
    String per = switch (config.kind()) {
      case BURST -> "burst: " + config.burstOrders() + " orders verified over up to " + targets + " positions a round, up to "
          + targets + " rounds";
      case ADAPTIVE -> config.beam() > 1
          ? "adaptive beam " + config.beam() + ": " + config.beam() + " hypotheses × " + targets + " positions a call, and a rerank of "
              + config.beam() + " × " + targets + "²"
          : "adaptive: every remaining position of " + targets + " asked each call, k = " + config.k();
      case SPECULATIVE -> "speculative: up to " + targets + " rounds of a draft window";
      case SEQUENTIAL -> "sequential: " + targets + " positions";
    };
    return per + ", × num_samples " + config.numSamples();
  }

  /** A score's order: a name, or the target positions as an array (whose coverage the request builder checks). */
  private static OrderSpec scoreOrder(JsonFields f, int length) {
    return SamplerConfigJson.order(f, length, OrderSpec.of(ScoreSettings.DEFAULT_ORDER));
  }

  private Duration timeout(JsonFields f) {
    long max = limits.requestTimeout().toMillis();
    Integer ms = f.optionalInt("timeout_ms", 1, (int) Math.min(Integer.MAX_VALUE, max));
    return ms == null ? limits.requestTimeout() : Duration.ofMillis(ms);
  }

  private static <T> T attempt(String field, java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField(field, "'" + field + "': " + StrictJson.oneLine(e.getMessage()));
    }
  }

  /**
   * The request field of each request setting ({@link InvalidSettingException#setting()} of the request
   * builder); the sampler's and token filter's settings are {@link SamplerConfigJson#fieldOf}'s.
   */
  static final Map<String, String> FIELD_OF_REQUEST_SETTING = Map.of("known", "known", "order", "order", "prompt", "prompt",
      "length", "length", "tokens", "tokens");

  private static ApiException settingError(InvalidSettingException e) {
    String field = FIELD_OF_REQUEST_SETTING.getOrDefault(e.setting(), SamplerConfigJson.fieldOf(e.setting()));
    return ApiException.invalidField(field, StrictJson.oneLine(e.getMessage()));
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
