package dev.anyorder.server;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.sampling.CallGate;
import dev.anyorder.sampling.CommitListener;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.sampling.SamplingWork;
import dev.anyorder.sampling.SequenceSeed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a request costs the server and how much one may cost. A request is priced by the work it can push
 * through the network ({@link SamplingWork}): its rows, plus each network call and each sequence taking part
 * in a call counted as the rows they take as long as ({@code rowsPerCall}, {@code rowsPerSequenceCall}: a
 * call of 64 sequences of one row each costs far more than one of 64 rows of one sequence), all times its
 * sampler's {@linkplain #shapeFactors() factor} (a beam's teacher-forced rows cost more than adaptive
 * queries). The cost is thus time in units of one row. The times are measured on the served model when the
 * server starts, and {@link #maxCost()} is the cost that fits in {@link ServerConfig#maxWork()} (or
 * {@link ServerConfig#maxCost()}, if lower): the cap bounds how long an accepted request can hold the model,
 * whatever sampler it asks for.
 *
 * @param nanosPerRow measured time of a row, or 0 when unmeasured (then a cost is rows and nothing else counts)
 * @param rowsPerCall what a call costs beyond its rows, in rows
 * @param rowsPerSequenceCall what each sequence taking part in a call costs beyond its rows, in rows
 * @param shapeFactors what a request of a {@linkplain #shape shape} costs beyond that, at least 1; a shape not listed has 1
 * @param maxCost the most cost one request may have
 */
public record CostModel(double nanosPerRow, double rowsPerCall, double rowsPerSequenceCall, Map<String, Double> shapeFactors,
    long maxCost) {
  private static final Logger LOG = LoggerFactory.getLogger(CostModel.class);
  /** Calibration decodes at most this many positions: long enough to weigh the cache, short enough to start fast. */
  static final int CALIBRATION_LENGTH = 128;
  /** The samplers with many rows a call are timed on shorter sequences: their rows grow with its square. */
  static final int CALIBRATION_LENGTH_QUADRATIC = 48;
  /** Sequences of the calibration's batched sequential run, whose one-row calls price a sequence in a call. */
  static final int CALIBRATION_BATCH = 64;
  /**
   * Sequences of the calibration's batched adaptive run: 12 × 48 rows a call is past the built-in crossover
   * of 512 rows, so with both engines present the run times the other one ({@code --backend auto} places a
   * decode state by its rows a call).
   */
  static final int CALIBRATION_BATCH_ADAPTIVE = 12;
  /**
   * Headroom on the measured times: the calibration's shapes are not every request's, and a few seconds of
   * timing on a busy machine are noisy.
   */
  static final double SAFETY = 1.25;
  /** Shape of a score: one call of teacher-forced rows. */
  static final String SCORE = "score";

  public CostModel {
    for (double v : new double[] {nanosPerRow, rowsPerCall, rowsPerSequenceCall}) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException("nanosPerRow, rowsPerCall and rowsPerSequenceCall must be finite and non-negative");
      }
    }
    shapeFactors = Map.copyOf(shapeFactors);
    for (Map.Entry<String, Double> e : shapeFactors.entrySet()) {
      if (!(e.getValue() >= 1) || e.getValue().isInfinite()) {
        throw new IllegalArgumentException("the factor of " + e.getKey() + " must be finite and at least 1, got " + e.getValue());
      }
    }
    if (maxCost < 1) {
      throw new IllegalArgumentException("maxCost must be at least 1, got " + maxCost);
    }
  }

  /** Costs in rows alone, capped at {@link ServerConfig#maxCost()}: for a server that has not measured its model. */
  static CostModel rowsOnly(ServerConfig config) {
    return new CostModel(0, 0, 0, Map.of(), config.maxCost());
  }

  /** The shape whose factor prices {@code config}: its sampler's label, or {@code beam} for a beam search. */
  static String shape(SamplerConfig config) {
    return config.kind() == SamplerKind.ADAPTIVE && config.beam() > 1 ? "beam" : config.kind().label();
  }

  /** The cost of a generation with {@code config} that does {@code work}. */
  long cost(SamplerConfig config, SamplingWork work) {
    return cost(shape(config), work);
  }

  /** The cost of {@code work} whose rows are of shape {@code shape}. */
  long cost(String shape, SamplingWork work) {
    double cost = shapeFactors.getOrDefault(shape, 1.0)
        * (work.rows() + work.calls() * rowsPerCall + work.sequenceCalls() * rowsPerSequenceCall);
    return cost >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(cost);
  }

  /** About how long {@code cost} holds the model, in milliseconds; NaN when unmeasured. */
  double millis(long cost) {
    return nanosPerRow == 0 ? Double.NaN : cost * nanosPerRow / 1e6;
  }

  boolean measured() {
    return nanosPerRow > 0;
  }

  /**
   * Times the model on this thread and derives the cap from {@link ServerConfig#maxWork()}. Sequential
   * decoding of one sequence (one row a call) prices a call, sequential decoding of {@link #CALIBRATION_BATCH}
   * sequences a sequence in a call, and adaptive decoding with {@code k = 1} (every remaining position a
   * call) of one sequence and of {@link #CALIBRATION_BATCH_ADAPTIVE} a row, each run's whole time charged to
   * its term (the dearer adaptive run's): differences of timings on a busy
   * machine are noise, so each term is an upper bound instead, and a request is priced at their sum. The
   * other shapes (a beam of 4, burst with 4 orders, speculative) are then timed alone, and a shape whose time
   * exceeds that price gets the ratio as its factor. Each runs once to warm up and then three times, keeping
   * the median; work is counted through a {@link CallGate}, as it happens. Times carry {@link #SAFETY}.
   */
  static CostModel measure(AnyOrderModel model, ServerConfig config) {
    SampleRequest full = request(model, Math.min(model.config().maxLength(), CALIBRATION_LENGTH));
    SampleRequest shorter = request(model, Math.min(model.config().maxLength(), CALIBRATION_LENGTH_QUADRATIC));
    Map<String, Timing> shapes = new LinkedHashMap<>();
    Timing one = time(model, SamplerConfig.defaults(SamplerKind.SEQUENTIAL), full, 1);
    Timing batched = time(model, SamplerConfig.defaults(SamplerKind.SEQUENTIAL), full, CALIBRATION_BATCH);
    Timing adaptive = time(model, SamplerConfig.defaults(SamplerKind.ADAPTIVE).withK(1), full, 1);
    double perCall = one.nanos / (double) one.calls;
    double perSequence = batched.nanos / (double) batched.sequenceCalls;
    Timing adaptiveBatched = time(model, SamplerConfig.defaults(SamplerKind.ADAPTIVE).withK(1), shorter, CALIBRATION_BATCH_ADAPTIVE);
    double perRow = Math.max(adaptive.nanos / (double) adaptive.rows, adaptiveBatched.nanos / (double) adaptiveBatched.rows);
    shapes.put("beam", time(model, SamplerConfig.defaults(SamplerKind.ADAPTIVE).withK(1).withBeam(4), shorter, 1));
    shapes.put(SamplerKind.BURST.label(), time(model, SamplerConfig.defaults(SamplerKind.BURST).withBurstOrders(4), shorter, 1));
    shapes.put(SamplerKind.SPECULATIVE.label(), time(model, SamplerConfig.defaults(SamplerKind.SPECULATIVE), shorter, 1));
    Map<String, Double> factors = new LinkedHashMap<>();
    for (Map.Entry<String, Timing> e : shapes.entrySet()) {
      Timing t = e.getValue();
      double priced = t.calls * perCall + t.sequenceCalls * perSequence + t.rows * perRow;
      factors.put(e.getKey(), Math.max(1.0, t.nanos / priced));
    }
    perRow *= SAFETY;
    long fits = (long) Math.floor(config.maxWork().toNanos() / perRow);
    CostModel costs = new CostModel(perRow, perCall * SAFETY / perRow, perSequence * SAFETY / perRow, factors,
        Math.max(1, Math.min(config.maxCost(), fits)));
    LOG.info("measured at most {} ns a row (with {}x headroom), {} ns a sequence in a call, {} ns a call, factors {}: a request may "
        + "cost {} ({} ms of work)", Math.round(perRow), SAFETY, Math.round(perSequence * SAFETY), Math.round(perCall * SAFETY),
        rounded(factors), costs.maxCost(), Math.round(costs.millis(costs.maxCost())));
    return costs;
  }

  private static Map<String, Double> rounded(Map<String, Double> weights) {
    Map<String, Double> r = new LinkedHashMap<>();
    weights.forEach((k, v) -> r.put(k, Math.round(v * 100) / 100.0));
    return r;
  }

  /** Every position of {@code length} unknown (the first known when the model has no start slot). */
  private static SampleRequest request(AnyOrderModel model, int length) {
    int[] given = new int[length];
    Arrays.fill(given, SampleRequest.UNKNOWN);
    if (!model.config().startSlot()) {
      given[0] = 0;
    }
    return new SampleRequest(given);
  }

  private record Timing(long nanos, long calls, long sequenceCalls, long rows) {}

  private static Timing time(AnyOrderModel model, SamplerConfig config, SampleRequest request, int sequences) {
    long[] counts = new long[3];
    CallGate count = (sequenceCount, rows) -> {
      counts[0]++;
      counts[1] += sequenceCount;
      counts[2] += rows;
    };
    long[] nanos = new long[3];
    for (int run = -1; run < nanos.length; run++) {
      Arrays.fill(counts, 0);
      List<SequenceSeed> seeds = new ArrayList<>();
      for (int i = 0; i < sequences; i++) {
        seeds.add(new SequenceSeed(run, i));
      }
      long t0 = System.nanoTime();
      model.sampler(config).sample(Collections.nCopies(sequences, request), seeds, CommitListener.NONE, count);
      if (run >= 0) {
        nanos[run] = System.nanoTime() - t0;
      }
    }
    Arrays.sort(nanos);
    return new Timing(nanos[1], counts[0], counts[1], counts[2]);
  }

  /** The cap as people read it: the cost, and the time it stands for when measured. */
  String describeCap() {
    return measured() ? maxCost + " (about " + Math.round(millis(maxCost)) + " ms of work)" : String.valueOf(maxCost);
  }
}
