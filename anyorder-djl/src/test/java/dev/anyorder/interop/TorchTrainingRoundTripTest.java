package dev.anyorder.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.testing.TinyModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The route to training at scale: export an AnyOrder model, train it a few AdamW steps on random-order batches with
 * PyTorch ({@code src/test/python/train_exported_model.py}), import the result; the imported model's logits match
 * PyTorch's within 1e-4. Needs Debian's {@code python3-torch} at {@code /usr/bin/python3}; without it the test is
 * skipped with the reason, unless {@code -Dtorch.required=true} (CI) makes it fail instead.
 */
class TorchTrainingRoundTripTest {
  static final double TOLERANCE = 1e-4;
  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final Path SCRIPT = Path.of("src", "test", "python", "train_exported_model.py");

  @TempDir Path tmp;

  @BeforeAll
  static void requireTorch() throws Exception {
    String missing = null;
    if (!Files.isExecutable(PYTHON)) {
      missing = PYTHON + " does not exist";
    } else {
      Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        missing = PYTHON + " cannot import torch (" + out.strip().lines().reduce((a, b) -> b).orElse("") + ")";
      }
    }
    if (missing != null) {
      String reason = "PyTorch round trip skipped: " + missing + "; install Debian's python3-torch to run it";
      if (Boolean.getBoolean("torch.required")) {
        throw new AssertionError(reason.replace("skipped", "required (-Dtorch.required=true)"));
      }
      System.out.println("[interop] " + reason);
      Assumptions.assumeTrue(false, reason);
    }
  }

  @ParameterizedTest(name = "startSlot={0}")
  @ValueSource(booleans = {true, false})
  void trainedInPyTorchImportsWithTheSameLogits(boolean startSlot) throws Exception {
    ModelConfig config = new ModelConfig(7, 8, 2, 2, 16, 4, 0.0, PositionEncoding.LEARNED, false, startSlot);
    Path model = tmp.resolve("model");
    try (NDManager manager = TinyModels.manager(); SigmaGpt net = TinyModels.random(config, 11, 0.3, manager)) {
      ModelDirectory.save(model, SavedModel.of(config, CharacterVocabulary.fromText("abcdefg"), NamedTensor.inLayout(config, net.weights())));
    }
    Path exported = tmp.resolve("exported");
    SigmaGptExporter.export(model, exported);
    Path trained = tmp.resolve("trained");
    String log = run(List.of(PYTHON.toString(), SCRIPT.toString(), exported.toString(), trained.toString(), "--steps", "4"));
    assertEquals(4, log.lines().filter(l -> l.startsWith("{\"step\"")).count(), "four AdamW steps: " + log);

    Path back = tmp.resolve("back");
    SigmaGptImporter.importModel(trained.resolve("model.safetensors"), trained.resolve("config.json"), back);
    JsonNode expected = InteropFixtures.readJson(trained.resolve("expected.json"));
    try (AnyOrderModel before = AnyOrderModel.load(model); AnyOrderModel after = AnyOrderModel.load(back)) {
      assertEquals(config, after.config());
      assertEquals(before.vocabulary(), after.vocabulary());
      double worst = 0;
      double moved = 0;
      for (JsonNode c : expected.get("cases")) {
        int[] tokens = InteropFixtures.ints(c.get("tokens"));
        int[] order = InteropFixtures.ints(c.get("order"));
        float[][] got = InteropFixtures.logits(after.network(), tokens, order);
        float[][] want = torchLogits(c.get("logits"), got);
        worst = Math.max(worst, InteropFixtures.maxDifference(got, want));
        moved = Math.max(moved, InteropFixtures.maxDifference(got, InteropFixtures.logits(before.network(), tokens, order)));
      }
      System.out.printf("[interop] torch round trip startSlot=%s: max |logit - PyTorch| = %.3g, training moved logits by up to %.3g%n",
          startSlot, worst, moved);
      assertTrue(moved > 1e-2, "the PyTorch steps must change the model, moved only " + moved);
      assertTrue(worst < TOLERANCE, "max logit difference " + worst + " exceeds " + TOLERANCE);
    }
  }

  /** PyTorch's rows; a start-slot export also has a logit for the start token, which AnyOrder never predicts. */
  private static float[][] torchLogits(JsonNode rows, float[][] got) {
    assertEquals(got.length, rows.size(), "one row per step");
    float[][] want = new float[rows.size()][];
    for (int i = 0; i < want.length; i++) {
      int n = got[i].length;
      assertTrue(rows.get(i).size() == n || rows.get(i).size() == n + 1, "logits per row: " + rows.get(i).size() + " vs " + n);
      want[i] = new float[n];
      for (int j = 0; j < n; j++) {
        want[i][j] = (float) rows.get(i).get(j).doubleValue();
      }
    }
    return want;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the PyTorch script did not finish");
    assertEquals(0, p.exitValue(), "the PyTorch script failed:\n" + out);
    return out;
  }
}
