package dev.anyorder.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.Backend;
import dev.anyorder.api.RequestBuilder;
import dev.anyorder.density.OrderScore;
import dev.anyorder.model.WeightFormat;
import dev.anyorder.options.SamplingOptions;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark API on a shared local[2] session and a tiny model: results, errors, partitioning and model loads. */
class AnyOrderSparkTest {
  static SparkSession spark;
  static Path model;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    model = SparkTestModels.textModel(dir);
    spark = SparkTestModels.localSession();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  static Dataset<Row> texts(List<String> texts) {
    return spark.createDataset(texts, Encoders.STRING()).toDF("text");
  }

  /** Distinct random texts over the model's alphabet, some with placeholders for infilling. */
  static List<String> randomTexts(int n, boolean placeholders) {
    SplittableRandom rng = new SplittableRandom(42);
    List<String> out = new ArrayList<>();
    while (out.size() < n) {
      StringBuilder s = new StringBuilder();
      int length = 3 + rng.nextInt(SparkTestModels.LENGTH - 3);
      for (int i = 0; i < length; i++) {
        s.append(placeholders && rng.nextInt(3) == 0 ? '_' : SparkTestModels.ALPHABET.charAt(rng.nextInt(SparkTestModels.ALPHABET.length())));
      }
      if (!out.contains(s.toString())) {
        out.add(s.toString());
      }
    }
    return out;
  }

  static Map<String, Row> byText(Dataset<Row> df) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : df.collectAsList()) {
      out.put(r.getString(r.fieldIndex("text")), r);
    }
    return out;
  }

  @Test
  void scoresEveryRowAsTheCoreScorerDoesAndKeepsBadRows() {
    List<String> lines = List.of("abc", "bad cafe", "xyz", "abcdefgh abcdefgh", "");
    Map<String, Row> out = byText(AnyOrderSpark.score(texts(lines), model, "text", ScoreOptions.defaults()));
    assertEquals(lines.size(), out.size(), "one output row per input row");
    try (AnyOrderModel m = AnyOrderModel.load(model)) {
      for (String line : List.of("abc", "bad cafe")) {
        OrderScore want = m.scorer().score(RequestBuilder.scoreRequest(m.config(), m.vocabulary().encode(line), null,
            SamplingOptions.orderSpec("left-to-right"), new SplittableRandom(1)));
        Row r = out.get(line);
        assertNull(r.getAs(AnyOrderSpark.ERROR), line);
        assertEquals(want.logProb(), r.<Double>getAs(AnyOrderSpark.LOG_PROB), 1e-4, line);
        assertEquals(want.natsPerToken(), r.<Double>getAs(AnyOrderSpark.NATS_PER_TOKEN), 1e-4, line);
        assertEquals(line.length(), r.<Integer>getAs(AnyOrderSpark.TARGETS));
      }
    }
    assertTrue(out.get("xyz").<String>getAs(AnyOrderSpark.ERROR).contains("x"), "unknown character: " + out.get("xyz"));
    assertNotNull(out.get("abcdefgh abcdefgh").getAs(AnyOrderSpark.ERROR), "longer than the model");
    assertNotNull(out.get("").getAs(AnyOrderSpark.ERROR), "empty");
    assertNull(out.get("xyz").getAs(AnyOrderSpark.LOG_PROB));
  }

  /** A bfloat16 job scores what the core scores with the same rounded model, on either backend. */
  @Test
  void aBfloat16JobScoresTheRoundedModel() {
    String line = "bad cafe";
    for (Backend backend : List.of(Backend.DJL, Backend.JAVA)) {
      JobOptions job = JobOptions.defaults().withBackend(backend).withWeights(WeightFormat.BFLOAT16);
      Row r = AnyOrderSpark.score(texts(List.of(line)), model, "text", ScoreOptions.defaults().withJob(job)).first();
      try (AnyOrderModel half = AnyOrderModel.load(model, Backend.JAVA, 1, WeightFormat.BFLOAT16);
          AnyOrderModel full = AnyOrderModel.load(model, Backend.JAVA, 1)) {
        double want = half.scorer().score(RequestBuilder.scoreRequest(half.config(), half.vocabulary().encode(line), null,
            SamplingOptions.orderSpec("left-to-right"), new SplittableRandom(1))).logProb();
        double unrounded = full.scorer().score(RequestBuilder.scoreRequest(full.config(), full.vocabulary().encode(line), null,
            SamplingOptions.orderSpec("left-to-right"), new SplittableRandom(1))).logProb();
        assertEquals(want, r.<Double>getAs(AnyOrderSpark.LOG_PROB), 1e-4, backend + ": the rounded model");
        assertTrue(Math.abs(want - unrounded) > 1e-6, "rounding changes the score: " + want + " vs " + unrounded);
      }
    }
  }

  @Test
  void onErrorFailFailsTheJobNamingTheRow() {
    ScoreOptions fail = ScoreOptions.defaults().withJob(JobOptions.defaults().withOnError(OnError.FAIL));
    Dataset<Row> scored = AnyOrderSpark.score(texts(List.of("abc", "xyz")), model, "text", fail);
    assertTrue(!Arrays.asList(scored.columns()).contains(AnyOrderSpark.ERROR), "no error column when bad rows fail the job");
    Exception e = assertThrows(Exception.class, scored::collectAsList);
    String messages = "";
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages += t.getMessage() + " | ";
    }
    assertTrue(messages.contains("xyz"), messages);
  }

  @Test
  void resultsDoNotDependOnPartitioning() {
    List<String> plain = randomTexts(24, false);
    List<String> gaps = randomTexts(24, true);
    JobOptions small = JobOptions.defaults().withBatchSize(4);
    ScoreOptions score = ScoreOptions.defaults().withOrder("random").withOrders(3).withSeed(5).withJob(small);
    SampleOptions sample = SampleOptions.defaults().withSampler(SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withSeed(9).withNumSamples(2))
        .withLength(SparkTestModels.LENGTH).withJob(small);
    SampleOptions fill = SampleOptions.defaults().withJob(small);
    List<Function<Integer, Dataset<Row>>> jobs = List.of(
        p -> AnyOrderSpark.score(texts(plain).repartition(p), model, "text", score),
        p -> AnyOrderSpark.infill(texts(gaps).repartition(p), model, "text", fill),
        p -> AnyOrderSpark.generate(texts(plain.subList(0, 8)).repartition(p), model, "text", sample));
    for (Function<Integer, Dataset<Row>> job : jobs) {
      Map<String, Row> one = byText(job.apply(1));
      Map<String, Row> four = byText(job.apply(4));
      assertEquals(one.keySet(), four.keySet());
      for (String text : one.keySet()) {
        Row a = one.get(text);
        Row b = four.get(text);
        assertNull(a.getAs(AnyOrderSpark.ERROR), a.toString());
        for (String column : a.schema().fieldNames()) {
          assertAlike(a.getAs(column), b.getAs(column), column + " of " + text);
        }
      }
    }
    // The random orders and samples do come from each row's seed: different rows, different draws.
    Map<String, Row> filled = byText(AnyOrderSpark.infill(texts(List.of("a___", "a____")), model, "text", fill));
    String three = filled.get("a___").getAs(AnyOrderSpark.INFILLED);
    String four = filled.get("a____").getAs(AnyOrderSpark.INFILLED);
    assertNotEquals(three, four.substring(0, 4), "rows draw from their own seeds");
  }

  /** Equal, doubles within float rounding of differently composed batches. */
  static void assertAlike(Object x, Object y, String what) {
    if (x instanceof Double dx) {
      assertEquals(dx, (Double) y, 1e-5, what);
    } else if (x instanceof scala.collection.Seq<?> sx) {
      scala.collection.Seq<?> sy = (scala.collection.Seq<?>) y;
      assertEquals(sx.size(), sy.size(), what);
      for (int i = 0; i < sx.size(); i++) {
        assertAlike(sx.apply(i), sy.apply(i), what + "[" + i + "]");
      }
    } else {
      assertEquals(x, y, what);
    }
  }

  @Test
  void loadsTheModelOncePerExecutor() {
    ExecutorModels.clear();
    Dataset<Row> rows = texts(randomTexts(40, false)).repartition(8);
    JobOptions small = JobOptions.defaults().withBatchSize(3);
    assertEquals(40, AnyOrderSpark.score(rows, model, "text", ScoreOptions.defaults().withJob(small)).count());
    assertEquals(40, AnyOrderSpark.score(rows, model, "text", ScoreOptions.defaults().withOrders(2).withJob(small)).count());
    assertEquals(Map.of("driver", 1), AnyOrderSpark.modelLoadsPerExecutor(spark), "16 tasks on 2 slots, one load");
    assertTrue(ExecutorModels.replicas() <= 2, "at most one replica per concurrently running task: " + ExecutorModels.replicas());
  }

  @Test
  void aShippedModelIsReadFromSparkFiles() {
    ModelSource shipped = ModelSource.ship(spark.sparkContext(), model);
    assertNotEquals(model.toAbsolutePath().normalize(), shipped.resolve(), "the executors read Spark's copy");
    Row r = AnyOrderSpark.score(texts(List.of("bad")), shipped, "text", ScoreOptions.defaults()).first();
    assertNull(r.getAs(AnyOrderSpark.ERROR));
    assertTrue(r.<Double>getAs(AnyOrderSpark.LOG_PROB) < 0);
  }

  @Test
  void fillsNullsOfATokenColumnAndKeepsTheKnownIds() {
    StructType schema = new StructType().add("ids", DataTypes.createArrayType(DataTypes.IntegerType, true));
    List<Row> input = List.of(RowFactory.create((Object) new Integer[] {1, null, 3, null, null}),
        RowFactory.create((Object) new Integer[] {null, 99}));
    Dataset<Row> df = spark.createDataFrame(input, schema);
    List<Row> out = AnyOrderSpark.infill(df, model, "ids", SampleOptions.defaults()).collectAsList();
    assertEquals(2, out.size());
    Row ok = out.stream().filter(r -> r.getList(0).size() == 5).findFirst().orElseThrow();
    List<Integer> filled = ok.getList(ok.fieldIndex(AnyOrderSpark.INFILLED));
    assertEquals(List.of(1, 3), List.of(filled.get(0), filled.get(2)), "known ids stay: " + filled);
    assertTrue(filled.stream().allMatch(t -> t >= 0 && t < SparkTestModels.ALPHABET.length()), filled.toString());
    Row bad = out.stream().filter(r -> r.getList(0).size() == 2).findFirst().orElseThrow();
    assertNotNull(bad.getAs(AnyOrderSpark.ERROR), "id 99 is outside the vocabulary");
  }
}
