package dev.anyorder.interop;

import dev.anyorder.io.NamedTensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.data.IdVocabulary;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.SavedModel;
import dev.anyorder.io.Safetensors;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Export, then import, gives the same model: identical config, vocabulary and logits (bit for bit). */
class ExportRoundTripTest {
  static final int[] TOKENS = {3, 1, 4, 1, 5, 0, 2, 6};
  static final int[] ORDER = {5, 2, 7, 0, 3, 6, 1, 4};

  @TempDir Path tmp;

  /** A random start-slot model saved as an AnyOrder directory. */
  Path savedModel(boolean bias, PositionEncoding positions) {
    ModelConfig config = new ModelConfig(7, 8, 2, 2, 16, 4, 0.0, positions, bias, true);
    Vocabulary vocabulary = CharacterVocabulary.fromText("abcdefg");
    Path dir = tmp.resolve("model");
    try (NDManager manager = TinyModels.manager(); SigmaGpt model = TinyModels.random(config, 5, 0.5, manager)) {
      ModelDirectory.save(dir, SavedModel.of(config, vocabulary, NamedTensor.inLayout(config, model.weights())));
    }
    return dir;
  }

  Path exportThenImport(Path model) {
    Path exported = tmp.resolve("exported");
    SigmaGptExporter.export(model, exported);
    Path back = tmp.resolve("back");
    SigmaGptImporter.importModel(exported.resolve("model.safetensors"), exported.resolve("config.json"), back);
    return back;
  }

  @ParameterizedTest
  @CsvSource({"false, LEARNED", "true, LEARNED", "false, SINUSOIDAL"})
  void startSlotModelRoundTrips(boolean bias, PositionEncoding positions) {
    Path model = savedModel(bias, positions);
    Path back = exportThenImport(model);
    JsonNode config = InteropFixtures.readJson(tmp.resolve("exported/config.json"));
    assertEquals(8, config.get("model_args").get("vocab_size").intValue(), "the start token's row stays in wte");
    assertEquals(9, config.get("model_args").get("block_size").intValue(), "the none position's row stays in wpe");
    assertTrue(config.get("start_slot").booleanValue());
    assertEquals(7, config.get("start_token").intValue());
    assertEquals(8, config.get("none_position").intValue());
    assertEquals("abcdefg", String.join("", InteropFixtures.JSON.convertValue(config.get("itos"), String[].class)));
    Set<String> names = Safetensors.read(tmp.resolve("exported/model.safetensors")).tensors().stream()
        .map(t -> t.name()).collect(java.util.stream.Collectors.toSet());
    assertTrue(names.contains("transformer.wpe.weight") && names.contains("lm_head.weight"), names.toString());
    try (AnyOrderModel a = AnyOrderModel.load(model); AnyOrderModel b = AnyOrderModel.load(back)) {
      ModelConfig expected = new ModelConfig(7, 8, 2, 2, 16, 4, 0.0, PositionEncoding.LEARNED, bias, true);
      assertEquals(expected, b.config(), "same shape; a sinusoidal table comes back as a learned one");
      assertEquals(a.vocabulary(), b.vocabulary());
      float[][] la = InteropFixtures.logits(a.network(), TOKENS.clone(), ORDER);
      float[][] lb = InteropFixtures.logits(b.network(), TOKENS.clone(), ORDER);
      assertEquals(8, la.length, "a start-slot model predicts every token");
      assertEquals(0.0, InteropFixtures.maxDifference(la, lb), "export then import must give identical logits");
    }
  }

  @Test
  void importedModelRoundTrips() {
    Path weights = InteropFixtures.copy("sigma-gpt-bias.safetensors", tmp);
    Path config = InteropFixtures.copy("sigma-gpt-bias.config.json", tmp);
    Path model = tmp.resolve("imported");
    SigmaGptImporter.importModel(weights, config, model);
    Path back = exportThenImport(model);
    JsonNode exported = InteropFixtures.readJson(tmp.resolve("exported/config.json"));
    assertFalse(exported.get("start_slot").booleanValue());
    assertEquals(10, exported.get("model_args").get("vocab_size").intValue());
    assertEquals(8, exported.get("model_args").get("block_size").intValue());
    try (AnyOrderModel a = AnyOrderModel.load(model); AnyOrderModel b = AnyOrderModel.load(back)) {
      assertEquals(a.config(), b.config());
      assertEquals(new IdVocabulary(10), b.vocabulary());
      int[] tokens = {9, 0, 4, 4, 2, 7, 1, 3};
      assertEquals(0.0, InteropFixtures.maxDifference(InteropFixtures.logits(a.network(), tokens, ORDER),
          InteropFixtures.logits(b.network(), tokens, ORDER)));
    }
  }

  /** A grid model's positions are sums of shared row and column embeddings, which the published layout cannot hold. */
  @Test
  void refusesAGridPositionModel() {
    ModelConfig config = new ModelConfig(7, 8, 2, 2, 16, 4, 0.0, PositionEncoding.GRID, false, true,
        dev.anyorder.model.PositionGrid.rowsAndColumns(2, 4));
    Path dir = tmp.resolve("grid");
    try (NDManager manager = TinyModels.manager(); SigmaGpt model = TinyModels.random(config, 5, 0.5, manager)) {
      ModelDirectory.save(dir, SavedModel.of(config, CharacterVocabulary.fromText("abcdefg"), NamedTensor.inLayout(config,
          model.weights())));
    }
    InteropException e = assertThrows(InteropException.class, () -> SigmaGptExporter.export(dir, tmp.resolve("out")));
    assertTrue(e.getMessage().contains("grid positions") && e.getMessage().contains("--positions learned"), e.getMessage());
    assertFalse(java.nio.file.Files.exists(tmp.resolve("out")), "nothing is written");
  }

  @Test
  void refusesANonEmptyOutputDirectory() throws Exception {
    Path model = savedModel(false, PositionEncoding.LEARNED);
    Path out = Files.createDirectories(tmp.resolve("busy"));
    Files.writeString(out.resolve("notes.txt"), "mine");
    InteropException e = assertThrows(InteropException.class, () -> SigmaGptExporter.export(model, out));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    assertEquals("mine", Files.readString(out.resolve("notes.txt")));
  }
}
