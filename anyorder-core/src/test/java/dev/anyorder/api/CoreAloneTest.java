package dev.anyorder.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.NetworkEngine;
import dev.anyorder.model.java.JavaNetwork;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core on its own, as a Java user who adds only {@code anyorder-core} has it: this module's test class
 * path holds no DJL, so a model written with the core's own checkpoint writer loads and samples on the
 * pure-Java runtime, {@link Backend#AUTO} falls back to it, and {@link Backend#DJL} says which module is missing.
 * The README's snippet is the body of {@link #loadsAndSamplesWithThePureJavaRuntime}.
 */
class CoreAloneTest {
  static final CharacterVocabulary VOCABULARY = CharacterVocabulary.fromText("abcdefgh ");
  static final ModelConfig CONFIG = ModelConfig.of(VOCABULARY.size(), 16, 2, 2, 16);

  @TempDir
  Path runs;

  /** A model of random weights in {@code dir}, written by {@link ModelDirectory#save}, as training would. */
  static Path tinyModel(Path dir) {
    // LayerNorm gains near one, everything else large enough that the conditionals are far from uniform.
    Map<String, float[]> weights = dev.anyorder.testing.RandomWeights.of(CONFIG, 22, 0.5);
    ModelDirectory.save(dir, SavedModel.of(CONFIG, VOCABULARY, NamedTensor.inLayout(CONFIG, weights)));
    return dir;
  }

  @Test
  void noEngineIsOnTheClassPath() {
    assertTrue(NetworkEngine.installed().isEmpty(), "engines found: " + NetworkEngine.installed());
    assertThrows(ClassNotFoundException.class, () -> Class.forName("ai.djl.engine.Engine"));
  }

  @Test
  void loadsAndSamplesWithThePureJavaRuntime() {
    Path directory = tinyModel(runs.resolve("tiny"));

    try (AnyOrderModel model = AnyOrderModel.load(directory, Backend.JAVA, 1)) {
      SampleRequest request = model.infill("ab____gh", '_');
      Sample sample = model.sampler(SamplerConfig.defaults(SamplerKind.SEQUENTIAL)).sample(request).samples().get(0);
      String text = model.decode(sample.tokens());

      assertInstanceOf(JavaNetwork.class, model.network());
      assertEquals(8, text.length());
      assertTrue(text.startsWith("ab") && text.endsWith("gh"), "the known characters stay: " + text);
      assertEquals(4, sample.generated());
    }
  }

  @Test
  void autoFallsBackToThePureJavaRuntime() {
    Path directory = tinyModel(runs.resolve("tiny"));
    SampleRequest request;
    int[] onJava;
    try (AnyOrderModel model = AnyOrderModel.load(directory, Backend.JAVA, 1)) {
      request = model.prompt("abc", 12);
      onJava = model.sampler(SamplerConfig.defaults()).sample(request).samples().get(0).tokens();
    }
    try (AnyOrderModel model = AnyOrderModel.load(directory)) {
      assertInstanceOf(JavaNetwork.class, model.network(), "AUTO without an engine is the Java runtime alone");
      assertArrayEquals(onJava, model.sampler(SamplerConfig.defaults()).sample(request).samples().get(0).tokens(),
          "same seed, same runtime, same sample");
    }
  }

  @Test
  void djlBackendNamesTheMissingModule() {
    Path directory = tinyModel(runs.resolve("tiny"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> AnyOrderModel.load(directory, Backend.DJL, 1));
    assertTrue(e.getMessage().contains("anyorder-djl") && e.getMessage().contains("--backend java"), e.getMessage());
  }
}
