package dev.anyorder.spark;

import dev.anyorder.io.ResultFields;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Batch scoring, infilling and generation over Spark {@code Dataset<Row>}s. Each method keeps every input
 * column and adds its results; the output has one row per input row, and a row the model cannot process
 * either fails the job or carries its message in {@value #ERROR} ({@link JobOptions#onError()}).
 *
 * <p>The model directory reaches the executors by path in local mode, and is shipped with the job
 * ({@link ModelSource#ship}) otherwise. Each executor JVM reads it once ({@link ExecutorModels}), and each
 * partition runs in batched network calls. A row's random choices come from its own seed, so its result
 * does not depend on partitioning or on the number of executors.
 *
 * <pre>{@code
 * Dataset<Row> scored = AnyOrderSpark.score(spark.read().text("lines.txt"), Path.of("runs/kjv"), "value",
 *     ScoreOptions.defaults().withOrders(16));
 * }</pre>
 */
public final class AnyOrderSpark {
  // The result columns shared with the other front ends' JSON are named by ResultFields.
  public static final String LOG_PROB = ResultFields.LOG_PROB;
  public static final String NATS_PER_TOKEN = ResultFields.NATS_PER_TOKEN;
  public static final String TARGETS = ResultFields.TARGETS;
  public static final String STANDARD_ERROR = ResultFields.STANDARD_ERROR;
  public static final String INFILLED = "infilled";
  public static final String NFE = ResultFields.NFE;
  public static final String GENERATED = "generated";
  public static final String ERROR = "error";

  private AnyOrderSpark() {}

  /**
   * Adds {@value #LOG_PROB} ({@code log p(targets | known)}), {@value #NATS_PER_TOKEN} and {@value #TARGETS},
   * and with {@code orders > 1} the order-free estimate as {@value #LOG_PROB} with its {@value #STANDARD_ERROR},
   * for the text in {@code column}.
   */
  public static Dataset<Row> score(Dataset<Row> df, Path modelDir, String column, ScoreOptions options) {
    return score(df, source(df, modelDir), column, options);
  }

  /** {@link #score(Dataset, Path, String, ScoreOptions)} with the model found through {@code model}. */
  public static Dataset<Row> score(Dataset<Row> df, ModelSource model, String column, ScoreOptions options) {
    int text = columnIndex(df, column, DataTypes.StringType);
    List<StructField> results = new ArrayList<>(List.of(
        DataTypes.createStructField(LOG_PROB, DataTypes.DoubleType, true),
        DataTypes.createStructField(NATS_PER_TOKEN, DataTypes.DoubleType, true),
        DataTypes.createStructField(TARGETS, DataTypes.IntegerType, true)));
    if (options.orders() > 1) {
      results.add(DataTypes.createStructField(STANDARD_ERROR, DataTypes.DoubleType, true));
    }
    return apply(df, new RowScoring(model, options, text, seedIndex(df, options.job())), results, options.job());
  }

  /**
   * Fills the unknown tokens of {@code column}: each placeholder character (and each {@code {_N}}) of a
   * string column, or each null of an array-of-ids column. Adds {@value #INFILLED} (text, or the ids),
   * {@value #LOG_PROB} of the filled tokens under the sampler's order and {@value #NFE}.
   */
  public static Dataset<Row> infill(Dataset<Row> df, Path modelDir, String column, SampleOptions options) {
    return infill(df, source(df, modelDir), column, options);
  }

  /** {@link #infill(Dataset, Path, String, SampleOptions)} with the model found through {@code model}. */
  public static Dataset<Row> infill(Dataset<Row> df, ModelSource model, String column, SampleOptions options) {
    DataType type = df.schema().apply(checkedName(df, column)).dataType();
    boolean text = type instanceof StringType;
    if (!text && !(type instanceof ArrayType a && isInteger(a.elementType()))) {
      throw new IllegalArgumentException("column " + column + " must hold text or an array of token ids, not " + type.simpleString());
    }
    int index = df.schema().fieldIndex(column);
    DataType filled = text ? DataTypes.StringType : DataTypes.createArrayType(DataTypes.IntegerType, false);
    List<StructField> results = List.of(
        DataTypes.createStructField(INFILLED, filled, true),
        DataTypes.createStructField(LOG_PROB, DataTypes.DoubleType, true),
        DataTypes.createStructField(NFE, DataTypes.IntegerType, true));
    return apply(df, new RowInfilling(model, options, index, text, seedIndex(df, options.job())), results, options.job());
  }

  /**
   * Draws {@code options.sampler().numSamples()} sequences of {@code options.length()} tokens after the
   * prompt in {@code promptColumn} (null or empty: unconditional). Adds {@value #GENERATED} (the texts) and
   * {@value #LOG_PROB} (one per sequence, under its sampling order).
   */
  public static Dataset<Row> generate(Dataset<Row> df, Path modelDir, String promptColumn, SampleOptions options) {
    return generate(df, source(df, modelDir), promptColumn, options);
  }

  /** {@link #generate(Dataset, Path, String, SampleOptions)} with the model found through {@code model}. */
  public static Dataset<Row> generate(Dataset<Row> df, ModelSource model, String promptColumn, SampleOptions options) {
    int prompt = columnIndex(df, promptColumn, DataTypes.StringType);
    List<StructField> results = List.of(
        DataTypes.createStructField(GENERATED, DataTypes.createArrayType(DataTypes.StringType, false), true),
        DataTypes.createStructField(LOG_PROB, DataTypes.createArrayType(DataTypes.DoubleType, false), true));
    return apply(df, new RowGeneration(model, options, prompt, seedIndex(df, options.job())), results, options.job());
  }

  /**
   * Model directories each executor has read, by executor id, from one small job with a task per slot.
   * Meant for local mode and small clusters: Spark does not promise that every executor gets a task.
   */
  public static Map<String, Integer> modelLoadsPerExecutor(SparkSession spark) {
    int slots = Math.max(1, spark.sparkContext().defaultParallelism());
    List<Row> seen = spark.range(0, slots, 1, slots).toDF().mapPartitions(
        (MapPartitionsFunction<Row, Row>) rows -> List.of(RowFactory.create(SparkEnv.get().executorId(), ExecutorModels.loads()))
            .iterator(),
        Encoders.row(new StructType().add("executor", DataTypes.StringType).add("loads", DataTypes.IntegerType)))
        .collectAsList();
    Map<String, Integer> loads = new TreeMap<>();
    for (Row r : seen) {
      loads.merge(r.getString(0), r.getInt(1), Math::max);
    }
    return loads;
  }

  /** Local mode reads the directory where it is; a cluster gets it shipped with the job. */
  private static ModelSource source(Dataset<Row> df, Path modelDir) {
    return df.sparkSession().sparkContext().isLocal() ? ModelSource.shared(modelDir)
        : ModelSource.ship(df.sparkSession().sparkContext(), modelDir);
  }

  private static Dataset<Row> apply(Dataset<Row> df, BatchedPartition<?> function, List<StructField> results, JobOptions job) {
    StructType schema = df.schema();
    for (StructField f : results) {
      if (Arrays.asList(schema.fieldNames()).contains(f.name())) {
        throw new IllegalArgumentException("the input already has a column " + f.name() + "; rename it first");
      }
      schema = schema.add(f);
    }
    if (job.onError() == OnError.COLUMN) {
      if (Arrays.asList(df.schema().fieldNames()).contains(ERROR)) {
        throw new IllegalArgumentException("the input already has a column " + ERROR + "; rename it first");
      }
      schema = schema.add(DataTypes.createStructField(ERROR, DataTypes.StringType, true));
    }
    return df.mapPartitions(function, Encoders.row(schema));
  }

  private static int columnIndex(Dataset<Row> df, String column, DataType type) {
    String name = checkedName(df, column);
    DataType actual = df.schema().apply(name).dataType();
    if (!actual.equals(type)) {
      throw new IllegalArgumentException("column " + column + " must be " + type.simpleString() + ", not " + actual.simpleString());
    }
    return df.schema().fieldIndex(name);
  }

  private static int seedIndex(Dataset<Row> df, JobOptions job) {
    if (job.seedColumn() == null) {
      return -1;
    }
    DataType type = df.schema().apply(checkedName(df, job.seedColumn())).dataType();
    if (!(type instanceof LongType || type instanceof IntegerType)) {
      throw new IllegalArgumentException("seed column " + job.seedColumn() + " must hold integers, not " + type.simpleString());
    }
    return df.schema().fieldIndex(job.seedColumn());
  }

  private static String checkedName(Dataset<Row> df, String column) {
    if (!Arrays.asList(df.schema().fieldNames()).contains(column)) {
      throw new IllegalArgumentException("no column " + column + " in the input; it has " + String.join(", ", df.schema().fieldNames()));
    }
    return column;
  }

  private static boolean isInteger(DataType t) {
    return t instanceof IntegerType || t instanceof LongType;
  }
}
