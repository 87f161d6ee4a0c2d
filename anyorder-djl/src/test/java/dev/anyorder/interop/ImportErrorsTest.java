package dev.anyorder.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.Safetensors;
import dev.anyorder.io.TensorFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to {@code import sigma-gpt} gets one clear error naming the tensor or config field, and the
 * output directory is never created or half-written.
 */
class ImportErrorsTest {
  @TempDir Path tmp;
  Path weights;
  Path config;
  Path out;

  @BeforeEach
  void setUp() {
    weights = InteropFixtures.copy("sigma-gpt-nobias.safetensors", tmp);
    config = InteropFixtures.copy("sigma-gpt-nobias.config.json", tmp);
    out = tmp.resolve("out");
  }

  /** Imports and expects a failure whose message contains every one of {@code fragments}. */
  void fails(String... fragments) {
    InteropException e = assertThrows(InteropException.class, () -> SigmaGptImporter.importModel(weights, config, out));
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "message should mention " + f + ": " + e.getMessage());
    }
    assertFalse(Files.exists(out), "nothing may be written on failure");
    try (Stream<Path> left = Files.list(tmp)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".out")), "no staging directory may remain");
    } catch (IOException ex) {
      throw new AssertionError(ex);
    }
  }

  void editConfig(Consumer<ObjectNode> edit) throws IOException {
    ObjectNode json = (ObjectNode) InteropFixtures.readJson(config);
    edit.accept(json);
    Files.write(config, InteropFixtures.JSON.writeValueAsBytes(json));
  }

  void editWeights(Consumer<List<NamedTensor>> edit) {
    List<NamedTensor> tensors = new ArrayList<>(Safetensors.read(weights).tensors());
    edit.accept(tensors);
    Safetensors.write(weights, TensorFile.of(tensors));
  }

  @Test
  void theFixtureImports() {
    SigmaGptImporter.importModel(weights, config, out);
    assertTrue(Files.exists(out.resolve("config.json")));
  }

  @Test
  void missingTensor() {
    editWeights(t -> t.removeIf(x -> x.name().equals("transformer.h.1.mlp.c_fc.weight")));
    fails("missing tensor 'transformer.h.1.mlp.c_fc.weight'", "[64, 16]");
  }

  @Test
  void wrongShape() {
    editWeights(t -> t.replaceAll(x -> x.name().equals("transformer.wpe.weight")
        ? new NamedTensor(x.name(), new long[] {8, 16}, new float[128]) : x));
    fails("tensor 'transformer.wpe.weight' has shape [8, 16]", "block_size=8", "[8, 8]");
  }

  @Test
  void untiedHead() {
    editWeights(t -> t.replaceAll(x -> x.name().equals("lm_head.weight")
        ? new NamedTensor(x.name(), x.shape(), new float[x.data().length]) : x));
    fails("'lm_head.weight' differs from 'transformer.wte.weight'");
  }

  @Test
  void otherDtype() throws IOException {
    String header = "{\"transformer.wte.weight\":{\"dtype\":\"I64\",\"shape\":[10,16],\"data_offsets\":[0,1280]}}";
    writeRaw(header, new byte[1280]);
    fails("tensor 'transformer.wte.weight'", "unsupported dtype I64");
  }

  @Test
  void headerLyingAboutOffsets() throws IOException {
    String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"transformer.wte.weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
    writeRaw(header, new byte[12]);
    fails("tensor 'transformer.wte.weight'", "header lies about offsets");
  }

  @Test
  void truncatedData() throws IOException {
    byte[] all = Files.readAllBytes(weights);
    Files.write(weights, java.util.Arrays.copyOf(all, all.length - 100));
    fails("truncated");
  }

  @Test
  void configWithMoreLayersThanTheWeights() throws IOException {
    editConfig(c -> c.put("n_layer", 3));
    fails("missing tensor 'transformer.h.2.ln_1.weight'");
  }

  @Test
  void configWithFewerLayersThanTheWeights() throws IOException {
    editConfig(c -> c.put("n_layer", 1));
    fails("'transformer.h.1.", "n_layer=1");
  }

  @Test
  void configSayingBiasOnWeightsWithout() throws IOException {
    editConfig(c -> c.put("bias", true));
    fails("missing tensor 'transformer.h.0.ln_1.bias'", "bias=true");
  }

  @Test
  void configSayingNoBiasOnWeightsWithBias() {
    weights = InteropFixtures.copy("sigma-gpt-bias.safetensors", tmp);
    fails(".bias' is a bias", "bias=false");
  }

  @Test
  void configWithAnotherVocabularySize() throws IOException {
    editConfig(c -> {
      c.put("vocab_size", 12);
      c.remove("itos");
    });
    fails("tensor 'transformer.wte.weight' has shape [10, 16]", "vocab_size=12", "[12, 16]");
  }

  @Test
  void configWithAnotherWidth() throws IOException {
    editConfig(c -> c.put("n_embd", 32));
    fails("transformer.wte.weight", "n_embd=32");
  }

  @Test
  void configMissingAField() throws IOException {
    editConfig(c -> c.remove("n_head"));
    fails("config.json", "\"n_head\"");
  }

  @Test
  void configWithAnUnknownField() throws IOException {
    editConfig(c -> c.put("n_layers", 2));
    fails("unknown field \"n_layers\"");
  }

  @Test
  void configWithAHeadCountThatDoesNotDivideTheWidth() throws IOException {
    editConfig(c -> c.put("n_head", 3));
    fails("\"n_head\"", "must divide n_embd");
  }

  @Test
  void itosOfTheWrongLength() throws IOException {
    editConfig(c -> c.putArray("itos").add("a").add("b"));
    fails("\"itos\"", "2 entries", "10 tokens");
  }

  @Test
  void itosWithAWord() throws IOException {
    editConfig(c -> c.withArray("itos").set(3, InteropFixtures.JSON.getNodeFactory().textNode("the")));
    fails("\"itos\" entry 3");
  }

  @Test
  void configNotJson() throws IOException {
    Files.writeString(config, "{\"n_layer\": 2,");
    fails("not valid JSON");
  }

  @Test
  void refusesAnOutputDirectoryThatHoldsAModel() throws IOException {
    SigmaGptImporter.importModel(weights, config, out);
    byte[] before = Files.readAllBytes(out.resolve("config.json"));
    InteropException e = assertThrows(InteropException.class, () -> SigmaGptImporter.importModel(weights, config, out));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(out.resolve("config.json")));
  }

  @Test
  void acceptsAnEmptyOutputDirectory() throws IOException {
    Files.createDirectories(out);
    SigmaGptImporter.importModel(weights, config, out);
    assertTrue(Files.exists(out.resolve("model.safetensors")));
  }

  private void writeRaw(String header, byte[] data) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    Files.write(weights, b.array());
  }
}
