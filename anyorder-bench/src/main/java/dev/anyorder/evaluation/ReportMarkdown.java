package dev.anyorder.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders a {@link BenchReport}'s JSON tree as Markdown. A pure function of the JSON: the Markdown holds
 * no number that is not in {@code report.json}, formatted by {@link #number(double)}, so anyone can
 * regenerate {@code report.md} from {@code report.json} and get the same file.
 */
public final class ReportMarkdown {
  private ReportMarkdown() {}

  /** How every number is printed: 3 decimals, or none at 1000 and above; NaN as {@code n/a}. */
  public static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
  }

  /** The Markdown of a report tree written by {@link BenchReport}. */
  public static String render(JsonNode report) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(report.path("title").asText()).append("\n\n");
    md.append("Produced by `").append(report.path("command").asText()).append("` at ").append(report.path("created").asText())
        .append(". Every number below was measured by that command and is also in `report.json`.\n\n");
    JsonNode settings = report.path("settings");
    if (settings.size() > 0) {
      md.append("## Settings\n\n| setting | value |\n|---|---|\n");
      settings.fields().forEachRemaining(e -> md.append("| ").append(e.getKey()).append(" | ").append(value(e.getValue()))
          .append(" |\n"));
      md.append('\n');
    }
    JsonNode models = report.path("models");
    if (models.size() > 0) {
      Set<String> keys = new LinkedHashSet<>();
      models.forEach(m -> m.fieldNames().forEachRemaining(keys::add));
      md.append("## Models\n\n");
      table(md, new ArrayList<>(keys), models);
    }
    JsonNode results = report.path("results");
    if (results.size() > 0) {
      Set<String> metrics = new LinkedHashSet<>();
      results.forEach(r -> r.path("metrics").fieldNames().forEachRemaining(metrics::add));
      md.append("## Results on held-out instances\n\nMetrics are means over the instances (yes/no metrics are rates"
          + " between 0 and 1). NFE: forward passes of the network per instance.\n\n");
      md.append("| model | sampler | instances |");
      metrics.forEach(m -> md.append(' ').append(m).append(" |"));
      md.append(" NFE/instance | tokens/NFE | seconds |\n|---|---|---|");
      metrics.forEach(m -> md.append("---|"));
      md.append("---|---|---|\n");
      for (JsonNode r : results) {
        md.append("| ").append(r.path("model").asText()).append(" | ").append(r.path("sampler").asText()).append(" | ")
            .append(r.path("instances").asInt()).append(" |");
        for (String m : metrics) {
          JsonNode v = r.path("metrics").get(m);
          md.append(' ').append(v == null ? "" : number(v.asDouble())).append(" |");
        }
        md.append(' ').append(number(r.path("nfePerInstance").asDouble())).append(" | ")
            .append(number(r.path("tokensPerNfe").asDouble())).append(" | ").append(number(r.path("seconds").asDouble()))
            .append(" |\n");
      }
      md.append('\n');
    }
    JsonNode measurements = report.path("measurements");
    if (measurements.size() > 0) {
      md.append("## Measurements\n\n");
      String section = null;
      for (JsonNode m : measurements) {
        if (!m.path("section").asText().equals(section)) {
          section = m.path("section").asText();
          md.append("\n### ").append(section).append("\n\n| quantity | value | unit |\n|---|---|---|\n");
        }
        md.append("| ").append(m.path("name").asText()).append(" | ").append(number(m.path("value").asDouble())).append(" | ")
            .append(m.path("unit").asText()).append(" |\n");
      }
      md.append('\n');
    }
    JsonNode notes = report.path("notes");
    if (notes.size() > 0) {
      md.append("## Notes\n\n");
      notes.forEach(n -> md.append("- ").append(n.asText()).append('\n'));
      md.append('\n');
    }
    JsonNode blocks = report.path("blocks");
    for (JsonNode b : blocks) {
      md.append("### ").append(b.path("caption").asText()).append("\n\n```\n").append(b.path("text").asText());
      if (!b.path("text").asText().endsWith("\n")) {
        md.append('\n');
      }
      md.append("```\n\n");
    }
    JsonNode figures = report.path("figures");
    if (figures.size() > 0) {
      md.append("## Figures\n\n");
      for (JsonNode f : figures) {
        md.append("![").append(f.path("caption").asText()).append("](").append(f.path("file").asText()).append(")\n\n*")
            .append(f.path("caption").asText()).append("*\n\n");
      }
    }
    return md.toString();
  }

  private static void table(StringBuilder md, List<String> columns, JsonNode rows) {
    md.append('|');
    columns.forEach(c -> md.append(' ').append(c).append(" |"));
    md.append("\n|");
    columns.forEach(c -> md.append("---|"));
    md.append('\n');
    for (JsonNode row : rows) {
      md.append('|');
      for (String c : columns) {
        JsonNode v = row.get(c);
        md.append(' ').append(v == null ? "" : value(v)).append(" |");
      }
      md.append('\n');
    }
    md.append('\n');
  }

  private static String value(JsonNode v) {
    if (v.isNumber()) {
      return v.isIntegralNumber() ? v.asText() : number(v.asDouble());
    }
    if (v.isTextual()) {
      return v.asText().replace("|", "\\|");
    }
    if (v.isObject()) {
      StringBuilder s = new StringBuilder();
      Iterator<Map.Entry<String, JsonNode>> it = v.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        s.append(e.getKey()).append(' ').append(value(e.getValue()));
        if (it.hasNext()) {
          s.append(", ");
        }
      }
      return s.toString();
    }
    return v.toString().replace("|", "\\|");
  }
}
