package dev.anyorder.api;

import dev.anyorder.data.Vocabulary;
import dev.anyorder.density.GapScorer;
import dev.anyorder.density.Scorer;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.GapLayout;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.NetworkEngine;
import dev.anyorder.model.WeightFormat;
import dev.anyorder.model.java.JavaNetwork;
import dev.anyorder.sampling.GapFill;
import dev.anyorder.sampling.GapRequest;
import dev.anyorder.sampling.GapSampler;
import dev.anyorder.sampling.RecommendedDecoding;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.Sampler;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerDefaults;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java entry point to a trained σ-GPT: load a model directory, then sample, infill or score.
 *
 * <pre>{@code
 * try (AnyOrderModel model = AnyOrderModel.load(Path.of("runs/kjv"))) {
 *   SampleRequest request = model.infill("In the beginning ____ created the heaven", '_');
 *   Sample s = model.sampler(SamplerConfig.defaults(SamplerKind.SPECULATIVE)).sample(List.of(request)).samples().get(0);
 *   System.out.println(model.decode(s.tokens()));
 * }
 * }</pre>
 *
 * <p>The pure-Java runtime is always there. A native engine ({@link NetworkEngine}, e.g. DJL/PyTorch from the
 * module {@code anyorder-djl}) is used when it is on the class path: {@link Backend#DJL} needs it, and
 * {@link Backend#AUTO} runs on the pure-Java runtime alone, saying so once, when no engine is installed.
 *
 * <p>A loaded model is not thread-safe: use one per thread, or serialise calls (the server batches them).
 */
public final class AnyOrderModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnyOrderModel.class);
  /** The engine {@link Backend#DJL} names, and the one {@link Backend#AUTO} prefers when several are installed. */
  private static final String DJL_ENGINE = Backend.DJL.name().toLowerCase(Locale.ROOT);
  private static final AtomicBoolean FALLBACK_REPORTED = new AtomicBoolean();

  private final Path directory;
  private final SavedModel saved;
  private final Network network;
  private final Optional<SamplerConfig> recommendedDecoding;
  private final Optional<GapLayout> gapLayout;

  private AnyOrderModel(Path directory, SavedModel saved, Optional<SamplerConfig> recommendedDecoding, Network network) {
    this.directory = directory;
    this.saved = saved;
    this.recommendedDecoding = recommendedDecoding;
    this.network = network;
    // Read when the model is loaded, so that a malformed record fails the load rather than the first request.
    this.gapLayout = GapLayout.recorded(saved.training()).map(layout -> layout.validate(saved.config()));
  }

  /** Loads and validates a model directory on the CPU with one thread, on the {@link Backend#AUTO} backend. */
  public static AnyOrderModel load(Path directory) {
    return load(directory, Backend.DEFAULT, 1);
  }

  /**
   * Loads a model directory on the CPU with {@code backend}: {@code threads} engine threads for DJL, and
   * for the Java runtime that many threads across the sequences of a batch. {@link Backend#AUTO} loads
   * both and places each decode state by the directory's {@link BackendCrossover}, or only the Java runtime
   * when no native engine is installed.
   *
   * @throws IllegalStateException for {@link Backend#DJL} when the DJL engine is not on the class path
   */
  public static AnyOrderModel load(Path directory, Backend backend, int threads) {
    return load(directory, backend, threads, WeightFormat.FLOAT32);
  }

  /**
   * As {@link #load(Path, Backend, int)}, with the weight matrices kept in {@code format}: with
   * {@link WeightFormat#BFLOAT16} every backend computes the model with its matrices rounded to bfloat16,
   * and the Java runtime stores them in half the memory.
   */
  public static AnyOrderModel load(Path directory, Backend backend, int threads, WeightFormat format) {
    return of(directory, ModelDirectory.load(directory), backend, threads, format);
  }

  /**
   * A model over weights already read from {@code directory}, on the CPU with {@code backend} and
   * {@code threads} as in {@link #load(Path, Backend, int)}: one read of a directory can back several
   * models, for example one per thread of a Spark executor.
   */
  public static AnyOrderModel of(Path directory, SavedModel saved, Backend backend, int threads) {
    return of(directory, saved, backend, threads, WeightFormat.FLOAT32);
  }

  /** As {@link #of(Path, SavedModel, Backend, int)}, with the weight matrices kept in {@code format}. */
  public static AnyOrderModel of(Path directory, SavedModel saved, Backend backend, int threads, WeightFormat format) {
    java.util.Objects.requireNonNull(saved, "saved");
    java.util.Objects.requireNonNull(format, "format");
    Optional<SamplerConfig> decoding = recordedDecoding(directory, saved);
    // Both backends round by the same WeightFormat rule, so AUTO's two compute the same model; the Java
    // runtime rounds the copies it packs anyway, so only DJL is handed a rounded map.
    Map<String, float[]> weights = NamedTensor.byName(saved.weights());
    if (backend == Backend.DJL) {
      Network djl = djlEngine().open(saved.config(), format.apply(saved.config(), weights), "cpu", threads);
      return new AnyOrderModel(directory, saved, decoding, djl);
    }
    Optional<NetworkEngine> engine = backend == Backend.AUTO ? autoEngine() : Optional.empty();
    JavaNetwork java = new JavaNetwork(saved.config(), weights, threads, format);
    if (engine.isEmpty()) {
      return new AnyOrderModel(directory, saved, decoding, java);
    }
    try {
      Network onEngine = engine.get().open(saved.config(), format.apply(saved.config(), weights), "cpu", threads);
      return new AnyOrderModel(directory, saved, decoding, new AutoNetwork(onEngine, java, BackendCrossover.forModel(directory)));
    } catch (RuntimeException e) {
      java.close();
      throw e;
    }
  }

  /**
   * Loads a model directory onto {@code device} with {@code threads} engine threads (DJL backend).
   *
   * @throws IllegalStateException when the DJL engine is not on the class path
   */
  public static AnyOrderModel load(Path directory, String device, int threads) {
    SavedModel saved = ModelDirectory.load(directory);
    Network djl = djlEngine().open(saved.config(), NamedTensor.byName(saved.weights()), device, threads);
    return new AnyOrderModel(directory, saved, recordedDecoding(directory, saved), djl);
  }

  /** The DJL engine, which {@link Backend#DJL} asks for by name: a clear error, not a fallback, when it is missing. */
  private static NetworkEngine djlEngine() {
    return NetworkEngine.named(DJL_ENGINE).orElseThrow(() -> new IllegalStateException("the DJL/PyTorch engine is not on the"
        + " class path: add the module dev.anyorder:anyorder-djl for --backend djl, or use --backend java (the pure-Java runtime)"));
  }

  /**
   * The native engine {@link Backend#AUTO} pairs with the Java runtime: DJL when it is installed, else the first
   * engine found, else none, which is reported once per JVM, since AUTO then quietly means the Java runtime.
   */
  private static Optional<NetworkEngine> autoEngine() {
    List<NetworkEngine> engines = NetworkEngine.installed();
    Optional<NetworkEngine> chosen = engines.stream().filter(e -> e.name().equals(DJL_ENGINE)).findFirst()
        .or(() -> engines.stream().findFirst());
    if (chosen.isEmpty() && FALLBACK_REPORTED.compareAndSet(false, true)) {
      LOG.info("No native engine on the class path (the DJL/PyTorch one is the module dev.anyorder:anyorder-djl):"
          + " --backend auto runs every call on the pure-Java runtime");
    }
    return chosen;
  }

  /**
   * A model over a network built elsewhere (another backend, or a test double that injects faults); it
   * takes ownership of {@code network} and closes it.
   *
   * @param directory where {@code saved} came from, or null
   */
  public static AnyOrderModel of(Path directory, SavedModel saved, Network network) {
    java.util.Objects.requireNonNull(saved, "saved");
    java.util.Objects.requireNonNull(network, "network");
    if (!network.config().equals(saved.config())) {
      throw new IllegalArgumentException("the network's config differs from the saved model's");
    }
    return new AnyOrderModel(directory, saved, recordedDecoding(directory, saved), network);
  }

  /**
   * The decoding {@code saved} records as the one it is made for, read when the model is loaded so that an
   * invalid record fails the load, naming the file and the field.
   */
  private static Optional<SamplerConfig> recordedDecoding(Path directory, SavedModel saved) {
    Path file = directory == null ? Path.of(ModelDirectory.CONFIG_FILE) : directory.resolve(ModelDirectory.CONFIG_FILE);
    return RecommendedDecoding.read(saved.training(), file);
  }

  public Path directory() {
    return directory;
  }

  public ModelConfig config() {
    return saved.config();
  }

  public Vocabulary vocabulary() {
    return saved.vocabulary();
  }

  /** Everything stored in the directory: training record, data provenance, extra files. */
  public SavedModel saved() {
    return saved;
  }

  /** The engine-neutral network the samplers and the scorer use. */
  public Network network() {
    return network;
  }

  /**
   * The decoding the model was made for, as its {@code config.json} records it ({@code training.decoding}),
   * if it records one. Front ends open on it: a request naming no sampler gets it ({@link SamplerDefaults}).
   */
  public Optional<SamplerConfig> recommendedDecoding() {
    return recommendedDecoding;
  }

  public Sampler sampler(SamplerConfig config) {
    return Sampler.create(network, config);
  }

  public Scorer scorer() {
    return new Scorer(network);
  }

  /**
   * Scores fills of gaps of unknown length, lengths included, so fills of different lengths can be ranked.
   *
   * @throws IllegalStateException when the model was not trained for gaps of unknown length
   */
  public GapScorer gapScorer() {
    return new GapScorer(network, gapLayout.orElseThrow(() -> new IllegalStateException(
        "this model was not trained for gaps of unknown length: it has no length slots to score")));
  }

  /** A request from text with {@code placeholder} marking each unknown token. */
  public SampleRequest infill(String template, char placeholder) {
    return withinContent(TextTemplate.parse(vocabulary(), template, placeholder).validate(config()));
  }

  /**
   * How the model sizes gaps of unknown length, if it was trained for them (its training config records
   * {@code gaps}); models trained before gap training, or without it, have none.
   */
  public Optional<GapLayout> gapLayout() {
    return gapLayout;
  }

  /**
   * A request from text whose gaps may have unknown lengths: {@code _} (one token), {@code {_N}} (N tokens),
   * {@code {...}} (0 up to the model's longest gap) and {@code {...N}} (0 up to N), checked against the model.
   *
   * @throws IllegalArgumentException naming the problem: a malformed or unclosed gap, an unknown character, a
   *     gap of unknown length on a model not trained for them, a gap or text too long for the model
   */
  public GapRequest gaps(String template) {
    return gaps(template, '_');
  }

  /** As {@link #gaps(String)}, with {@code placeholder} for one unknown token instead of {@code _}. */
  public GapRequest gaps(String template, char placeholder) {
    GapRequest request = TextTemplate.parseGaps(vocabulary(), template, placeholder, gapLayout.map(GapLayout::maxGap).orElse(0));
    if (request.gaps() > 0 && gapLayout.isEmpty()) {
      throw new IllegalArgumentException("this model was not trained for gaps of unknown length ({...}): train it with --gaps,"
          + " or give each gap's length with {_N}");
    }
    if (gapLayout.isPresent()) {
      return request.validate(config(), gapLayout.get());
    }
    new SampleRequest(request.template()).validate(config());
    return request;
  }

  /**
   * Fills the gaps of {@code template} ({@link #gaps}) {@code config.numSamples()} times, with their lengths
   * where unknown; the fills come back best first, by their log-probability including the lengths (exact for
   * sequential and speculative decoding, see {@link GapFill#logProb()}).
   */
  public List<GapFill> fillGaps(String template, SamplerConfig config) {
    return fillGaps(template, '_', config);
  }

  /** As {@link #fillGaps(String, SamplerConfig)}, with {@code placeholder} for one unknown token. */
  public List<GapFill> fillGaps(String template, char placeholder, SamplerConfig config) {
    GapRequest request = gaps(template, placeholder);
    List<GapRequest> copies = java.util.Collections.nCopies(config.numSamples(), request);
    List<GapFill> fills;
    if (gapLayout.isPresent()) {
      fills = new GapSampler(network, gapLayout.get(), config).sample(copies);
    } else {
      // Only fixed-length gaps (checked by gaps()): the ordinary sampler, with no lengths to draw.
      List<Sample> samples = sampler(config).sample(new SampleRequest(request.template())).samples();
      fills = samples.stream().map(s -> new GapFill(new int[0], 0, s, new int[0][], s.nfe())).toList();
    }
    return fills.stream().sorted(java.util.Comparator.comparingDouble(GapFill::logProb).reversed()).toList();
  }

  /** Most ways a text may fit a template for {@link #scoreFill}; beyond, the text is refused as too ambiguous. */
  public static final int MAX_ALIGNMENTS = 4096;

  /**
   * How probable {@code text} is as a fill of {@code template}'s gaps, lengths included: the exact
   * {@code log p(text | context)}, summed over every way the text fits the template, content scored left to
   * right. Fills of different lengths are on one scale, so they can be ranked. Character models only (with
   * subwords, a text has many tokenizations).
   *
   * @throws IllegalArgumentException when the text does not fit the template, naming it, or fits it in more
   *     than {@link #MAX_ALIGNMENTS} ways
   */
  public FillScore scoreFill(String template, String text) {
    if (!(vocabulary() instanceof dev.anyorder.data.CharacterVocabulary)) {
      throw new IllegalArgumentException("scoring a fill of a template needs a character model: a subword text has many tokenizations");
    }
    GapRequest request = gaps(template);
    int[] tokens = vocabulary().encode(text);
    List<int[]> ways = TextTemplate.alignments(request, tokens, MAX_ALIGNMENTS);
    if (ways.isEmpty()) {
      throw new IllegalArgumentException("the text does not fit the template: its known characters differ, or a gap would be"
          + " longer than it allows");
    }
    List<GapScorer.Fill> fills = ways.stream().map(l -> GapScorer.Fill.leftToRight(request, l, tokens)).toList();
    List<GapScorer.GapScore> scores = gapLayout.isPresent() ? gapScorer().scoreAll(fills)
        : List.of(new GapScorer.GapScore(0, leftToRight(request, tokens), request.fixedTokens()));
    int best = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < scores.size(); i++) {
      if (scores.get(i).logProb() > max) {
        max = scores.get(i).logProb();
        best = i;
      }
    }
    double sum = 0;
    for (GapScorer.GapScore s : scores) {
      sum += max == Double.NEGATIVE_INFINITY ? 0 : Math.exp(s.logProb() - max);
    }
    double logProb = max == Double.NEGATIVE_INFINITY ? max : max + Math.log(sum);
    return new FillScore(logProb, ways.size(), ways.get(best), scores.get(best));
  }

  /** {@code log p} of the unknown tokens of a template without gaps of unknown length, left to right. */
  private double leftToRight(GapRequest request, int[] tokens) {
    int[] given = request.template();
    boolean[] known = new boolean[given.length];
    for (int i = 0; i < given.length; i++) {
      known[i] = given[i] != SampleRequest.UNKNOWN;
    }
    int[] order = java.util.stream.IntStream.range(0, given.length).filter(i -> !known[i]).toArray();
    return order.length == 0 ? 0 : scorer().score(new dev.anyorder.density.ScoreRequest(tokens, known, order)).logProb();
  }

  /** A request of {@code length} tokens whose first tokens are the encoded {@code prompt}. */
  public SampleRequest prompt(String prompt, int length) {
    return withinContent(TextTemplate.prefix(vocabulary(), prompt, length).validate(config()));
  }

  /**
   * The longest sequence the model writes: its {@code maxLength}, less the length slots of a model trained
   * for gaps of unknown length (those positions hold lengths, never content).
   */
  public int contentLength() {
    return gapLayout.map(layout -> layout.block(config())).orElse(config().maxLength());
  }

  private SampleRequest withinContent(SampleRequest request) {
    if (request.length() > contentLength()) {
      throw new IllegalArgumentException("length " + request.length() + " exceeds the model's content block of " + contentLength()
          + " tokens (its last " + (config().maxLength() - contentLength()) + " positions hold gap lengths)");
    }
    return request;
  }

  /** Decodes complete tokens to text (or space-separated ids). */
  public String decode(int[] tokens) {
    return vocabulary().decode(tokens);
  }

  /** Renders a partial sequence, showing {@code placeholder} where no token is committed yet (id &lt; 0). */
  public String render(int[] tokens, char placeholder) {
    return TextTemplate.render(vocabulary(), tokens, placeholder);
  }

  @Override
  public void close() {
    network.close();
  }
}
