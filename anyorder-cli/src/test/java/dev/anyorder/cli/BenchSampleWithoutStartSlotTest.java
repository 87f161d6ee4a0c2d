package dev.anyorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.WeightLayout;
import dev.anyorder.model.djl.SigmaGpt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench sample} on a model without a start slot (an imported one) skips the unconditional scenario instead of failing. */
class BenchSampleWithoutStartSlotTest {
  @TempDir Path tmp;

  @Test
  void theUnconditionalScenarioIsSkipped() throws Exception {
    String alphabet = "abcdefgh ";
    ModelConfig config = new ModelConfig(alphabet.length(), 16, 1, 2, 8, 4, 0.0, PositionEncoding.LEARNED, false, false);
    Map<String, float[]> w = SigmaGpt.initialWeights(config, 3);
    w.put(WeightLayout.LM_HEAD, w.get(WeightLayout.WTE).clone());
    Path model = tmp.resolve("imported");
    ModelDirectory.save(model, new SavedModel(config, CharacterVocabulary.fromText(alphabet), NamedTensor.inLayout(config, w), null,
        null, null, Map.of()));
    Path data = tmp.resolve("text.txt");
    Files.writeString(data, "abc defg hab cdef gha bcde fgh ".repeat(40));
    Path out = tmp.resolve("bench.json");
    int code = AnyOrderCli.commandLine().execute("bench", "sample", "--model", model.toString(), "--data", data.toString(),
        "--windows", "6", "--batch", "3", "--mask", "1.0", "--out", out.toString());
    assertEquals(0, code);
    JsonNode report = new ObjectMapper().readTree(out.toFile());
    assertTrue(report.get("skipped").asText().contains("start slot"), report.toString());
    report.fieldNames().forEachRemaining(name -> assertFalse(name.startsWith("unconditional"), name));
  }
}
