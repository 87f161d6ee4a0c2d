package dev.anyorder.spark;

import dev.anyorder.api.ScoreSettings;
import dev.anyorder.sampling.OrderSpec;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link AnyOrderSpark#score} computes for each row: {@code log p(targets | known)} as
 * {@code anyorder score} does.
 *
 * @param known known positions of every row (conditioning), or null to score every token
 * @param order order of the targets: left-to-right, random, fractal, or a JSON list of positions
 * @param orders 1 for one order; more for the order-free estimate over that many random orders, with its
 *     standard error
 * @param seed the job's seed; each row's seed derives from it and the row (see {@link JobOptions#seedColumn()})
 * @param job how the job runs
 */
public record ScoreOptions(int[] known, String order, int orders, long seed, JobOptions job) implements Serializable {
  public ScoreOptions {
    Objects.requireNonNull(order, "order must be given");
    Objects.requireNonNull(job, "job");
    if (orders < 1) {
      throw new IllegalArgumentException("orders must be at least 1, got " + orders);
    }
    known = known == null ? null : known.clone();
  }

  /** {@link ScoreSettings#defaults()}, the defaults of {@code anyorder score} and {@code /v1/score}, and the job's defaults. */
  public static ScoreOptions defaults() {
    ScoreSettings d = ScoreSettings.defaults();
    return new ScoreOptions(d.known(), d.order().kind().label(), d.orders(), d.seed(), JobOptions.defaults());
  }

  /** These options as the settings every front end scores with (the seed is the job's, before each row's own). */
  public ScoreSettings settings() {
    return new ScoreSettings(known, OrderSpec.parse(order, "--order"), orders, seed);
  }

  @Override
  public int[] known() {
    return known == null ? null : known.clone();
  }

  public ScoreOptions withKnown(int... v) {
    return new ScoreOptions(v, order, orders, seed, job);
  }

  public ScoreOptions withOrder(String v) {
    return new ScoreOptions(known, v, orders, seed, job);
  }

  public ScoreOptions withOrders(int v) {
    return new ScoreOptions(known, order, v, seed, job);
  }

  public ScoreOptions withSeed(long v) {
    return new ScoreOptions(known, order, orders, v, job);
  }

  public ScoreOptions withJob(JobOptions v) {
    return new ScoreOptions(known, order, orders, seed, v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScoreOptions s && Arrays.equals(known, s.known) && order.equals(s.order) && orders == s.orders
        && seed == s.seed && job.equals(s.job);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(known), order, orders, seed, job);
  }

  @Override
  public String toString() {
    return "ScoreOptions[known=" + Arrays.toString(known) + ", order=" + order + ", orders=" + orders + ", seed=" + seed
        + ", job=" + job + "]";
  }
}
