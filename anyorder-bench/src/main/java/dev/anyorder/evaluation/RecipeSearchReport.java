package dev.anyorder.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gathers the runs of a recipe search (each a {@code demo} or {@code bench maze|sudoku} output directory
 * with its {@code report.json} and model directories) into one report: the settings each run tried, its
 * validation curves, its headline results per sampler, and which run the recipe chose.
 */
public final class RecipeSearchReport {
  private RecipeSearchReport() {}

  /** Writes {@code report.json}, {@code report.md} and {@code recipe-curves.png} into {@code out}. */
  public static void write(List<Path> runs, String chosen, String command, Path out) {
    BenchReport report = new BenchReport("Recipe search", command);
    List<Charts.Curve> curves = new ArrayList<>();
    Map<String, Map<String, String>> cells = new LinkedHashMap<>(); // sampler -> run -> "rate% / NFE"
    List<String> names = new ArrayList<>();
    for (Path run : runs) {
      Path json = run.resolve(BenchReport.JSON_FILE);
      if (!Files.isRegularFile(json)) {
        throw new IllegalArgumentException(run + " holds no " + BenchReport.JSON_FILE + ": not a finished demo or benchmark run");
      }
      JsonNode r = BenchReport.read(json);
      String name = run.getFileName().toString();
      JsonNode settings = r.path("settings");
      for (JsonNode model : r.path("models")) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("run", name);
        for (String key : List.of("layers", "width", "batch", "learning rate", "temperature")) {
          facts.put(key, settings.path(key).asText());
        }
        for (String key : List.of("order", "layout", "steps", "train seconds", "val loss (training order)", "val loss (left-to-right)")) {
          facts.put(key, model.path(key).isNumber() ? String.format(Locale.ROOT, "%.4g", model.path(key).asDouble()) : model.path(key).asText());
        }
        report.model(name + " / " + model.path("name").asText(), facts);
        Path dir = Path.of(model.path("directory").asText());
        if (Files.isDirectory(dir)) {
          for (Charts.Curve c : Charts.trainingCurves(name, dir)) {
            if (c.label().endsWith("val (left-to-right)")) {
              curves.add(c);
            }
          }
        }
      }
      names.add(name);
      for (JsonNode result : r.path("results")) {
        cells.computeIfAbsent(result.path("sampler").asText(), k -> new LinkedHashMap<>()).put(name,
            String.format(Locale.ROOT, "%.0f%% / %.1f", 100 * result.path("metrics").path(headline(result)).asDouble(),
                result.path("nfePerInstance").asDouble()));
      }
    }
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-28s", "sampler \\ run"));
    for (String name : names) {
      table.append(String.format(Locale.ROOT, " %18s", name.length() > 18 ? name.substring(0, 18) : name));
    }
    table.append('\n');
    for (Map.Entry<String, Map<String, String>> row : cells.entrySet()) {
      table.append(String.format(Locale.ROOT, "%-28s", row.getKey()));
      for (String name : names) {
        table.append(String.format(Locale.ROOT, " %18s", row.getValue().getOrDefault(name, "")));
      }
      table.append('\n');
    }
    Charts.lineChart("Recipe search: validation loss (left-to-right)", "optimizer step", "loss (nats per generated token)", curves,
        out.resolve("recipe-curves.png"));
    report.figure("recipe-curves.png", "Validation loss under left-to-right decoding order, per run of the search.");
    report.block("Headline rate (correct or solved) and network calls per instance, per sampler row (down) and run (across)",
        table.toString());
    if (chosen != null) {
      report.note("Chosen: " + chosen + ".");
    }
    report.write(out);
  }

  private static String headline(JsonNode result) {
    JsonNode m = result.path("metrics");
    return m.has("correct") ? "correct" : m.has("solved") ? "solved" : m.fieldNames().next();
  }
}
