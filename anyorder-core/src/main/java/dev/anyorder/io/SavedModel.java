package dev.anyorder.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.WeightLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a checkpoint directory holds (see {@link ModelDirectory}): the model's shape, vocabulary and
 * weights, optionally optimizer state, the trainer's and the data's JSON records, and extra files.
 *
 * <p>Validated on construction: the vocabulary size equals {@code config.vocabSize()}, the weights are
 * exactly the tensors of {@link WeightLayout#expected} with the expected shapes (and the tied head equal to
 * the embedding); they are kept in layout order. JSON and byte arrays are copied in and out; tensor data is
 * shared (see {@link NamedTensor}).
 *
 * @param config the network's shape
 * @param vocabulary maps text to ids; its size is {@code config.vocabSize()}
 * @param weights every tensor of the layout
 * @param optimizer optimizer state (e.g. AdamW moments) and its metadata, or {@code null} for none
 * @param training the trainer's JSON object (hyper-parameters, step, ...), or {@code null}
 * @param data provenance JSON object of the training data, or {@code null}
 * @param extraFiles further files by plain file name (e.g. {@code tokenizer.json}), possibly empty
 */
public record SavedModel(
    ModelConfig config,
    Vocabulary vocabulary,
    List<NamedTensor> weights,
    TensorFile optimizer,
    JsonNode training,
    JsonNode data,
    Map<String, byte[]> extraFiles) {

  public SavedModel {
    Objects.requireNonNull(config, "config must not be null");
    Objects.requireNonNull(vocabulary, "vocabulary must not be null");
    Objects.requireNonNull(weights, "weights must not be null");
    Objects.requireNonNull(extraFiles, "extraFiles must not be null (use an empty map)");
    if (vocabulary.size() != config.vocabSize()) {
      throw new IllegalArgumentException("vocabulary has " + vocabulary.size() + " tokens but the model config has "
          + "vocabSize " + config.vocabSize());
    }
    Optional<String> problem = weightProblem(config, weights);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    weights = inLayoutOrder(config, weights);
    training = objectOrNull(training, "training");
    data = objectOrNull(data, "data");
    Map<String, byte[]> files = new TreeMap<>();
    extraFiles.forEach((name, bytes) -> {
      ModelDirectory.checkExtraFileName(name);
      files.put(name, Objects.requireNonNull(bytes, () -> "extra file '" + name + "' has null content").clone());
    });
    extraFiles = Collections.unmodifiableMap(files);
  }

  /** A model with weights only: no optimizer state, JSON records or extra files. */
  public static SavedModel of(ModelConfig config, Vocabulary vocabulary, List<NamedTensor> weights) {
    return new SavedModel(config, vocabulary, weights, null, null, null, Map.of());
  }

  /** This model with {@code optimizer} state instead. */
  public SavedModel withOptimizer(TensorFile optimizer) {
    return new SavedModel(config, vocabulary, weights, optimizer, training, data, extraFiles);
  }

  /** The optimizer state, if any. */
  public Optional<TensorFile> optimizerState() {
    return Optional.ofNullable(optimizer);
  }

  /** The weight called {@code name}. */
  public NamedTensor weight(String name) {
    return weights.stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no weight named '" + name + "'"));
  }

  @Override
  public JsonNode training() {
    return training == null ? null : training.deepCopy();
  }

  @Override
  public JsonNode data() {
    return data == null ? null : data.deepCopy();
  }

  /** The extra files (copies of the contents), by name in sorted order. */
  @Override
  public Map<String, byte[]> extraFiles() {
    Map<String, byte[]> copy = new LinkedHashMap<>();
    extraFiles.forEach((name, bytes) -> copy.put(name, bytes.clone()));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * What is wrong with {@code weights} for {@code config}, if anything: a duplicate, missing or unexpected
   * tensor, a wrong shape, or a head that is not tied to the embedding.
   */
  public static Optional<String> weightProblem(ModelConfig config, List<NamedTensor> weights) {
    Map<String, long[]> expected = WeightLayout.expected(config);
    Map<String, NamedTensor> byName = new HashMap<>();
    for (NamedTensor t : weights) {
      Objects.requireNonNull(t, "weights must not contain null");
      if (byName.put(t.name(), t) != null) {
        return Optional.of("duplicate tensor '" + t.name() + "'");
      }
    }
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      NamedTensor t = byName.get(e.getKey());
      if (t == null) {
        return Optional.of("missing tensor '" + e.getKey() + "' (expected shape " + Arrays.toString(e.getValue()) + ")");
      }
      if (!t.hasShape(e.getValue())) {
        return Optional.of("tensor '" + e.getKey() + "' has shape " + Arrays.toString(t.shape()) + ", expected "
            + Arrays.toString(e.getValue()));
      }
    }
    for (NamedTensor t : weights) {
      if (!expected.containsKey(t.name())) {
        return Optional.of("unexpected tensor '" + t.name() + "' (not part of this model config)");
      }
    }
    if (!Arrays.equals(byName.get(WeightLayout.WTE).data(), byName.get(WeightLayout.LM_HEAD).data())) {
      return Optional.of("tensor '" + WeightLayout.LM_HEAD + "' differs from '" + WeightLayout.WTE
          + "': the output head is tied to the token embedding and must be stored identically");
    }
    return Optional.empty();
  }

  private static List<NamedTensor> inLayoutOrder(ModelConfig config, List<NamedTensor> weights) {
    Map<String, NamedTensor> byName = new HashMap<>();
    weights.forEach(t -> byName.put(t.name(), t));
    List<NamedTensor> ordered = new ArrayList<>(weights.size());
    WeightLayout.expected(config).keySet().forEach(name -> ordered.add(byName.get(name)));
    return List.copyOf(ordered);
  }

  private static JsonNode objectOrNull(JsonNode json, String what) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      return null;
    }
    if (!json.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object, got " + json.getNodeType());
    }
    return json.deepCopy();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SavedModel m)) {
      return false;
    }
    if (!(config.equals(m.config) && vocabulary.equals(m.vocabulary) && weights.equals(m.weights)
        && Objects.equals(optimizer, m.optimizer) && Objects.equals(training, m.training)
        && Objects.equals(data, m.data) && extraFiles.keySet().equals(m.extraFiles.keySet()))) {
      return false;
    }
    return extraFiles.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), m.extraFiles.get(e.getKey())));
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(config, vocabulary, weights, optimizer, training, data);
    for (Map.Entry<String, byte[]> e : extraFiles.entrySet()) {
      h = 31 * h + e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
    }
    return h;
  }

  @Override
  public String toString() {
    return "SavedModel[" + config + ", " + vocabulary + ", " + weights.size() + " weights"
        + (optimizer == null ? "" : ", " + optimizer.tensors().size() + " optimizer tensors")
        + ", extra files " + extraFiles.keySet() + "]";
  }
}
