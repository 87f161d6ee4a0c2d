package dev.anyorder.spark;

import dev.anyorder.api.Backend;
import dev.anyorder.model.WeightFormat;
import java.io.Serializable;
import java.util.Objects;

/**
 * How a Spark job runs the model, whatever it computes.
 *
 * @param backend the engine of each executor's replicas
 * @param weights the precision the replicas keep their weight matrices in
 * @param batchSize rows of a partition evaluated in one batched network call, &ge; 1
 * @param onError what a bad row does: fail the job, or keep the row with its message in {@code error}
 * @param seedColumn a long column whose value is its row's seed (as the {@code seed} of an HTTP request or
 *     {@code --seed} of the command line), or null to seed each row from the job's seed and its input
 */
public record JobOptions(Backend backend, WeightFormat weights, int batchSize, OnError onError, String seedColumn)
    implements Serializable {
  /** Rows per network call when none is given: enough to amortise a call, small enough for a KV cache per row. */
  public static final int DEFAULT_BATCH_SIZE = 64;

  public JobOptions {
    Objects.requireNonNull(backend, "backend must be auto, djl or java");
    Objects.requireNonNull(weights, "weights must be float32 or bfloat16");
    Objects.requireNonNull(onError, "onError must be fail or column");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
  }

  /** The default backend ({@link Backend#DEFAULT}), float32 weights, {@value #DEFAULT_BATCH_SIZE} rows a call, errors in a column, rows seeded by their input. */
  public static JobOptions defaults() {
    return new JobOptions(Backend.DEFAULT, WeightFormat.FLOAT32, DEFAULT_BATCH_SIZE, OnError.COLUMN, null);
  }

  public JobOptions withBackend(Backend v) {
    return new JobOptions(v, weights, batchSize, onError, seedColumn);
  }

  public JobOptions withWeights(WeightFormat v) {
    return new JobOptions(backend, v, batchSize, onError, seedColumn);
  }

  public JobOptions withBatchSize(int v) {
    return new JobOptions(backend, weights, v, onError, seedColumn);
  }

  public JobOptions withOnError(OnError v) {
    return new JobOptions(backend, weights, batchSize, v, seedColumn);
  }

  public JobOptions withSeedColumn(String v) {
    return new JobOptions(backend, weights, batchSize, onError, v);
  }
}
