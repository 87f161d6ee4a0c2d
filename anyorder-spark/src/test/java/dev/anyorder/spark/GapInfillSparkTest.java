package dev.anyorder.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.GapLayout;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark infill} with gaps of unknown length in a text column: each row's fill keeps its context and its
 * gaps' bounds, rows with fixed-length gaps only are filled as before beside them, a malformed row gets its
 * problem in the error column, and nothing depends on how the rows are partitioned.
 */
class GapInfillSparkTest {
  static SparkSession spark;
  static Path model;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    ModelConfig config = TinyModels.config(SparkTestModels.ALPHABET.length(), SparkTestModels.LENGTH + 2);
    model = dir.resolve("gap-model");
    ObjectNode training = new ObjectMapper().createObjectNode();
    training.putObject("config").putObject(GapLayout.FIELD).put("slots", 2).put("maxGap", 4);
    try (NDManager manager = TinyModels.manager(); SigmaGpt net = TinyModels.random(config, 3, 0.5, manager)) {
      ModelDirectory.save(model, new SavedModel(config, CharacterVocabulary.fromText(SparkTestModels.ALPHABET),
          NamedTensor.inLayout(config, net.weights()), null, training, null, Map.of()));
    }
    spark = SparkTestModels.localSession();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void textsWithGapsOfUnknownLengthAreFilledRowByRow() {
    List<String> texts = List.of("ab{...}c", "a{...3}b{...}h", "ab__c", "ga{...2}", "a{...b", "hh{...}gg");
    SampleOptions fill = SampleOptions.defaults().withJob(JobOptions.defaults().withBatchSize(2));
    Map<String, Row> one = AnyOrderSparkTest.byText(AnyOrderSpark.infill(frame(texts).repartition(1), model, "text", fill));
    Map<String, Row> three = AnyOrderSparkTest.byText(AnyOrderSpark.infill(frame(texts).repartition(3), model, "text", fill));
    for (String text : texts) {
      Row a = one.get(text);
      for (String column : a.schema().fieldNames()) {
        AnyOrderSparkTest.assertAlike(a.getAs(column), three.get(text).getAs(column), column + " of " + text);
      }
    }
    assertTrue(one.get("a{...b").<String>getAs(AnyOrderSpark.ERROR).contains("unclosed brace"), one.get("a{...b").toString());
    for (String text : List.of("ab{...}c", "a{...3}b{...}h", "ga{...2}", "hh{...}gg", "ab__c")) {
      Row r = one.get(text);
      assertNull(r.getAs(AnyOrderSpark.ERROR), r.toString());
      String filled = r.getAs(AnyOrderSpark.INFILLED);
      String pattern = text.replace("{...}", ".{0,4}").replace("{...3}", ".{0,3}").replace("{...2}", ".{0,2}").replace("_", ".");
      assertTrue(filled.matches(pattern), filled + " does not fit " + text);
      assertTrue(r.<Double>getAs(AnyOrderSpark.LOG_PROB) <= 0, r.toString());
    }
  }

  static Dataset<Row> frame(List<String> texts) {
    return spark.createDataset(texts, Encoders.STRING()).toDF("text");
  }
}
