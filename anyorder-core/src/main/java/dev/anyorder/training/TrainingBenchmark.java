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
   * of one forward pass (attention projections, the attention itself, MLP, head). This is the ceiling a
   * training step can approach.
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
    // (input columns, output columns) of each product of a forward pass, per layer, then the head
    int[][] shapes = {{d, 3 * d}, {d, d}, {d, hidden}, {hidden, d}};
    try (NDManager scope = manager.newSubManager()) {
      List<NDArray[]> operands = new ArrayList<>();
      double flops = 0;
      for (int[] s : shapes) {
        operands.add(new NDArray[] {scope.randomUniform(-1, 1, new Shape(rows, s[0])), scope.randomUniform(-1, 1, new Shape(s[0], s[1]))});
        flops += 2.0 * rows * s[0] * s[1] * model.layers();
      }
      operands.add(new NDArray[] {scope.randomUniform(-1, 1, new Shape(rows, d)), scope.randomUniform(-1, 1, new Shape(d, model.vocabSize()))});
      flops += 2.0 * rows * d * model.vocabSize();
      // the attention of every layer: scores q·kᵀ and their product with v, batched over sequences and heads
      int hd = model.headDim();
      long groups = (long) sequences * model.heads();
      NDArray[] scores = {scope.randomUniform(-1, 1, new Shape(groups, length, hd)), scope.randomUniform(-1, 1, new Shape(groups, hd, length))};
      NDArray[] mixing = {scope.randomUniform(-1, 1, new Shape(groups, length, length)), scope.randomUniform(-1, 1, new Shape(groups, length, hd))};
      flops += 2 * 2.0 * groups * length * length * hd * model.layers();
      long start = System.nanoTime();
      long passes = 0;
      do {
        for (int i = 0; i < operands.size(); i++) {
          int repeat = i < shapes.length ? model.layers() : 1;
          for (int r = 0; r < repeat; r++) {
            operands.get(i)[0].matMul(operands.get(i)[1]).close();
          }
        }
        for (int r = 0; r < model.layers(); r++) {
          scores[0].matMul(scores[1]).close();
          mixing[0].matMul(mixing[1]).close();
        }
        passes++;
      } while ((System.nanoTime() - start) / 1e9 < seconds);
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
