package dev.anyorder.spark;

import ai.djl.ndarray.NDManager;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.testing.TinyModels;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** A tiny random character model and a local Spark session for the Spark tests. */
final class SparkTestModels {
  static final String ALPHABET = "abcdefgh ";
  static final int LENGTH = 12;

  private SparkTestModels() {}

  static Path textModel(Path parent) {
    ModelConfig config = TinyModels.config(ALPHABET.length(), LENGTH);
    Path dir = parent.resolve("model");
    try (NDManager manager = TinyModels.manager(); SigmaGpt net = TinyModels.random(config, 3, 0.5, manager)) {
      ModelDirectory.save(dir, SavedModel.of(config, CharacterVocabulary.fromText(ALPHABET), NamedTensor.inLayout(config, net.weights())));
    }
    return dir;
  }

  /** Two task slots, no web UI, on the loopback interface. */
  static SparkSession localSession() {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("anyorder-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
