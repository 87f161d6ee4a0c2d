package dev.anyorder.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.anyorder.data.Dataset;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.orders.OrderSchedule;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures training throughput against the engine's own matrix-multiply peak, side by side in one run, so
 * the ratio (model FLOP utilisation) means something on a noisy machine where absolute times do not.
 */
public final class TrainingBenchmark {
  private TrainingBenchmark() {}

  /** Training throughput of one configuration. */
  public record Throughput(ModelConfig model, int batch, int steps, double seconds, double tokensPerSecond,
      double flopsPerSecond, double fractionOfPeak) {}

  /**
   * The rate of the model's own matrix products, run the way training runs them: {@code workers} threads
   * at once, each with one intra-op thread and its share of the batch's sequences, each doing the products
   * of one training step in their shapes (attention projections, the attention itself, MLP, head; forward,
   * input gradients and weight gradients). This is the ceiling a training step can approach.
   */
  public static double modelGemmPeak(NDManager manager, ModelConfig model, int sequenceLength, int sequences, int workers,
      double seconds) {
    int before = JniUtils.getNumThreads();
    if (workers > 1) {
      JniUtils.setNumThreads(1);
    }
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<Double>> results = new ArrayList<>();
      int share = Math.max(1, sequences / workers);
      for (int w = 0; w < workers; w++) {
        results.add(pool.submit(() -> gemmRate(manager, model, sequenceLength, share, seconds)));
      }
      double total = 0;
      for (Future<Double> f : results) {
        total += f.get();
      }
      return total;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("matmul benchmark failed", e.getCause());
    } finally {
      pool.shutdownNow();
      if (workers > 1) {
        JniUtils.setNumThreads(before);
      }
    }
  }

  private static double gemmRate(NDManager manager, ModelConfig model, int length, int sequences, double seconds) {
    int rows = length * sequences;
    int d = model.dim();
    int hidden = model.mlpRatio() * d;
    long groups = (long) sequences * model.heads();
    int hd = model.headDim();
    // Each linear layer (input columns, output columns) runs three products in a step: forward x·W, the input
    // gradient dy·Wᵀ and the weight gradient dyᵀ·x. Attention's products are (T×hd)·(hd×T) twice (scores, and
    // the gradient of the mixing weights) and (T×T)·(T×hd) four times (mixing, and the gradients of q, k, v).
    List<long[]> products = new ArrayList<>(); // {batch, m, k, n, times per pass}
    for (int[] s : new int[][] {{d, 3 * d}, {d, d}, {d, hidden}, {hidden, d}, {d, model.vocabSize()}}) {
      long times = s[1] == model.vocabSize() ? 1 : model.layers();
      products.add(new long[] {1, rows, s[0], s[1], times});
      products.add(new long[] {1, rows, s[1], s[0], times});
      products.add(new long[] {1, s[1], rows, s[0], times});
    }
    products.add(new long[] {groups, length, hd, length, 2L * model.layers()});
    products.add(new long[] {groups, length, length, hd, 4L * model.layers()});
    try (NDManager scope = manager.newSubManager()) {
      List<NDArray[]> operands = new ArrayList<>();
      double flops = 0;
      for (long[] p : products) {
        Shape left = p[0] == 1 ? new Shape(p[1], p[2]) : new Shape(p[0], p[1], p[2]);
        Shape right = p[0] == 1 ? new Shape(p[2], p[3]) : new Shape(p[0], p[2], p[3]);
        operands.add(new NDArray[] {scope.randomUniform(-1, 1, left), scope.randomUniform(-1, 1, right)});
        flops += 2.0 * p[0] * p[1] * p[2] * p[3] * p[4];
      }
      long passes = -1; // the first pass is untimed warm-up
      long start = 0;
      do {
        if (passes == 0) {
          start = System.nanoTime();
        }
        for (int i = 0; i < operands.size(); i++) {
          for (long r = 0; r < products.get(i)[4]; r++) {
            operands.get(i)[0].matMul(operands.get(i)[1]).close();
          }
        }
        passes++;
      } while (passes < 1 || (System.nanoTime() - start) / 1e9 < seconds);
      return flops * passes / ((System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Trains {@code warmup + steps} random-order steps of a fresh model and times the last {@code steps}.
   * FLOPs count 3× the forward pass (forward, and backward through activations and weights).
   */
  public static Throughput trainingThroughput(NDManager manager, ModelConfig model, Dataset data, int batch, int warmup, int steps,
      double peak, int threads) {
    TrainConfig config = new TrainConfig(warmup + steps, batch, 1, 1e-3, 1e-4, 10, 0.1, 0.9, 0.99, 1.0,
        OrderSchedule.parse("random"), 1, 0, 1, 0);
    try (SigmaGpt m = SigmaGpt.initialize(model, 1, manager, true); Trainer trainer = new Trainer(m, config, data, threads)) {
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
