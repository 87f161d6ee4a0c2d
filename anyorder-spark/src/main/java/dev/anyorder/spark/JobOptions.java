package dev.anyorder.spark;

import dev.anyorder.api.Backend;
import java.io.Serializable;
import java.util.Objects;

/**
 * How a Spark job runs the model, whatever it computes.
 *
 * @param backend the engine of each executor's replicas
 * @param batchSize rows of a partition evaluated in one batched network call, &ge; 1
 * @param onError what a bad row does: fail the job, or keep the row with its message in {@code error}
 * @param seedColumn a long column whose value seeds its row, or null to seed each row from its input
 */
public record JobOptions(Backend backend, int batchSize, OnError onError, String seedColumn) implements Serializable {
  /** Rows per network call when none is given: enough to amortise a call, small enough for a KV cache per row. */
  public static final int DEFAULT_BATCH_SIZE = 64;

  public JobOptions {
    Objects.requireNonNull(backend, "backend must be djl or java");
    Objects.requireNonNull(onError, "onError must be fail or column");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
  }

  /** DJL, {@value #DEFAULT_BATCH_SIZE} rows a call, errors in a column, rows seeded by their input. */
  public static JobOptions defaults() {
    return new JobOptions(Backend.DJL, DEFAULT_BATCH_SIZE, OnError.COLUMN, null);
  }

  public JobOptions withBackend(Backend v) {
    return new JobOptions(v, batchSize, onError, seedColumn);
  }

  public JobOptions withBatchSize(int v) {
    return new JobOptions(backend, v, onError, seedColumn);
  }

  public JobOptions withOnError(OnError v) {
    return new JobOptions(backend, batchSize, v, seedColumn);
  }

  public JobOptions withSeedColumn(String v) {
    return new JobOptions(backend, batchSize, onError, v);
  }
}
