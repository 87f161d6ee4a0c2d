package dev.anyorder.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.Backend;
import dev.anyorder.api.ScoreSettings;
import dev.anyorder.cli.AnyOrderCli;
import dev.anyorder.io.ResultFields;
import dev.anyorder.model.WeightFormat;
import dev.anyorder.sampling.CommitListener;
import dev.anyorder.sampling.OrderSpec;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.server.ModelServer;
import dev.anyorder.server.ServerConfig;
import dev.anyorder.orders.OrderKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same score and the same sample request sent to the core directly, to {@code anyorder score}/{@code
 * sample}, to the HTTP server and to a Spark job (a seed column carrying the request's seed) give the same
 * numbers. All run the Java backend, so the comparison is exact up to the order of floating-point sums.
 * This module's tests see the CLI and the server, which is why the test lives here.
 */
class CrossFrontEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final double TOLERANCE = 1e-9;
  static final String TEXT = "abcab"; // tokens 0 1 2 0 1 of the tiny model's alphabet

  @TempDir static Path dir;
  static Path model;
  static ModelServer server;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    model = SparkTestModels.textModel(dir);
    server = ModelServer.start(model, Backend.JAVA, WeightFormat.FLOAT32, ServerConfig.defaults().withPort(0));
    spark = SparkTestModels.localSession();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
    if (spark != null) {
      spark.stop();
    }
  }

  static JsonNode post(String path, String body) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve(path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  static List<JsonNode> cli(String... args) throws Exception {
    String printed = SparkCommandLineTest.stdout(() -> assertEquals(0, AnyOrderCli.commandLine().execute(args)));
    List<JsonNode> out = new ArrayList<>();
    for (String line : printed.split("\n")) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  /** One row with the text and its seed, for a job whose seed column is {@code seed}. */
  static Dataset<Row> row(String column, String text, long seed) {
    StructType schema = new StructType().add(column, DataTypes.StringType).add("seed", DataTypes.LongType);
    return spark.createDataFrame(List.of(RowFactory.create(text, seed)), schema);
  }

  static JobOptions job() {
    return JobOptions.defaults().withBackend(Backend.JAVA).withSeedColumn("seed");
  }

  /** Position 0 known, the order-free estimate over 4 random orders, seed 1: the request of issue 22. */
  @Test
  void theSameScoreEverywhere() throws Exception {
    ScoreSettings settings = ScoreSettings.defaults().withKnown(0).withOrders(4).withSeed(1);
    double core;
    try (AnyOrderModel m = AnyOrderModel.load(model, Backend.JAVA, 1)) {
      core = settings.score(m.scorer(), settings.request(m.config(), m.vocabulary().encode(TEXT))).logProb();
    }
    double cli = cli("score", "--model", model.toString(), "--text", TEXT, "--known", "[0]", "--orders", "4", "--seed", "1",
        "--backend", "java", "--format", "jsonl").get(0).get(ResultFields.LOG_PROB).asDouble();
    double http = post("/v1/score", "{\"text\": \"" + TEXT + "\", \"known\": [0], \"orders\": 4, \"seed\": 1}")
        .get(ResultFields.LOG_PROB).asDouble();
    Row sparkRow = AnyOrderSpark.score(row("text", TEXT, 1), model, "text",
        new ScoreOptions(new int[] {0}, "left-to-right", 4, 99, job())).first();
    double sparkScore = sparkRow.<Double>getAs(AnyOrderSpark.LOG_PROB);
    assertEquals(core, cli, TOLERANCE, "CLI");
    assertEquals(core, http, TOLERANCE, "HTTP");
    assertEquals(core, sparkScore, TOLERANCE, "Spark");

    // One random order, drawn from the same seed, agrees too (the first shuffle of a fresh generator).
    ScoreSettings random = settings.withOrders(1).withOrder(OrderSpec.of(OrderKind.RANDOM)).withSeed(7);
    double coreRandom;
    try (AnyOrderModel m = AnyOrderModel.load(model, Backend.JAVA, 1)) {
      coreRandom = random.score(m.scorer(), random.request(m.config(), m.vocabulary().encode(TEXT))).logProb();
    }
    assertEquals(coreRandom, cli("score", "--model", model.toString(), "--text", TEXT, "--known", "[0]", "--order", "random",
        "--seed", "7", "--backend", "java", "--format", "jsonl").get(0).get(ResultFields.LOG_PROB).asDouble(), TOLERANCE, "CLI");
    assertEquals(coreRandom, post("/v1/score", "{\"text\": \"" + TEXT + "\", \"known\": [0], \"order\": \"random\", \"seed\": 7}")
        .get(ResultFields.LOG_PROB).asDouble(), TOLERANCE, "HTTP");
    assertEquals(coreRandom, AnyOrderSpark.score(row("text", TEXT, 7), model, "text",
        new ScoreOptions(new int[] {0}, "random", 1, 99, job())).first().<Double>getAs(AnyOrderSpark.LOG_PROB), TOLERANCE, "Spark");
  }

  /** Two sequential samples of 8 characters after the prompt "ab", seed 3. */
  @Test
  void theSameSampleEverywhere() throws Exception {
    SamplerConfig config = SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withSeed(3).withNumSamples(2);
    List<String> coreTexts = new ArrayList<>();
    List<Double> coreLogProbs = new ArrayList<>();
    try (AnyOrderModel m = AnyOrderModel.load(model, Backend.JAVA, 1)) {
      SampleRequest request = m.prompt("ab", 8);
      for (Sample s : m.sampler(config).sample(Collections.nCopies(2, request), CommitListener.NONE).samples()) {
        coreTexts.add(m.decode(s.tokens()));
        coreLogProbs.add(s.logProb());
      }
    }
    List<JsonNode> cli = cli("sample", "--model", model.toString(), "--prompt", "ab", "--length", "8", "--sampler", "sequential",
        "--seed", "3", "--num-samples", "2", "--backend", "java", "--format", "jsonl");
    JsonNode http = post("/v1/generate", "{\"prompt\": \"ab\", \"length\": 8, \"sampler\": \"sequential\", \"seed\": 3, \"num_samples\": 2}")
        .get("samples");
    Row sparkRow = AnyOrderSpark.generate(row("prompt", "ab", 3), model, "prompt",
        SampleOptions.defaults().withSampler(config.withSeed(99)).withLength(8).withJob(job())).first();
    List<String> sparkTexts = sparkRow.getList(sparkRow.fieldIndex(AnyOrderSpark.GENERATED));
    List<Double> sparkLogProbs = sparkRow.getList(sparkRow.fieldIndex(AnyOrderSpark.LOG_PROB));
    assertEquals(2, cli.size());
    for (int i = 0; i < 2; i++) {
      assertTrue(coreTexts.get(i).startsWith("ab"), coreTexts.get(i));
      assertEquals(coreTexts.get(i), cli.get(i).get(ResultFields.TEXT).asText(), "CLI sample " + i);
      assertEquals(coreTexts.get(i), http.get(i).get(ResultFields.TEXT).asText(), "HTTP sample " + i);
      assertEquals(coreTexts.get(i), sparkTexts.get(i), "Spark sample " + i);
      assertEquals(coreLogProbs.get(i), cli.get(i).get(ResultFields.LOG_PROB).asDouble(), TOLERANCE, "CLI sample " + i);
      assertEquals(coreLogProbs.get(i), http.get(i).get(ResultFields.LOG_PROB).asDouble(), TOLERANCE, "HTTP sample " + i);
      assertEquals(coreLogProbs.get(i), sparkLogProbs.get(i), TOLERANCE, "Spark sample " + i);
    }
  }

  /** Spark's defaults are the other front ends': the score settings and the backend. */
  @Test
  void sparkStartsFromTheSharedDefaults() {
    assertEquals(ScoreSettings.defaults(), ScoreOptions.defaults().settings());
    assertEquals(Backend.DEFAULT, JobOptions.defaults().backend());
    assertEquals(SamplerConfig.defaults(), SampleOptions.defaults().sampler());
  }
}
