package dev.anyorder.spark.cli;

import dev.anyorder.options.SamplingOptions;
import dev.anyorder.spark.AnyOrderSpark;
import dev.anyorder.spark.SampleOptions;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code anyorder spark generate}: {@code anyorder sample --prompt} for the prompt of every row. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Draw --num-samples sequences after each row's prompt (empty: unconditional); adds generated and log_prob (one per sequence).")
final class SparkGenerateCommand implements Callable<Integer> {
  @Mixin SparkJobOptions job;

  @Option(names = "--length", defaultValue = "0", description = "Tokens per sequence (default: the model's maximum).")
  int length;

  @Option(names = "--num-samples", defaultValue = "1", description = "Sequences per row (default: ${DEFAULT-VALUE}).")
  int numSamples;

  @Mixin SamplingOptions sampling;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    SampleOptions options = new SampleOptions(sampling.toConfig(numSamples), '_', length, job.job());
    SparkSession spark = job.session("anyorder spark generate");
    try {
      job.write(spark, AnyOrderSpark.generate(job.read(spark), job.model, job.inputColumn(), options), t0);
    } finally {
      spark.stop();
    }
    return 0;
  }
}
