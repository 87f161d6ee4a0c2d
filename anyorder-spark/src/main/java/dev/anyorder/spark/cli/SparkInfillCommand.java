package dev.anyorder.spark.cli;

import dev.anyorder.options.SamplingOptions;
import dev.anyorder.spark.AnyOrderSpark;
import dev.anyorder.spark.SampleOptions;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code anyorder spark infill}: {@code anyorder sample --infill} over every row of a dataset. */
@Command(name = "infill", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Fill the placeholders of a text column ({_N} for N tokens; {...} and {...N} for gaps of unknown length on models"
        + " trained with --gaps), or the nulls of an array-of-ids column; adds infilled, log_prob, nfe.")
final class SparkInfillCommand implements Callable<Integer> {
  @Mixin SparkJobOptions job;

  @Option(names = "--placeholder", defaultValue = "_", description = "Placeholder character of a text column (default: ${DEFAULT-VALUE}).")
  char placeholder;

  @Mixin SamplingOptions sampling;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    SampleOptions options = new SampleOptions(sampling.toConfig(1), placeholder, 0, job.job());
    SparkSession spark = job.session("anyorder spark infill");
    try {
      job.write(spark, AnyOrderSpark.infill(job.read(spark), job.model, job.inputColumn(), options), t0);
    } finally {
      spark.stop();
    }
    return 0;
  }
}
