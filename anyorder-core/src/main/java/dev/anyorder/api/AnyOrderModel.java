package dev.anyorder.api;

import ai.djl.ndarray.NDManager;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.density.Scorer;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.WeightFormat;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.model.djl.PyTorchRuntime;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.model.java.JavaNetwork;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.Sampler;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerDefaults;
import dev.anyorder.training.TrainingCheckpoint;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

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
 * <p>A loaded model is not thread-safe: use one per thread, or serialise calls (the server batches them).
 */
public final class AnyOrderModel implements AutoCloseable {
  private final Path directory;
  private final SavedModel saved;
  private final NDManager manager; // null on the Java backend
  private final Network network;
  private final Optional<SamplerConfig> recommendedDecoding;

  private AnyOrderModel(Path directory, SavedModel saved, Optional<SamplerConfig> recommendedDecoding, NDManager manager,
      Network network) {
    this.directory = directory;
    this.saved = saved;
    this.recommendedDecoding = recommendedDecoding;
    this.manager = manager;
    this.network = network;
  }

  /** Loads and validates a model directory on the CPU with one thread, on the {@link Backend#AUTO} backend. */
  public static AnyOrderModel load(Path directory) {
    return load(directory, Backend.DEFAULT, 1);
  }

  /**
   * Loads a model directory on the CPU with {@code backend}: {@code threads} engine threads for DJL, and
   * for the Java runtime that many threads across the sequences of a batch. {@link Backend#AUTO} loads
   * both and places each decode state by the directory's {@link BackendCrossover}.
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
      return onDevice(directory, saved, decoding, format.apply(saved.config(), weights), "cpu", threads);
    }
    JavaNetwork java = new JavaNetwork(saved.config(), weights, threads, format);
    if (backend == Backend.JAVA) {
      return new AnyOrderModel(directory, saved, decoding, null, java);
    }
    NDManager manager = PyTorchRuntime.newManager("cpu", threads);
    try {
      SigmaGpt model = SigmaGpt.fromWeights(saved.config(), format.apply(saved.config(), weights), manager, false);
      AutoNetwork auto = new AutoNetwork(new DjlNetwork(model, true), java, BackendCrossover.forModel(directory));
      return new AnyOrderModel(directory, saved, decoding, manager, auto);
    } catch (RuntimeException e) {
      java.close();
      manager.close();
      throw e;
    }
  }

  /** Loads a model directory onto {@code device} with {@code threads} engine threads (DJL backend). */
  public static AnyOrderModel load(Path directory, String device, int threads) {
    SavedModel saved = ModelDirectory.load(directory);
    return onDevice(directory, saved, recordedDecoding(directory, saved), NamedTensor.byName(saved.weights()), device, threads);
  }

  private static AnyOrderModel onDevice(Path directory, SavedModel saved, Optional<SamplerConfig> decoding,
      Map<String, float[]> weights, String device, int threads) {
    NDManager manager = PyTorchRuntime.newManager(device, threads);
    try {
      SigmaGpt model = SigmaGpt.fromWeights(saved.config(), weights, manager, false);
      return new AnyOrderModel(directory, saved, decoding, manager, new DjlNetwork(model, true));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
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
    return new AnyOrderModel(directory, saved, recordedDecoding(directory, saved), null, network);
  }

  /**
   * The decoding {@code saved} records as the one it is made for, read when the model is loaded so that an
   * invalid record fails the load, naming the file and the field.
   */
  private static Optional<SamplerConfig> recordedDecoding(Path directory, SavedModel saved) {
    Path file = directory == null ? Path.of(ModelDirectory.CONFIG_FILE) : directory.resolve(ModelDirectory.CONFIG_FILE);
    return TrainingCheckpoint.recommendedDecoding(saved.training(), file);
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

  /** A request from text with {@code placeholder} marking each unknown token. */
  public SampleRequest infill(String template, char placeholder) {
    return TextTemplate.parse(vocabulary(), template, placeholder).validate(config());
  }

  /** A request of {@code length} tokens whose first tokens are the encoded {@code prompt}. */
  public SampleRequest prompt(String prompt, int length) {
    return TextTemplate.prefix(vocabulary(), prompt, length).validate(config());
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
    if (manager != null) {
      manager.close();
    }
  }
}
