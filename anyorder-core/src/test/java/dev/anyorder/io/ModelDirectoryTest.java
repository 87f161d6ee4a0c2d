package dev.anyorder.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.data.IdVocabulary;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.WeightLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ModelConfig CONFIG = ModelConfig.of(5, 4, 1, 2, 4);

  @TempDir Path tmp;

  static List<NamedTensor> weights(ModelConfig config, long seed) {
    Random r = new Random(seed);
    List<NamedTensor> out = new ArrayList<>();
    float[] wte = null;
    for (Map.Entry<String, long[]> e : WeightLayout.expected(config).entrySet()) {
      float[] data = new float[(int) NamedTensor.elementCount(e.getValue(), e.getKey())];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) r.nextGaussian();
      }
      if (e.getKey().equals(WeightLayout.WTE)) {
        wte = data;
      }
      if (e.getKey().equals(WeightLayout.LM_HEAD)) {
        data = wte.clone();
      }
      out.add(new NamedTensor(e.getKey(), e.getValue(), data));
    }
    return out;
  }

  static SavedModel model(long seed) throws IOException {
    TensorFile optimizer = new TensorFile(List.of(new NamedTensor("exp_avg.transformer.wte.weight", new long[] {6, 4},
        new float[24])), Map.of("optimizer", "adamw", "step", "7"));
    return new SavedModel(CONFIG, CharacterVocabulary.fromText("abcde"), weights(CONFIG, seed), optimizer,
        JSON.readTree("{\"lr\":0.001,\"step\":7,\"seed\":" + seed + "}"),
        JSON.readTree("{\"path\":\"input.txt\",\"sha256\":\"00\"}"),
        Map.of("tokenizer.json", "{\"hello\":1}".getBytes(StandardCharsets.UTF_8)));
  }

  /** Every file of {@code dir} with its bytes. */
  static Map<String, byte[]> snapshot(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        files.put(p.getFileName().toString(), Files.isDirectory(p) ? new byte[] {'/'} : Files.readAllBytes(p));
      }
    }
    return files;
  }

  static void assertSameFiles(Map<String, byte[]> before, Map<String, byte[]> after) {
    assertEquals(before.keySet(), after.keySet());
    before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " changed"));
  }

  /** Loading fails with a message containing {@code expected}, and leaves the directory as it was. */
  static CheckpointException assertRejected(Path dir, String expected) throws IOException {
    Map<String, byte[]> before = snapshot(dir);
    CheckpointException e = assertThrows(CheckpointException.class, () -> ModelDirectory.load(dir, true));
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    assertSameFiles(before, snapshot(dir));
    return e;
  }

  /** Rewrites {@code config.json} through {@code edit}. */
  static void editConfig(Path dir, Consumer<ObjectNode> edit) throws IOException {
    Path file = dir.resolve(ModelDirectory.CONFIG_FILE);
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(root);
    Files.writeString(file, JSON.writeValueAsString(root));
  }

  /** Replaces model.safetensors by {@code tensors} and records its new checksum, as a consistent forgery. */
  static void replaceWeights(Path dir, List<NamedTensor> tensors) throws IOException {
    Path file = dir.resolve(ModelDirectory.MODEL_FILE);
    AtomicFiles.WrittenFile w = Safetensors.write(file, TensorFile.of(tensors));
    editConfig(dir, root -> {
      ObjectNode entry = (ObjectNode) root.get("files").get(ModelDirectory.MODEL_FILE);
      entry.put("bytes", w.bytes());
      entry.put("sha256", w.sha256());
    });
  }

  private Path saved() throws IOException {
    Path dir = tmp.resolve("ckpt");
    ModelDirectory.save(dir, model(1));
    return dir;
  }

  @Test
  void roundTripsBitForBit() throws IOException {
    Path dir = tmp.resolve("a/b/ckpt");
    SavedModel model = model(1);
    ModelDirectory.save(dir, model);
    assertEquals(model, ModelDirectory.load(dir, true));
    SavedModel withoutOptimizer = ModelDirectory.load(dir);
    assertEquals(model.withOptimizer(null), withoutOptimizer);
    assertEquals(model.optimizer(), ModelDirectory.loadOptimizer(dir).orElseThrow());
    assertEquals(CONFIG, ModelDirectory.readConfig(dir));
    assertEquals(List.of("config.json", "model.safetensors", "optimizer.safetensors", "tokenizer.json"),
        List.copyOf(snapshot(dir).keySet()));
    Map<String, byte[]> first = snapshot(dir);
    ModelDirectory.save(dir, ModelDirectory.load(dir, true));
    assertSameFiles(first, snapshot(dir)); // saving is deterministic
  }

  @Test
  void writesAStandardSafetensorsFileAndADescriptiveConfig() throws IOException {
    Path dir = saved();
    TensorFile weights = Safetensors.read(dir.resolve("model.safetensors"));
    assertEquals(List.copyOf(WeightLayout.expected(CONFIG).keySet()),
        weights.tensors().stream().map(NamedTensor::name).toList());
    assertArrayEquals(weights.find(WeightLayout.WTE).orElseThrow().data(),
        weights.find(WeightLayout.LM_HEAD).orElseThrow().data());
    JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
    assertEquals("anyorder-model", config.get("format").textValue());
    assertEquals(1, config.get("formatVersion").intValue());
    assertEquals("learned", config.get("model").get("positions").textValue());
    assertEquals(5, config.get("model").get("vocabSize").intValue());
    assertEquals("characters", config.get("vocabulary").get("type").textValue());
    assertEquals(7, config.get("training").get("step").intValue());
    JsonNode model = config.get("files").get("model.safetensors");
    assertEquals(Files.size(dir.resolve("model.safetensors")), model.get("bytes").longValue());
    assertEquals(AtomicFiles.digest(dir.resolve("model.safetensors")).sha256(), model.get("sha256").textValue());
    assertTrue(config.get("files").has("optimizer.safetensors"));
    assertTrue(config.get("files").has("tokenizer.json"));
  }

  @Test
  void savesMinimalSinusoidalIdModels() throws IOException {
    ModelConfig config = new ModelConfig(7, 3, 2, 1, 2, 2, 0.1, PositionEncoding.SINUSOIDAL, true, false);
    SavedModel model = SavedModel.of(config, new IdVocabulary(7), weights(config, 5));
    Path dir = tmp.resolve("ids");
    ModelDirectory.save(dir, model);
    assertEquals(model, ModelDirectory.load(dir, true));
    assertTrue(ModelDirectory.loadOptimizer(dir).isEmpty());
  }

  @Test
  void savingWithoutOptimizerRemovesStaleOptimizerState() throws IOException {
    Path dir = saved();
    ModelDirectory.save(dir, model(2).withOptimizer(null));
    assertFalse(Files.exists(dir.resolve("optimizer.safetensors")));
    assertTrue(ModelDirectory.loadOptimizer(dir).isEmpty());
  }

  @Test
  void rejectsTruncatedOrModifiedWeights() throws IOException {
    Path dir = saved();
    Path file = dir.resolve("model.safetensors");
    byte[] good = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(good, good.length - 10));
    assertRejected(dir, "model.safetensors does not match config.json: interrupted save or modified file");
    byte[] flipped = good.clone();
    flipped[flipped.length - 5] ^= 1;
    Files.write(file, flipped);
    assertRejected(dir, "model.safetensors does not match config.json: interrupted save or modified file (SHA-256");
  }

  @Test
  void rejectsModifiedOptimizerAndExtraFiles() throws IOException {
    Path dir = saved();
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    assertRejected(dir, "tokenizer.json does not match config.json");
    dir = tmp.resolve("second");
    ModelDirectory.save(dir, model(1));
    Files.write(dir.resolve("optimizer.safetensors"), new byte[] {1, 2, 3});
    assertRejected(dir, "optimizer.safetensors does not match config.json");
    ModelDirectory.load(dir); // the weights alone are still fine
  }

  @Test
  void rejectsMissingFiles() throws IOException {
    Path dir = saved();
    Files.delete(dir.resolve("model.safetensors"));
    assertRejected(dir, "missing file " + dir.resolve("model.safetensors"));
    Files.delete(dir.resolve("config.json"));
    assertRejected(dir, "missing file " + dir.resolve("config.json"));
    Path none = tmp.resolve("none");
    assertTrue(assertThrows(CheckpointException.class, () -> ModelDirectory.load(none)).getMessage()
        .contains("does not exist"));
  }

  @Test
  void rejectsARemovedTensor() throws IOException {
    Path dir = saved();
    List<NamedTensor> w = new ArrayList<>(weights(CONFIG, 1));
    w.removeIf(t -> t.name().equals("transformer.h.0.ln_2.weight"));
    replaceWeights(dir, w);
    assertRejected(dir, "model.safetensors: missing tensor 'transformer.h.0.ln_2.weight' (expected shape [4])");
  }

  @Test
  void rejectsAnUnexpectedTensor() throws IOException {
    Path dir = saved();
    List<NamedTensor> w = new ArrayList<>(weights(CONFIG, 1));
    w.add(new NamedTensor("transformer.h.0.attn.bias", new long[] {1}, new float[1]));
    replaceWeights(dir, w);
    assertRejected(dir, "unexpected tensor 'transformer.h.0.attn.bias'");
  }

  @Test
  void rejectsAWrongShape() throws IOException {
    Path dir = saved();
    List<NamedTensor> w = new ArrayList<>();
    for (NamedTensor t : weights(CONFIG, 1)) {
      w.add(t.name().equals("transformer.h.0.mlp.c_fc.weight") ? new NamedTensor(t.name(), new long[] {4, 16}, t.data()) : t);
    }
    replaceWeights(dir, w);
    assertRejected(dir, "tensor 'transformer.h.0.mlp.c_fc.weight' has shape [4, 16], expected [16, 4]");
  }

  @Test
  void rejectsAnUntiedHead() throws IOException {
    Path dir = saved();
    List<NamedTensor> w = new ArrayList<>();
    for (NamedTensor t : weights(CONFIG, 1)) {
      w.add(t.name().equals(WeightLayout.LM_HEAD) ? new NamedTensor(t.name(), t.shape(), new float[t.data().length]) : t);
    }
    replaceWeights(dir, w);
    assertRejected(dir, "'lm_head.weight' differs from 'transformer.wte.weight'");
  }

  @Test
  void rejectsAVocabularyOfTheWrongSize() throws IOException {
    Path dir = saved();
    editConfig(dir, root -> ((ArrayNode) root.get("vocabulary").get("symbols")).remove(0));
    assertRejected(dir, "config.json: the vocabulary has 4 tokens but model.vocabSize is 5");
  }

  @Test
  void rejectsInvalidConfigs() throws IOException {
    Path dir = saved();
    byte[] good = Files.readAllBytes(dir.resolve("config.json"));
    editConfig(dir, root -> ((ObjectNode) root.get("model")).put("heads", 3));
    assertRejected(dir, "config.json: invalid model config: dim (4) must be divisible by heads (3)");
    Files.write(dir.resolve("config.json"), good);
    editConfig(dir, root -> ((ObjectNode) root.get("model")).remove("layers"));
    assertRejected(dir, "config.json: model config is missing the field \"layers\"");
    Files.write(dir.resolve("config.json"), good);
    editConfig(dir, root -> ((ObjectNode) root.get("model")).put("positions", "rotary"));
    assertRejected(dir, "\"positions\" must be \"learned\", \"sinusoidal\" or \"grid\", got \"rotary\"");
    Files.write(dir.resolve("config.json"), good);
    editConfig(dir, root -> root.put("formatVersion", 2));
    assertRejected(dir, "unsupported formatVersion 2");
    Files.write(dir.resolve("config.json"), good);
    editConfig(dir, root -> root.remove("vocabulary"));
    assertRejected(dir, "config.json: missing field \"vocabulary\"");
    Files.write(dir.resolve("config.json"), good);
    editConfig(dir, root -> root.remove("files"));
    assertRejected(dir, "config.json: missing object \"files\"");
    Files.write(dir.resolve("config.json"), java.util.Arrays.copyOf(good, good.length / 2));
    assertRejected(dir, "config.json: invalid JSON");
  }

  @Test
  void aSaveFailingWhileWritingLeavesThePreviousCheckpointLoadable() throws IOException {
    Path dir = saved();
    Map<String, byte[]> before = snapshot(dir);
    Thread.currentThread().interrupt(); // the first channel write fails with ClosedByInterruptException
    try {
      assertThrows(CheckpointException.class, () -> ModelDirectory.save(dir, model(2)));
    } finally {
      Thread.interrupted();
    }
    assertSameFiles(before, snapshot(dir)); // nothing replaced, no temporary file left
    assertEquals(model(1), ModelDirectory.load(dir, true));
  }

  @Test
  void aSaveFailingBetweenRenamesIsDetected() throws IOException {
    Path dir = saved();
    Files.delete(dir.resolve("tokenizer.json"));
    Files.createDirectories(dir.resolve("tokenizer.json").resolve("blocker")); // the rename of tokenizer.json fails
    assertThrows(CheckpointException.class, () -> ModelDirectory.save(dir, model(2)));
    assertTrue(snapshotNames(dir).stream().noneMatch(n -> n.endsWith(".tmp")), "no temporary file left");
    assertRejected(dir, "model.safetensors does not match config.json: interrupted save or modified file");
  }

  private static List<String> snapshotNames(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void savedModelValidatesOnConstruction() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> SavedModel.of(CONFIG, new IdVocabulary(4), weights(CONFIG, 1)));
    assertEquals("vocabulary has 4 tokens but the model config has vocabSize 5", e.getMessage());
    List<NamedTensor> w = new ArrayList<>(weights(CONFIG, 1));
    w.remove(0);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SavedModel.of(CONFIG, new IdVocabulary(5), w))
        .getMessage().contains("missing tensor 'transformer.wte.weight'"));
    for (String bad : List.of("../x", "config.json", ".hidden", "a/b", "")) {
      assertThrows(IllegalArgumentException.class, () -> new SavedModel(CONFIG, new IdVocabulary(5), weights(CONFIG, 1),
          null, null, null, Map.of(bad, new byte[0])), bad);
    }
    SavedModel m = SavedModel.of(CONFIG, new IdVocabulary(5), weights(CONFIG, 1));
    assertNotEquals(m, SavedModel.of(CONFIG, new IdVocabulary(5), weights(CONFIG, 2)));
  }
}
