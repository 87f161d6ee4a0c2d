package dev.anyorder.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request waiting for or running on the {@link InferenceWorker}. Its {@link #result()} completes
 * with the response JSON, or exceptionally with an {@link ApiException} (bad input found late, timeout,
 * shutdown) or a {@link CancellationException} (client gone). Once the result is complete the worker stops
 * spending compute on the job.
 */
abstract class InferenceJob {
  private static final AtomicLong IDS = new AtomicLong();

  final long id = IDS.incrementAndGet();
  final long enqueuedNanos = System.nanoTime();
  volatile long startedNanos;
  private final CompletableFuture<ObjectNode> result = new CompletableFuture<>();

  /** Whether the client chose the deadline: missing it is then the client's limit, not the server's failure. */
  final boolean clientDeadline;
  private final long cost;

  /**
   * @param timeout how long the job may wait and run
   * @param clientDeadline whether the client chose the timeout
   * @param cost what the job costs the server ({@link CostModel#cost}); the queue is bounded by its sum
   */
  InferenceJob(Duration timeout, boolean clientDeadline, long cost) {
    if (cost < 0) {
      throw new IllegalArgumentException("cost must be non-negative, got " + cost);
    }
    this.clientDeadline = clientDeadline;
    this.cost = cost;
    result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** What the job costs the server ({@link CostModel#cost}); the queue is bounded by its sum. */
  final long cost() {
    return cost;
  }

  CompletableFuture<ObjectNode> result() {
    return result;
  }

  /** True once the job has a result, an error, a timeout or a cancellation. */
  boolean finished() {
    return result.isDone();
  }

  void complete(ObjectNode response) {
    result.complete(response);
  }

  void fail(Throwable error) {
    result.completeExceptionally(error);
  }

  /** The client went away: nobody will read the result. */
  void cancel(String reason) {
    result.completeExceptionally(new CancellationException(reason));
  }

  double queuedMillis() {
    return startedNanos == 0 ? 0 : (startedNanos - enqueuedNanos) / 1e6;
  }
}
