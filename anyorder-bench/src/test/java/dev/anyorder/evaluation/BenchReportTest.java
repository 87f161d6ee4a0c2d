package dev.anyorder.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
  @TempDir Path dir;

  @Test
  void markdownIsRegeneratedFromTheJsonAndShowsItsNumbers() throws Exception {
    BenchReport report = new BenchReport("Test report", "anyorder bench test");
    Map<String, Double> metrics = new java.util.LinkedHashMap<>();
    metrics.put("correct", 0.7);
    metrics.put("optimal", 0.4);
    report.setting("layers", 2).model("random", Map.of("steps", 12, "train seconds", 3.25));
    report.result(new SamplerResult("random", "burst", 10, metrics, 12.5, 98, 1.5));
    report.measurement("validation loss", "random model, random order", 1.23456, "nats/char");
    report.note("a note").figure("x.png", "a figure").block("maze", "#S*G#\n");
    report.write(dir);

    JsonNode json = BenchReport.read(dir.resolve(BenchReport.JSON_FILE));
    String md = Files.readString(dir.resolve(BenchReport.MARKDOWN_FILE));
    assertEquals(ReportMarkdown.render(json), md, "report.md must be exactly what report.json renders to");
    JsonNode row = json.get("results").get(0);
    String expected = "| random | burst | 10 | " + ReportMarkdown.number(row.at("/metrics/correct").asDouble()) + " | "
        + ReportMarkdown.number(row.at("/metrics/optimal").asDouble()) + " | " + ReportMarkdown.number(row.get("nfePerInstance").asDouble())
        + " | " + ReportMarkdown.number(row.get("tokensPerNfe").asDouble()) + " |";
    assertTrue(md.contains(expected), "missing row " + expected + " in\n" + md);
    assertTrue(md.contains("| random model, random order | 1.235 | nats/char |"), md);
    assertTrue(md.contains("![a figure](x.png)"));
    assertTrue(md.contains("#S*G#"));
    assertEquals(7.84, row.get("tokensPerNfe").asDouble(), 1e-9);
  }

  @Test
  void numbersHaveOneFormat() {
    assertEquals("0.125", ReportMarkdown.number(0.125));
    assertEquals("12346", ReportMarkdown.number(12345.6));
    assertEquals("n/a", ReportMarkdown.number(Double.NaN));
  }

  @Test
  void recordsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new BenchReport(" ", "x"));
    assertThrows(IllegalArgumentException.class, () -> new SamplerResult("m", "s", 0, Map.of(), 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new SamplerResult("m", "s", 1, Map.of(), -1, 1, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SamplerResult("m", "s", 1, Map.of("correct", 1.0), 1, 1, 1).metric("solved"));
    assertTrue(e.getMessage().contains("correct"));
    assertThrows(IllegalArgumentException.class, () -> new SamplerVariant("", SamplerVariant.demoSuite(1, 1).get(0).config()));
    assertThrows(IllegalArgumentException.class, () -> SamplerVariant.select(SamplerVariant.demoSuite(1, 1), java.util.List.of("nope")));
    assertEquals(1, TaskModelTrainer.stepsFor(0.5, 1, 1000, 1));
    assertEquals(120, TaskModelTrainer.stepsFor(60, 2000, 1000, 10));
    assertThrows(IllegalArgumentException.class, () -> TaskModelTrainer.stepsFor(0, 1, 1, 1));
  }
}
