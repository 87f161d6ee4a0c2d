package dev.anyorder.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.Backend;
import dev.anyorder.data.IdVocabulary;
import dev.anyorder.io.CheckpointException;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.WeightLayout;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerConfigJson;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model records the decoding it is made for as {@code training.decoding} of its {@code config.json}, in
 * the HTTP API's sampler vocabulary: written by a training run, kept by a resume, read back at load, and a
 * bad one fails the load naming the file and the field.
 */
class RecommendedDecodingTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final SamplerConfig DECODING = SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(PositionRule.MARGIN).withTemperature(0.1);

  @TempDir Path tmp;

  /** A tiny model directory whose training record is {@code training}. */
  static Path model(Path dir, JsonNode training) {
    ModelConfig config = TinyModels.config(5, 6);
    Map<String, float[]> weights = SigmaGpt.initialWeights(config, 3);
    weights.put(WeightLayout.LM_HEAD, weights.get(WeightLayout.WTE).clone()); // the tied head is stored under both names
    SavedModel saved = new SavedModel(config, new IdVocabulary(5), NamedTensor.inLayout(config, weights), null, training, null, Map.of());
    ModelDirectory.save(dir, saved);
    return dir;
  }

  static ObjectNode recording(JsonNode decoding) {
    ObjectNode training = JSON.createObjectNode();
    training.put("step", 10);
    training.set(TrainingCheckpoint.DECODING, decoding);
    return training;
  }

  @Test
  void theDecodingReadsBackThroughTheModelDirectory() throws Exception {
    Path dir = model(tmp.resolve("m"), recording(SamplerConfigJson.toJson(DECODING)));
    JsonNode written = JSON.readTree(Files.readAllBytes(dir.resolve(ModelDirectory.CONFIG_FILE)));
    assertEquals(SamplerConfigJson.toJson(DECODING).toString(), written.at("/training/decoding").toString(),
        "the API's sampler object, as written");
    Path file = dir.resolve(ModelDirectory.CONFIG_FILE);
    assertEquals(Optional.of(DECODING), TrainingCheckpoint.recommendedDecoding(ModelDirectory.load(dir).training(), file));
    try (AnyOrderModel loaded = AnyOrderModel.load(dir, Backend.JAVA, 1)) {
      assertEquals(Optional.of(DECODING), loaded.recommendedDecoding());
    }
    Path none = model(tmp.resolve("none"), null);
    try (AnyOrderModel loaded = AnyOrderModel.load(none, Backend.JAVA, 1)) {
      assertEquals(Optional.empty(), loaded.recommendedDecoding());
    }
  }

  @Test
  void anInvalidDecodingFailsTheLoadNamingTheFileAndTheField() throws Exception {
    for (String[] bad : List.of(new String[] {"{\"sampler\": \"adaptive\", \"temperature\": \"cold\"}", "'training.decoding.temperature'"},
        new String[] {"{\"sampler\": \"greedy\"}", "'training.decoding.sampler'"},
        new String[] {"{\"colour\": \"red\"}", "'training.decoding.colour'"},
        new String[] {"\"adaptive\"", "'training.decoding' must be a JSON object"},
        new String[] {"{\"order\": [1, 0]}", "'training.decoding.order' must be an order name"})) {
      Path dir = model(tmp.resolve("bad-" + bad[1].hashCode()), recording(JSON.readTree(bad[0])));
      CheckpointException e = assertThrows(CheckpointException.class, () -> AnyOrderModel.load(dir, Backend.JAVA, 1).close(), bad[0]);
      assertTrue(e.getMessage().startsWith(dir.resolve(ModelDirectory.CONFIG_FILE) + ": "), e.getMessage());
      assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
    }
  }

  @Test
  void aTrainingRunRecordsItsDecodingAndAResumeKeepsIt() throws Exception {
    Path out = tmp.resolve("run");
    TrainingRun.Spec base = TrainingRunTest.spec(out);
    TrainingRun.Spec spec = new TrainingRun.Spec(out, base.model(), base.train(), base.data(), base.vocabulary(), base.extraFiles(),
        base.device(), base.threads(), Optional.of(DECODING));
    assertThrows(IllegalStateException.class, () -> TrainingRun.run(spec, false, TrainingRunTest.recording(new java.util.ArrayList<>(), 4)));
    Path file = out.resolve(ModelDirectory.CONFIG_FILE);
    assertEquals(Optional.of(DECODING), TrainingCheckpoint.recommendedDecoding(ModelDirectory.load(out).training(), file),
        "every checkpoint records it");
    TrainingRun.run(base, true, new Trainer.Listener() {}); // resumed by a command that names no decoding
    JsonNode training = ModelDirectory.load(out).training();
    assertTrue(training.path("completed").asBoolean(), training.toString());
    assertEquals(Optional.of(DECODING), TrainingCheckpoint.recommendedDecoding(training, file));
    TrainingRun.run(base.withOut(tmp.resolve("plain")), false, new Trainer.Listener() {});
    assertTrue(ModelDirectory.load(tmp.resolve("plain")).training().get(TrainingCheckpoint.DECODING) == null, "none given, none written");
  }
}
