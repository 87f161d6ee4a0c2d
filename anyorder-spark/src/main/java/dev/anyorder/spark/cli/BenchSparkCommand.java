package dev.anyorder.spark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.Backend;
import dev.anyorder.api.ScoreSettings;
import dev.anyorder.data.SourceFile;
import dev.anyorder.density.Scorer;
import dev.anyorder.io.AtomicFiles;
import dev.anyorder.spark.AnyOrderSpark;
import dev.anyorder.spark.ExecutorModels;
import dev.anyorder.spark.JobOptions;
import dev.anyorder.spark.ScoreOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code anyorder bench spark}: scores KJV-derived rows with Spark at each master, and the same rows with
 * the single-process path of {@code anyorder score}, reporting rows/s, the scaling ratio, model loads per
 * executor and the per-row cost of each.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "bench spark: score KJV-derived rows with local[1] and local[2] and with the single-process score path.")
final class BenchSparkCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "A trained character model (for example one trained on the KJV).")
  Path model;

  @Option(names = "--data", defaultValue = "data/kjv.txt.gz", description = "Text whose lines become rows (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--rows", defaultValue = "100000", description = "Rows to score (lines are reused when the text has fewer) (default: ${DEFAULT-VALUE}).")
  int rows;

  @Option(names = "--masters", defaultValue = "local[1],local[2]", split = ",", description = "Spark masters to compare (default: ${DEFAULT-VALUE}).")
  List<String> masters;

  @Option(names = "--cli-rows", defaultValue = "2000",
      description = "Rows scored by the single-process path of anyorder score, for the per-row cost (default: ${DEFAULT-VALUE}).")
  int cliRows;

  @Option(names = "--batch-size", defaultValue = "" + JobOptions.DEFAULT_BATCH_SIZE, description = "Rows per network call (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--out", description = "Also write the report as JSON to this file.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("anyorder-bench-spark");
    try {
      List<String> lines = rowsFrom(data, rows);
      Path input = work.resolve("rows.txt");
      Files.write(input, lines, StandardCharsets.UTF_8);
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode report = json.createObjectNode();
      report.put("model", model.toString()).put("data", data.toString()).put("rows", lines.size()).put("batchSize", batchSize);
      ArrayNode runs = report.putArray("spark");
      double first = 0;
      for (String master : masters) {
        ExecutorModels.clear();
        SparkSession spark = SparkSession.builder().master(master).appName("anyorder bench spark").config("spark.ui.enabled", "false")
            .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
          int slots = spark.sparkContext().defaultParallelism();
          Dataset<Row> df = spark.read().text(input.toString()).withColumnRenamed("value", "text").repartition(slots * 4).cache();
          df.count(); // reading and repartitioning are not what is measured
          ScoreOptions options = ScoreOptions.defaults().withJob(JobOptions.defaults().withBatchSize(batchSize));
          long t0 = System.nanoTime();
          AnyOrderSpark.score(df, model, "text", options).write().format("noop").mode("overwrite").save();
          double seconds = (System.nanoTime() - t0) / 1e9;
          Map<String, Integer> loads = AnyOrderSpark.modelLoadsPerExecutor(spark);
          double rowsPerSecond = lines.size() / seconds;
          if (first == 0) {
            first = rowsPerSecond;
          }
          ObjectNode run = runs.addObject();
          run.put("master", master).put("slots", slots).put("seconds", seconds).put("rowsPerSecond", rowsPerSecond)
              .put("msPerRow", 1000 * seconds / lines.size()).put("scaling", rowsPerSecond / first)
              .put("replicas", ExecutorModels.replicas());
          run.set("modelLoadsPerExecutor", json.valueToTree(loads));
          System.out.printf("%-10s %d slot(s): %8.1f rows/s  %.3f ms/row  scaling %.2fx  model loads per executor %s  replicas %d%n",
              master, slots, rowsPerSecond, 1000 * seconds / lines.size(), rowsPerSecond / first, loads, ExecutorModels.replicas());
        } finally {
          spark.stop();
        }
      }
      double cliMsPerRow = singleProcessScore(lines.subList(0, Math.min(cliRows, lines.size())));
      report.put("cliRows", Math.min(cliRows, lines.size())).put("cliMsPerRow", cliMsPerRow);
      double sparkMsPerRow = runs.get(0).get("msPerRow").asDouble();
      System.out.printf("anyorder score (single process, one row per call): %.3f ms/row; %s costs %.2fx that per row%n", cliMsPerRow,
          masters.get(0), sparkMsPerRow / cliMsPerRow);
      if (out != null) {
        AtomicFiles.writeBytes(out, json.writeValueAsBytes(report));
      }
    } finally {
      AtomicFiles.deleteRecursively(work);
    }
    return 0;
  }

  /** The first non-empty lines of {@code data}, cut to the model's length, reused in turn until there are {@code n}. */
  private List<String> rowsFrom(Path data, int n) {
    int maxLength;
    try (AnyOrderModel m = AnyOrderModel.load(model, Backend.JAVA, 1)) {
      maxLength = m.config().maxLength();
    }
    List<String> source = new ArrayList<>();
    for (String line : SourceFile.readText(data).text().split("\n")) {
      String t = line.strip();
      if (!t.isEmpty()) {
        source.add(t.length() > maxLength ? t.substring(0, maxLength) : t);
      }
    }
    if (source.isEmpty()) {
      throw new IllegalArgumentException(data + " has no non-empty line");
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(source.get(i % source.size()));
    }
    return out;
  }

  /** Milliseconds per row of the path {@code anyorder score --input} takes: one scored request per line, one engine thread. */
  private double singleProcessScore(List<String> lines) {
    // The backend and settings anyorder score defaults to, as the Spark jobs beside it do.
    try (AnyOrderModel m = AnyOrderModel.load(model, Backend.DEFAULT, 1)) {
      Scorer scorer = m.scorer();
      ScoreSettings settings = ScoreSettings.defaults();
      int warmup = Math.min(50, lines.size());
      for (int i = 0; i < warmup; i++) {
        settings.score(scorer, settings.request(m.config(), m.vocabulary().encode(lines.get(i))));
      }
      long t0 = System.nanoTime();
      for (String line : lines) {
        settings.score(scorer, settings.request(m.config(), m.vocabulary().encode(line)));
      }
      return (System.nanoTime() - t0) / 1e6 / lines.size();
    }
  }
}
