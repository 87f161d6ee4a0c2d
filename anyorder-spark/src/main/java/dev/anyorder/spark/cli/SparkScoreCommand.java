package dev.anyorder.spark.cli;

import dev.anyorder.options.ScoringOptions;
import dev.anyorder.spark.AnyOrderSpark;
import dev.anyorder.spark.ScoreOptions;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code anyorder spark score}: {@code anyorder score} over every row of a dataset. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Score log p(targets | known) of every row; adds log_prob, nats_per_token, targets (and standard_error with --orders > 1).")
final class SparkScoreCommand implements Callable<Integer> {
  @Mixin SparkJobOptions job;
  @Mixin ScoringOptions scoring;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    ScoreOptions options = new ScoreOptions(scoring.knownPositions(), scoring.order, scoring.orders, scoring.seed, job.job());
    SparkSession spark = job.session("anyorder spark score");
    try {
      job.write(spark, AnyOrderSpark.score(job.read(spark), job.model, job.inputColumn(), options), t0);
    } finally {
      spark.stop();
    }
    return 0;
  }
}
