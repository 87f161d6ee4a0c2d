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

  /** {@code batch} products of an {@code (m×k)} and a {@code (k×n)} matrix, {@code times} per training step. */
  private record Product(long batch, long m, long k, long n, long times) {
    /** A linear layer's three products in a step: forward x·W, the input gradient dy·Wᵀ, the weight gradient dyᵀ·x. */
    static void addLinear(List<Product> products, long rows, long in, long out, long times) {
      products.add(new Product(1, rows, in, out, times));
      products.add(new Product(1, rows, out, in, times));
      products.add(new Product(1, out, rows, in, times));
    }
  }

  private static double gemmRate(NDManager manager, ModelConfig model, int length, int sequences, double seconds) {
    int rows = length * sequences;
    int d = model.dim();
    int hidden = model.mlpRatio() * d;
    long groups = (long) sequences * model.heads();
    int hd = model.headDim();
    // Attention's products are (T×hd)·(hd×T) twice (scores, and the gradient of the mixing weights) and
    // (T×T)·(T×hd) four times (mixing, and the gradients of q, k, v).
    List<Product> products = new ArrayList<>();
    for (int[] linear : new int[][] {{d, 3 * d}, {d, d}, {d, hidden}, {hidden, d}}) {
      Product.addLinear(products, rows, linear[0], linear[1], model.layers());
    }
    Product.addLinear(products, rows, d, model.vocabSize(), 1); // the head
    products.add(new Product(groups, length, hd, length, 2L * model.layers()));
    products.add(new Product(groups, length, length, hd, 4L * model.layers()));
    try (NDManager scope = manager.newSubManager()) {
      List<NDArray[]> operands = new ArrayList<>();
      double flops = 0;
      for (Product p : products) {
        Shape left = p.batch() == 1 ? new Shape(p.m(), p.k()) : new Shape(p.batch(), p.m(), p.k());
        Shape right = p.batch() == 1 ? new Shape(p.k(), p.n()) : new Shape(p.batch(), p.k(), p.n());
        operands.add(new NDArray[] {scope.randomUniform(-1, 1, left), scope.randomUniform(-1, 1, right)});
        flops += 2.0 * p.batch() * p.m() * p.k() * p.n() * p.times();
      }
      Runnable pass = () -> {
        for (int i = 0; i < operands.size(); i++) {
          for (long r = 0; r < products.get(i).times(); r++) {
            operands.get(i)[0].matMul(operands.get(i)[1]).close();
          }
        }
      };
      pass.run(); // untimed warm-up
      long start = System.nanoTime();
      long passes = 0;
      do {
        pass.run();
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
    TrainConfig config = TrainConfig.defaults().withSteps(warmup + steps).withBatch(batch).withWarmup(10).withEvaluation(0, 1)
        .withCheckpointEvery(0);
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
