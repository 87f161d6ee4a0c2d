package dev.anyorder.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.io.CheckpointException;
import dev.anyorder.io.InvalidFieldException;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.Provenance;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.io.TensorFile;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.sampling.RecommendedDecoding;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerConfigJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Saves a training run into a model directory and restores it: weights, AdamW moments, the step count
 * and the training configuration, so {@code --resume} continues exactly where the run stopped. The
 * training record also holds the decoding the model is made for, when the run was given one
 * ({@link #DECODING}), which front ends open on.
 */
public final class TrainingCheckpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UPDATES = "updates";

  private TrainingCheckpoint() {}

  /** What a resumed run needs. */
  public record Restored(SavedModel saved, TrainConfig trainConfig, int step, Map<String, float[]> weights) {}

  /**
   * Field of the training record holding the decoding the model is made for, a sampler object in the form of
   * {@link SamplerConfigJson} (the HTTP API's), which front ends open on.
   */
  public static final String DECODING = RecommendedDecoding.FIELD;

  /** Field of the training record holding where and with what the model was trained ({@link Provenance}). */
  public static final String PROVENANCE = "provenance";

  /**
   * Where and with what the model of a training record was trained, if the record says (models from before
   * provenance was recorded do not).
   *
   * @throws CheckpointException naming the file and field when the object is malformed
   */
  public static Optional<Provenance> provenance(JsonNode training, Path configFile) {
    JsonNode json = training == null ? null : training.get(PROVENANCE);
    if (json == null || json.isNull()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Provenance.fromJson(json, "training." + PROVENANCE));
    } catch (InvalidFieldException e) {
      throw new CheckpointException(configFile + ": " + e.getMessage() + " (the model's provenance)", e);
    }
  }

  /**
   * Writes the model, optimizer state and training record atomically (see {@link ModelDirectory}), the
   * record with {@code decoding} as {@link #DECODING} when given.
   */
  public static void save(Path dir, Trainer trainer, Vocabulary vocabulary, JsonNode data, Map<String, byte[]> extraFiles,
      double seconds, Optional<SamplerConfig> decoding) {
    ModelConfig c = trainer.model().config();
    ObjectNode record = trainingRecord(trainer, seconds);
    decoding.ifPresent(d -> record.set(DECODING, SamplerConfigJson.toJson(d)));
    SavedModel saved = new SavedModel(c, vocabulary, NamedTensor.inLayout(c, trainer.model().weights()), optimizerFile(trainer.optimizer()),
        record, data, extraFiles);
    ModelDirectory.save(dir, saved);
  }

  /**
   * The recommended decoding a training record holds ({@link #DECODING}), if it holds one.
   *
   * @param training the {@code training} object of a {@code config.json}, or null
   * @param configFile the file it was read from, named in errors
   * @throws CheckpointException naming the file and the field when the decoding is not a valid sampler
   *     object, or lists explicit positions (a model's decoding must fit any request, so it names an order kind)
   */
  public static Optional<SamplerConfig> recommendedDecoding(JsonNode training, Path configFile) {
    // Read by the core, which loads models without this module.
    return RecommendedDecoding.read(training, configFile);
  }

  /** Loads a checkpoint written by {@link #save} with its optimizer state, for {@code --resume}. */
  public static Restored load(Path dir) {
    SavedModel saved = ModelDirectory.load(dir, true);
    JsonNode training = saved.training();
    if (training == null || !training.has("config") || !training.has("step")) {
      throw new CheckpointException(dir.resolve(ModelDirectory.CONFIG_FILE) + " has no training record: it cannot be resumed");
    }
    TrainConfig trainConfig;
    try {
      trainConfig = JSON.treeToValue(training.get("config"), TrainConfig.class);
    } catch (Exception e) {
      throw new CheckpointException(dir.resolve(ModelDirectory.CONFIG_FILE) + ": invalid training config: " + e.getMessage());
    }
    if (saved.optimizerState().isEmpty()) {
      throw new CheckpointException(dir + " has no " + ModelDirectory.OPTIMIZER_FILE + ": it cannot be resumed exactly");
    }
    return new Restored(saved, trainConfig, training.get("step").asInt(), NamedTensor.byName(saved.weights()));
  }

  /** Puts the saved optimizer state into a live trainer and moves its step counter. */
  public static void restoreInto(Trainer trainer, Restored restored) {
    TensorFile optimizer = restored.saved().optimizerState().orElseThrow();
    String updates = optimizer.metadata().get(UPDATES);
    if (updates == null) {
      throw new CheckpointException(ModelDirectory.OPTIMIZER_FILE + " has no '" + UPDATES + "' metadata");
    }
    trainer.optimizer().restore(NamedTensor.byName(optimizer.tensors()), Long.parseLong(updates));
    trainer.resumeAt(restored.step());
  }

  private static TensorFile optimizerFile(AdamW optimizer) {
    List<NamedTensor> tensors = new ArrayList<>();
    for (Map.Entry<String, float[]> e : optimizer.state().entrySet()) {
      tensors.add(new NamedTensor(e.getKey(), new long[] {e.getValue().length}, e.getValue()));
    }
    return new TensorFile(tensors, Map.of(UPDATES, Long.toString(optimizer.updates()), "optimizer", "adamw"));
  }

  /** The evaluation stored in a training record, or null when it holds none. */
  public static Trainer.Evaluation savedEvaluation(JsonNode training) {
    JsonNode e = training == null ? null : training.get("evaluation");
    if (e == null || e.isNull()) {
      return null;
    }
    try {
      return JSON.treeToValue(e, Trainer.Evaluation.class);
    } catch (Exception ex) {
      throw new CheckpointException("invalid evaluation in the training record: " + ex.getMessage());
    }
  }

  private static ObjectNode trainingRecord(Trainer trainer, double seconds) {
    ObjectNode n = JSON.createObjectNode();
    n.put(TrainingRun.THREADS, trainer.workers());
    n.put("step", trainer.step());
    n.put("completed", trainer.step() >= trainer.config().steps());
    n.put("wallSeconds", seconds);
    n.set("config", JSON.valueToTree(trainer.config()));
    // Training runs on DJL in float32, whatever engine the model is later served with.
    n.set(PROVENANCE, Provenance.current("djl", "float32", trainer.workers()).toJson());
    if (trainer.lastEvaluation() != null) {
      n.set("evaluation", JSON.valueToTree(trainer.lastEvaluation()));
    }
    return n;
  }
}
