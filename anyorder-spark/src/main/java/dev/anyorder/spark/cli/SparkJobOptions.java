package dev.anyorder.spark.cli;

import dev.anyorder.api.Backend;
import dev.anyorder.options.BackendConverter;
import dev.anyorder.options.WeightsOption;
import dev.anyorder.spark.JobOptions;
import dev.anyorder.spark.OnError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The flags every {@code anyorder spark} job shares: model, input, output, cluster and error handling. */
final class SparkJobOptions {
  enum InputFormat { auto, text, json, parquet }

  enum OutputFormat { parquet, json }

  @Option(names = "--model", required = true, description = "Model directory (shipped to the executors).")
  Path model;

  @Option(names = "--input", required = true, description = "Input file or directory: text (one row per line), JSON lines or Parquet.")
  String input;

  @Option(names = "--input-format", defaultValue = "auto",
      description = "auto (by extension: .parquet, .json/.jsonl, else text), text, json or parquet (default: ${DEFAULT-VALUE}).")
  InputFormat inputFormat;

  @Option(names = "--column", defaultValue = "text",
      description = "Input column of JSON and Parquet inputs; a text input's lines are column text (default: ${DEFAULT-VALUE}).")
  String column;

  @Option(names = "--output", required = true, description = "Output directory (must not exist).")
  String output;

  @Option(names = "--output-format", defaultValue = "parquet", description = "parquet or json (JSON lines) (default: ${DEFAULT-VALUE}).")
  OutputFormat outputFormat;

  @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*], the embedded one that needs no cluster).")
  String master;

  @Option(names = "--partitions", description = "Repartition the input into this many partitions (default: as read).")
  Integer partitions;

  @Option(names = "--on-error", defaultValue = "column",
      description = "A bad row (unknown characters, too long, bad placeholders): fail the job, or keep it with its message in"
          + " column error (default: ${DEFAULT-VALUE}).")
  String onError;

  @Option(names = "--batch-size", defaultValue = "" + JobOptions.DEFAULT_BATCH_SIZE, description = "Rows per network call (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--seed-column", description = "Integer column holding each row's seed, used as is like --seed of anyorder score or sample (default: each row is seeded by --seed and its input).")
  String seedColumn;

  @Option(names = "--backend", defaultValue = BackendConverter.DEFAULT, converter = BackendConverter.class, description = BackendConverter.DESCRIPTION)
  Backend backend;

  @Mixin
  WeightsOption weights;

  JobOptions job() {
    return new JobOptions(backend, weights.format, batchSize, OnError.parse(onError), seedColumn);
  }

  SparkSession session(String app) {
    SparkConf conf = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder().appName(app);
    if (master != null) {
      builder.master(master);
    } else if (!conf.contains("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** The input rows; a text input has one row per line in column {@code text}. */
  Dataset<Row> read(SparkSession spark) {
    Dataset<Row> df = switch (format()) {
      case text -> spark.read().text(input).withColumnRenamed("value", "text");
      case json -> spark.read().json(input);
      case parquet -> spark.read().parquet(input);
      case auto -> throw new AssertionError();
    };
    return partitions == null ? df : df.repartition(partitions);
  }

  /** The column holding each row's input. */
  String inputColumn() {
    return format() == InputFormat.text ? "text" : column;
  }

  private InputFormat format() {
    if (inputFormat != InputFormat.auto) {
      return inputFormat;
    }
    String name = input.toLowerCase(Locale.ROOT);
    if (name.endsWith(".parquet") || Files.isDirectory(Path.of(input)) && isParquetDirectory(Path.of(input))) {
      return InputFormat.parquet;
    }
    if (name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".json.gz") || name.endsWith(".jsonl.gz")) {
      return InputFormat.json;
    }
    return InputFormat.text;
  }

  /** Writes {@code result} and prints how many rows it holds and how many carry an error. */
  void write(SparkSession spark, Dataset<Row> result, long startNanos) {
    var writer = result.write().mode(SaveMode.ErrorIfExists);
    if (outputFormat == OutputFormat.json) {
      writer.json(output);
    } else {
      writer.parquet(output);
    }
    Dataset<Row> written = outputFormat == OutputFormat.json ? spark.read().json(output) : spark.read().parquet(output);
    long rows = written.count();
    long errors = java.util.Arrays.asList(written.columns()).contains("error") ? written.filter(functions.col("error").isNotNull()).count() : 0;
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.err.printf("%d rows (%d with an error) written to %s in %.1f s%n", rows, errors, output, seconds);
  }

  private static boolean isParquetDirectory(Path dir) {
    try (var files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
