package dev.anyorder.spark;

import dev.anyorder.sampling.SamplerConfig;
import java.io.Serializable;
import java.util.Objects;

/**
 * What {@link AnyOrderSpark#infill} and {@link AnyOrderSpark#generate} draw for each row.
 *
 * @param sampler the sampler, with the one set of defaults every front end shares
 *     ({@link SamplerConfig#defaults()}); its seed is the job's seed, from which each row's seed derives,
 *     and its {@code numSamples} is the number of sequences {@code generate} draws per row
 * @param placeholder infill: the character standing for one unknown token in a text column
 * @param length generate: tokens per sequence, or 0 for the model's maximum
 * @param job how the job runs
 */
public record SampleOptions(SamplerConfig sampler, char placeholder, int length, JobOptions job) implements Serializable {
  public SampleOptions {
    Objects.requireNonNull(sampler, "sampler");
    Objects.requireNonNull(job, "job");
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0 (0 = the model's maximum), got " + length);
    }
  }

  /** The default sampler, placeholder '_', the model's full length. */
  public static SampleOptions defaults() {
    return new SampleOptions(SamplerConfig.defaults(), '_', 0, JobOptions.defaults());
  }

  public SampleOptions withSampler(SamplerConfig v) {
    return new SampleOptions(v, placeholder, length, job);
  }

  public SampleOptions withPlaceholder(char v) {
    return new SampleOptions(sampler, v, length, job);
  }

  public SampleOptions withLength(int v) {
    return new SampleOptions(sampler, placeholder, v, job);
  }

  public SampleOptions withJob(JobOptions v) {
    return new SampleOptions(sampler, placeholder, length, v);
  }
}
