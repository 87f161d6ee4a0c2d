package dev.anyorder.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.io.CheckpointException;
import dev.anyorder.io.InvalidFieldException;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.Provenance;
import dev.anyorder.io.SavedModel;
import dev.anyorder.data.IdVocabulary;
import dev.anyorder.testing.FixedDataset;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trained model's config.json records where and with what it was made, reads back, and old files still load. */
class ProvenanceTest {
  @TempDir Path tmp;

  @Test
  void aTrainedModelRecordsItsProvenance() {
    Path out = tmp.resolve("m");
    TrainConfig train = TrainingRunTest.spec(out).train().withSteps(2).withEvaluation(0, 1).withCheckpointEvery(0);
    TrainingRun.run(new TrainingRun.Spec(out, TrainerTest.CONFIG, train, new FixedDataset(TrainerTest.SEQUENCES, 8), new IdVocabulary(8),
        Map.of(), "cpu", 2), false, new Trainer.Listener() {});
    SavedModel saved = ModelDirectory.load(out);
    Provenance p = TrainingCheckpoint.provenance(saved.training(), out.resolve(ModelDirectory.CONFIG_FILE)).orElseThrow();
    assertEquals("djl", p.backend());
    assertEquals("float32", p.weightFormat());
    assertEquals(2, p.threads());
    assertTrue(p.jvm().contains(System.getProperty("java.runtime.version")), p.jvm());
    assertTrue(p.os().contains(System.getProperty("os.name")), p.os());
    assertNotEquals(Provenance.UNKNOWN, p.version(), "the build filters the version into build.properties");
    assertTrue(p.commit().equals(Provenance.UNKNOWN) || p.commit().matches("[0-9a-f]{40}"), p.commit());
    assertEquals(Provenance.current("djl", "float32", 2), p, "the process's own provenance");
  }

  @Test
  void roundTripsThroughJsonText() throws Exception {
    Provenance p = Provenance.current("auto", "bfloat16", 3);
    ObjectMapper json = new ObjectMapper();
    JsonNode reread = json.readTree(json.writeValueAsString(p.toJson()));
    assertEquals(p, Provenance.fromJson(reread, "training.provenance"));
    assertTrue(p.describe().contains("bfloat16"), p.describe());
  }

  @Test
  void everyFieldIsOptionalAndOldRecordsHaveNone() {
    ObjectMapper json = new ObjectMapper();
    Provenance partial = Provenance.fromJson(json.createObjectNode().put("version", "0.0.1"), "training.provenance");
    assertEquals("0.0.1", partial.version());
    assertEquals(Provenance.UNKNOWN, partial.commit());
    assertEquals(0, partial.threads());
    ObjectNode oldTraining = json.createObjectNode().put("step", 3);
    assertEquals(Optional.empty(), TrainingCheckpoint.provenance(oldTraining, Path.of("config.json")));
    assertEquals(Optional.empty(), TrainingCheckpoint.provenance(null, Path.of("config.json")));
  }

  @Test
  void malformedRecordsNameTheField() {
    ObjectMapper json = new ObjectMapper();
    InvalidFieldException e = assertThrows(InvalidFieldException.class,
        () -> Provenance.fromJson(json.createObjectNode().put("threads", "two"), "training.provenance"));
    assertTrue(e.getMessage().contains("training.provenance.threads"), e.getMessage());
    ObjectNode training = json.createObjectNode();
    training.putObject(TrainingCheckpoint.PROVENANCE).put("gpu", "none");
    CheckpointException c = assertThrows(CheckpointException.class,
        () -> TrainingCheckpoint.provenance(training, Path.of("m/config.json")));
    assertTrue(c.getMessage().contains("m/config.json") && c.getMessage().contains("gpu"), c.getMessage());
  }
}
