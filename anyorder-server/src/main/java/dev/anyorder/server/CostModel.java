package dev.anyorder.server;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.sampling.CallGate;
import dev.anyorder.sampling.CommitListener;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.sampling.SamplingWork;
import dev.anyorder.sampling.SequenceSeed;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a request costs the server and how much one may cost. A request is priced by the work it can push
 * through the network ({@link SamplingWork}): its rows, plus each network call counted as the rows it takes
 * as long as ({@code rowsPerCall}), so the cost is time in units of one row. The per-row and per-call times
 * are measured on the served model when the server starts, and {@link #maxCost()} is the cost that fits in
 * {@link ServerConfig#maxWork()} (or {@link ServerConfig#maxCost()}, if lower): the cap bounds how long an
 * accepted request can hold the model, whatever sampler it asks for.
 *
 * @param nanosPerRow measured time of one row, or 0 when unmeasured (then a cost is rows and calls count nothing)
 * @param rowsPerCall what a call costs beyond its rows, in rows
 * @param maxCost the most cost one request may have
 */
public record CostModel(double nanosPerRow, double rowsPerCall, long maxCost) {
  private static final Logger LOG = LoggerFactory.getLogger(CostModel.class);
  /** Calibration decodes at most this many positions: long enough to weigh the cache, short enough to start fast. */
  static final int CALIBRATION_LENGTH = 128;

  public CostModel {
    if (!(nanosPerRow >= 0) || !(rowsPerCall >= 0) || Double.isInfinite(nanosPerRow) || Double.isInfinite(rowsPerCall)) {
      throw new IllegalArgumentException("nanosPerRow and rowsPerCall must be finite and non-negative");
    }
    if (maxCost < 1) {
      throw new IllegalArgumentException("maxCost must be at least 1, got " + maxCost);
    }
  }

  /** Costs in rows alone, capped at {@link ServerConfig#maxCost()}: for a server that has not measured its model. */
  static CostModel rowsOnly(ServerConfig config) {
    return new CostModel(0, 0, config.maxCost());
  }

  /** The cost of {@code work}: its rows plus its calls in rows. */
  long cost(SamplingWork work) {
    double cost = work.rows() + work.calls() * rowsPerCall;
    return cost >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(cost);
  }

  /** About how long {@code cost} holds the model, in milliseconds; NaN when unmeasured. */
  double millis(long cost) {
    return nanosPerRow == 0 ? Double.NaN : cost * nanosPerRow / 1e6;
  }

  boolean measured() {
    return nanosPerRow > 0;
  }

  /** Sequences of the calibration's batched run: rows spread over many caches cost more than rows of one. */
  static final int CALIBRATION_BATCH = 64;
  /**
   * Headroom on the measured time of a row: the calibration's shapes are not every request's, and a few
   * seconds of timing on a busy machine are noisy.
   */
  static final double SAFETY = 1.25;

  /**
   * Times the model on this thread and derives the cap from {@link ServerConfig#maxWork()}. Three decodings
   * with the same number of calls but different rows separate the time of a row from the time of a call:
   * sequential decoding of one sequence (one row a call), adaptive decoding with {@code k = 1} of one
   * sequence (every remaining position a call) and sequential decoding of {@link #CALIBRATION_BATCH}
   * sequences (one row a call for each); a row is priced at the dearer of the last two, times
   * {@link #SAFETY}. Each runs once to warm up and then three times, keeping the median. Calibrating at the
   * model's full length (up to {@link #CALIBRATION_LENGTH}) prices rows with a long cache, the dearer case.
   */
  static CostModel measure(AnyOrderModel model, ServerConfig config) {
    int length = Math.min(model.config().maxLength(), CALIBRATION_LENGTH);
    int[] given = new int[length];
    Arrays.fill(given, SampleRequest.UNKNOWN);
    if (!model.config().startSlot()) {
      given[0] = 0;
    }
    SampleRequest request = new SampleRequest(given);
    Timing sequential = time(model, SamplerConfig.defaults(SamplerKind.SEQUENTIAL), request, 1);
    Timing adaptive = time(model, SamplerConfig.defaults(SamplerKind.ADAPTIVE).withK(1), request, 1);
    Timing batched = time(model, SamplerConfig.defaults(SamplerKind.SEQUENTIAL), request, CALIBRATION_BATCH);
    double perRow = Math.max(perRow(sequential, adaptive), perRow(sequential, batched));
    // A row costs something even when noise says otherwise: then price everything by the dearest run.
    perRow = Math.max(perRow, Math.max(sequential.nanos, adaptive.nanos) / (double) (adaptive.rows + adaptive.calls) / 4);
    double perCall = Math.max(0, (sequential.nanos - sequential.rows * perRow) / sequential.calls);
    perRow *= SAFETY;
    long fits = (long) Math.floor(config.maxWork().toNanos() / perRow);
    CostModel costs = new CostModel(perRow, perCall / perRow, Math.max(1, Math.min(config.maxCost(), fits)));
    LOG.info("measured {} ns a row (with {}x headroom) and {} ns a call: a request may cost {} ({} ms of work)", Math.round(perRow),
        SAFETY, Math.round(perCall), costs.maxCost(), Math.round(costs.millis(costs.maxCost())));
    return costs;
  }

  /** The time of a row from two runs of the same calls and different rows. */
  private static double perRow(Timing fewer, Timing more) {
    return (more.nanos - fewer.nanos) / (double) Math.max(1, more.rows - fewer.rows);
  }

  private record Timing(long nanos, long calls, long rows) {}

  private static Timing time(AnyOrderModel model, SamplerConfig config, SampleRequest request, int sequences) {
    long[] counts = new long[2];
    CallGate count = rows -> {
      counts[0]++;
      counts[1] += rows;
    };
    long[] nanos = new long[3];
    for (int run = -1; run < nanos.length; run++) {
      counts[0] = 0;
      counts[1] = 0;
      long t0 = System.nanoTime();
      List<SequenceSeed> seeds = new java.util.ArrayList<>();
      for (int i = 0; i < sequences; i++) {
        seeds.add(new SequenceSeed(run, i));
      }
      model.sampler(config).sample(java.util.Collections.nCopies(sequences, request), seeds, CommitListener.NONE, count);
      if (run >= 0) {
        nanos[run] = System.nanoTime() - t0;
      }
    }
    Arrays.sort(nanos);
    return new Timing(nanos[1], counts[0], counts[1]);
  }

  /** The cap as people read it: the cost, and the time it stands for when measured. */
  String describeCap() {
    return measured() ? maxCost + " (about " + Math.round(millis(maxCost)) + " ms of work)" : String.valueOf(maxCost);
  }
}
