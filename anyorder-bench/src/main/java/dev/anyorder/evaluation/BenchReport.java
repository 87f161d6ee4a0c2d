package dev.anyorder.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The report of one benchmark or demo run, written as {@code report.json} and {@code report.md}.
 *
 * <p>Everything in it is put there by the command that measured it: settings, the trained models,
 * one row per (model, sampler) with task metrics and NFE ({@link SamplerResult}), named measurements
 * (validation losses, bits per character, NLL …), figures and notes. {@code report.md} is rendered from
 * the JSON tree alone by {@link ReportMarkdown}, so the two can never disagree and the Markdown can be
 * regenerated from {@code report.json} at any time.
 *
 * <p>Benchmarks reproduce claims of the σ-GPT paper (Pannatier, Courdier, Fleuret 2024) and of "Train for
 * the Worst, Plan for the Best" (Kim et al. 2025) at the scale of a CPU.
 */
public final class BenchReport {
  public static final String JSON_FILE = "report.json";
  public static final String MARKDOWN_FILE = "report.md";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ObjectNode root;

  /**
   * Starts a report.
   *
   * @param title heading of the report
   * @param command the command line that produces it
   */
  public BenchReport(String title, String command) {
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("a report needs a title");
    }
    root = JSON.createObjectNode();
    root.put("title", title);
    root.put("command", Objects.requireNonNull(command, "command"));
    root.put("created", Instant.now().toString());
    root.putObject("settings");
    root.putArray("models");
    root.putArray("results");
    root.putArray("measurements");
    root.putArray("figures");
    root.putArray("notes");
  }

  /** The JSON tree (live; for tests and for adding task-specific sections). */
  public ObjectNode json() {
    return root;
  }

  /** Records a setting of the run (sizes, seeds, budget). */
  public BenchReport setting(String name, Object value) {
    root.with("settings").set(name, JSON.valueToTree(value));
    return this;
  }

  /**
   * Records a trained or reused model.
   *
   * @param name short name used in result rows (e.g. the training order)
   * @param facts what to report about it (directory, order, steps, seconds, parameters, validation losses)
   */
  public BenchReport model(String name, Map<String, ?> facts) {
    ObjectNode m = ((ArrayNode) root.get("models")).addObject();
    m.put("name", name);
    facts.forEach((k, v) -> m.set(k, JSON.valueToTree(v)));
    return this;
  }

  /** Adds a (model, sampler) row. */
  public BenchReport result(SamplerResult r) {
    ObjectNode n = ((ArrayNode) root.get("results")).addObject();
    n.put("model", r.model());
    n.put("sampler", r.sampler());
    n.put("instances", r.instances());
    ObjectNode metrics = n.putObject("metrics");
    r.metrics().forEach(metrics::put);
    n.put("nfePerInstance", r.nfePerInstance());
    n.put("tokensPerInstance", r.tokensPerInstance());
    n.put("tokensPerNfe", r.tokensPerNfe());
    n.put("seconds", r.seconds());
    return this;
  }

  /**
   * Adds a named measurement.
   *
   * @param section table it belongs to (e.g. {@code validation loss})
   * @param name row label
   * @param value the measured number
   * @param unit unit of the number (may be empty)
   */
  public BenchReport measurement(String section, String name, double value, String unit) {
    ObjectNode n = ((ArrayNode) root.get("measurements")).addObject();
    n.put("section", section);
    n.put("name", name);
    n.put("value", value);
    n.put("unit", unit == null ? "" : unit);
    return this;
  }

  /** Adds a picture written next to the report, by file name relative to the report directory. */
  public BenchReport figure(String file, String caption) {
    ObjectNode n = ((ArrayNode) root.get("figures")).addObject();
    n.put("file", file);
    n.put("caption", caption);
    return this;
  }

  /** Adds a note: a sentence generated from measured values, or a fixed statement of method. */
  public BenchReport note(String text) {
    ((ArrayNode) root.get("notes")).add(text);
    return this;
  }

  /** Adds a preformatted block (e.g. a maze drawn as text). */
  public BenchReport block(String caption, String text) {
    ArrayNode blocks = root.has("blocks") ? (ArrayNode) root.get("blocks") : root.putArray("blocks");
    ObjectNode n = blocks.addObject();
    n.put("caption", caption);
    n.put("text", text);
    return this;
  }

  /** Writes {@code report.json} and {@code report.md} (rendered from the JSON) into {@code dir}. */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
      AtomicFiles.writeBytes(dir.resolve(JSON_FILE), JSON.writeValueAsBytes(root));
      AtomicFiles.writeString(dir.resolve(MARKDOWN_FILE), ReportMarkdown.render(root));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the report to " + dir, e);
    }
  }

  /** Reads a {@code report.json}. */
  public static JsonNode read(Path reportJson) {
    try {
      return JSON.readTree(reportJson.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + reportJson, e);
    }
  }
}
