package dev.anyorder.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.anyorder.data.Dataset;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.orders.OrderSchedule;

/**
 * Measures training throughput against the engine's own matrix-multiply peak, side by side in one run, so
 * the ratio (model FLOP utilisation) means something on a noisy machine where absolute times do not.
 */
public final class TrainingBenchmark {
  private TrainingBenchmark() {}

  /** Achieved matmul rate for one square size. */
  public record MatmulPeak(int size, double flopsPerSecond) {}

  /** Training throughput of one configuration. */
  public record Throughput(ModelConfig model, int batch, int steps, double seconds, double tokensPerSecond,
      double flopsPerSecond, double fractionOfPeak) {}

  /**
   * The best rate of float32 {@code n×n · n×n} products over a few sizes: the engine's practical peak on
   * this machine with its current thread setting.
   */
  public static MatmulPeak matmulPeak(NDManager manager, int[] sizes, double secondsPerSize) {
    MatmulPeak best = new MatmulPeak(0, 0);
    for (int n : sizes) {
      try (NDManager scope = manager.newSubManager()) {
        NDArray a = scope.randomUniform(-1, 1, new Shape(n, n));
        NDArray b = scope.randomUniform(-1, 1, new Shape(n, n));
        a.matMul(b).close(); // warm-up
        long start = System.nanoTime();
        int reps = 0;
        while ((System.nanoTime() - start) / 1e9 < secondsPerSize) {
          NDArray c = a.matMul(b);
          c.getFloat(0, 0); // force completion
          c.close();
          reps++;
        }
        double rate = 2.0 * n * n * n * reps / ((System.nanoTime() - start) / 1e9);
        if (rate > best.flopsPerSecond()) {
          best = new MatmulPeak(n, rate);
        }
      }
    }
    return best;
  }

  /**
   * Trains {@code warmup + steps} random-order steps of a fresh model and times the last {@code steps}.
   * FLOPs count 3× the forward pass (forward, and backward through activations and weights).
   */
  public static Throughput trainingThroughput(NDManager manager, ModelConfig model, Dataset data, int batch, int warmup, int steps,
      double peak) {
    TrainConfig config = new TrainConfig(warmup + steps, batch, 1, 1e-3, 1e-4, 10, 0.1, 0.9, 0.99, 1.0,
        OrderSchedule.parse("random"), 1, 0, 1, 0);
    try (SigmaGpt m = SigmaGpt.initialize(model, 1, manager, true); Trainer trainer = new Trainer(m, config, data)) {
      for (int i = 0; i < warmup; i++) {
        trainer.trainStep();
      }
      long tokens = 0;
      long start = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        tokens += trainer.trainStep().tokens();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double tokensPerSecond = tokens / seconds;
      double flops = 3 * model.forwardFlopsPerToken(data.sequenceLength() / 2) * tokensPerSecond;
      return new Throughput(model, batch, steps, seconds, tokensPerSecond, flops, flops / peak);
    }
  }
}
