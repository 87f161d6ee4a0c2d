package dev.anyorder.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.data.IdVocabulary;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.cli.AnyOrderCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The imported model computes what the published σ-GPT code computes: logits agree within 1e-4 with those
 * of the PyTorch fixture ({@code anyorder-djl/src/test/python/make_sigma_gpt_fixture.py}), for learned positions with and
 * without bias, and for weights stored as BF16.
 */
class PyTorchFixtureTest {
  static final double TOLERANCE = 1e-4;

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"sigma-gpt-nobias", "sigma-gpt-bias", "sigma-gpt-bf16"})
  void importedLogitsMatchPyTorch(String name) {
    Path weights = InteropFixtures.copy(name + ".safetensors", tmp);
    Path config = InteropFixtures.copy(name + ".config.json", tmp);
    JsonNode expected = InteropFixtures.readJson(InteropFixtures.copy(name + ".expected.json", tmp));
    Path out = tmp.resolve("imported");
    SigmaGptImporter.importModel(weights, config, out);
    try (AnyOrderModel model = AnyOrderModel.load(out)) {
      ModelConfig c = model.config();
      assertFalse(c.startSlot(), "a model of the published code has no start slot");
      assertEquals(10, c.vocabSize());
      assertEquals(8, c.maxLength());
      assertEquals(name.equals("sigma-gpt-bias"), c.bias());
      if (name.equals("sigma-gpt-nobias")) {
        assertInstanceOf(CharacterVocabulary.class, model.vocabulary());
        assertEquals(" abcdefghi", model.decode(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
      } else {
        assertInstanceOf(IdVocabulary.class, model.vocabulary());
      }
      double worst = 0;
      for (JsonNode testCase : expected.get("cases")) {
        int[] tokens = InteropFixtures.ints(testCase.get("tokens"));
        int[] order = InteropFixtures.ints(testCase.get("order"));
        JsonNode rows = testCase.get("logits");
        float[][] want = new float[rows.size()][];
        for (int i = 0; i < want.length; i++) {
          want[i] = new float[rows.get(i).size()];
          for (int j = 0; j < want[i].length; j++) {
            want[i][j] = (float) rows.get(i).get(j).doubleValue();
          }
        }
        float[][] got = InteropFixtures.logits(model.network(), tokens, order);
        assertEquals(tokens.length - 1, got.length, "one step per token but the first");
        worst = Math.max(worst, InteropFixtures.maxDifference(got, want));
      }
      System.out.printf("[interop] %-18s max |logit - PyTorch| = %.3g%n", name, worst);
      assertTrue(worst < TOLERANCE, name + ": max logit difference " + worst + " exceeds " + TOLERANCE);
    }
  }

  /** The same through the command line: {@code anyorder import sigma-gpt}, then {@code anyorder logits}. */
  @Test
  void logitsCommandPrintsThePyTorchNumbers() throws Exception {
    Path weights = InteropFixtures.copy("sigma-gpt-bias.safetensors", tmp);
    Path config = InteropFixtures.copy("sigma-gpt-bias.config.json", tmp);
    JsonNode expected = InteropFixtures.readJson(InteropFixtures.copy("sigma-gpt-bias.expected.json", tmp)).get("cases").get(0);
    Path out = tmp.resolve("cli-imported");
    assertEquals(0, AnyOrderCli.commandLine().execute("import", "sigma-gpt", "--weights", weights.toString(), "--config",
        config.toString(), "--out", out.toString()));
    String tokens = Arrays.toString(InteropFixtures.ints(expected.get("tokens")));
    String order = Arrays.toString(InteropFixtures.ints(expected.get("order")));
    PrintStream saved = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = AnyOrderCli.commandLine().execute("logits", "--model", out.toString(), "--tokens", tokens, "--order", order);
    } finally {
      System.setOut(saved);
    }
    assertEquals(0, code);
    JsonNode printed = InteropFixtures.JSON.readTree(captured.toString(StandardCharsets.UTF_8));
    assertFalse(printed.get("startSlot").booleanValue());
    JsonNode steps = printed.get("steps");
    JsonNode want = expected.get("logits");
    assertEquals(want.size(), steps.size());
    double worst = 0;
    for (int t = 0; t < want.size(); t++) {
      for (int j = 0; j < want.get(t).size(); j++) {
        worst = Math.max(worst, Math.abs(steps.get(t).get("logits").get(j).doubleValue() - want.get(t).get(j).doubleValue()));
      }
    }
    System.out.printf("[interop] anyorder logits vs PyTorch: max difference %.3g%n", worst);
    assertTrue(worst < TOLERANCE, "max logit difference " + worst);
  }
}
