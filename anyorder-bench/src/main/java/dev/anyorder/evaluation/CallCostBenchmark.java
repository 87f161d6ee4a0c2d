package dev.anyorder.evaluation;

import dev.anyorder.api.BackendCrossover;
import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What one network evaluation costs on a backend as a function of its shape: a batch of sequences with a
 * half-full cache, each asking a number of query rows. The {@link BackendCrossover} is where the pure-Java
 * backend's cost of such calls overtakes DJL's.
 */
public final class CallCostBenchmark {
  private CallCostBenchmark() {}

  /** The shapes measured: batch sizes and query rows per sequence. */
  public static final int[] BATCHES = {1, 8};
  public static final int[] ROWS = {1, 2, 4, 8, 16, 32, 64};

  /** Milliseconds per call of one shape on each backend. */
  public record Point(int batch, int rowsPerSequence, double djlMillis, double javaMillis) {
    public int rows() {
      return batch * rowsPerSequence;
    }
  }

  /** Times every shape of {@link #BATCHES} × {@link #ROWS} on both networks, best of {@code repeats} calls. */
  public static List<Point> run(Network djl, Network java, int repeats) {
    List<Point> points = new ArrayList<>();
    for (int batch : BATCHES) {
      for (int rows : ROWS) {
        points.add(new Point(batch, rows, millis(djl, batch, rows, repeats), millis(java, batch, rows, repeats)));
      }
    }
    return points;
  }

  /**
   * The most rows per call for which the Java backend was faster at every measured shape of at most that
   * many rows (0 when DJL won even one-row calls).
   */
  public static int javaMaxRows(List<Point> points) {
    int limit = Integer.MAX_VALUE;
    for (Point p : points) {
      if (p.javaMillis() >= p.djlMillis()) {
        limit = Math.min(limit, p.rows() - 1);
      }
    }
    if (limit == Integer.MAX_VALUE) {
      return points.stream().mapToInt(Point::rows).max().orElse(0);
    }
    int best = 0;
    for (Point p : points) {
      if (p.rows() <= limit) {
        best = Math.max(best, p.rows());
      }
    }
    return best;
  }

  private static double millis(Network network, int batch, int rows, int repeats) {
    ModelConfig c = network.config();
    SplittableRandom rng = new SplittableRandom(batch * 131L + rows);
    int cached = Math.max(1, c.maxLength() / 2);
    try (DecodeState state = network.newState(batch)) {
      List<SequenceCall> prefill = new ArrayList<>();
      for (int b = 0; b < batch; b++) {
        prefill.add(SequenceCall.extend(steps(c, rng, cached), 0));
      }
      network.call(state, prefill);
      List<SequenceCall> calls = new ArrayList<>();
      for (int b = 0; b < batch; b++) {
        calls.add(SequenceCall.query(steps(c, rng, rows)));
      }
      network.call(state, calls); // warm-up
      double best = Double.MAX_VALUE;
      for (int i = 0; i < repeats; i++) {
        long start = System.nanoTime();
        network.call(state, calls);
        best = Math.min(best, (System.nanoTime() - start) / 1e6);
      }
      return best;
    }
  }

  private static List<Step> steps(ModelConfig c, SplittableRandom rng, int n) {
    List<Step> steps = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      steps.add(new Step(rng.nextInt(c.vocabSize()), rng.nextInt(c.maxLength()), rng.nextInt(c.maxLength())));
    }
    return steps;
  }
}
