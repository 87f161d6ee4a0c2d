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
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The imported model computes what the published σ-GPT code computes: logits agree within 1e-4 with those
 * of the PyTorch fixture ({@code src/test/python/make_sigma_gpt_fixture.py}), for learned positions with and
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
}
