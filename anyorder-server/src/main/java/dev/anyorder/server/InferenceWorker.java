package dev.anyorder.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.ScoreSettings;
import dev.anyorder.density.Scorer;
import dev.anyorder.sampling.CallGate;
import dev.anyorder.sampling.SampleBatch;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.Sampler;
import dev.anyorder.sampling.SequenceSeed;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the model (a loaded model is not thread-safe) and the bounded queue in front of
 * it. It takes the oldest job; with batching on, it also takes every queued generation job of the same
 * {@link GenerationSpec.BatchKey} (same sampler settings and length) up to
 * {@link ServerConfig#maxBatchSequences()} sequences and samples them in one batch, each sequence with its
 * own {@link SequenceSeed}, so a request's result is the same alone or batched. Jobs that finish early
 * (timeout, client gone) are skipped. Before every network call of a batch (its {@link CallGate}) the worker
 * abandons the batch if all its jobs have finished or the server is stopping, and lets one batch of much
 * cheaper queued jobs run first: abandoned work stops, and a short request waits, for one call at most.
 */
final class InferenceWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceWorker.class);

  private final ServerConfig config;
  private final Supplier<AnyOrderModel> loader;
  private final ArrayDeque<InferenceJob> queue = new ArrayDeque<>();
  private long queuedCost;
  /** Queue length as of the last change, read without the lock on the inference thread's hot path. */
  private volatile int queueSize;
  /** Whether the inference thread is running short jobs inside a long one (never nested deeper). */
  private boolean yielding;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final CompletableFuture<AnyOrderModel> loaded = new CompletableFuture<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile List<InferenceJob> current = List.of();
  private volatile ResponseWriter responses;
  private volatile CostModel costs;

  final AtomicLong batches = new AtomicLong();
  final AtomicLong batchedSequences = new AtomicLong();
  final AtomicLong jobsRun = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong abandoned = new AtomicLong();
  final AtomicLong failures = new AtomicLong();
  final AtomicLong busyNanos = new AtomicLong();
  /** Short batches run between the evaluations of a long one. */
  final AtomicLong yields = new AtomicLong();

  InferenceWorker(Supplier<AnyOrderModel> loader, ServerConfig config) {
    this.loader = Objects.requireNonNull(loader, "loader");
    this.config = Objects.requireNonNull(config, "config");
    this.thread = new Thread(this::run, "anyorder-inference");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Waits for the model to load on the inference thread; rethrows a loading failure. */
  AnyOrderModel awaitModel() {
    try {
      return loaded.get(10, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading the model", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the model did not load within 10 minutes", e);
    }
  }

  /** How requests are priced on this model, measured when it loaded; call after {@link #awaitModel()}. */
  CostModel costModel() {
    return costs;
  }

  /** Measures the model (see {@link CostModel#measure}); if that fails the server still serves, pricing by rows. */
  private CostModel measure(AnyOrderModel model) {
    try {
      return CostModel.measure(model, config);
    } catch (RuntimeException e) {
      LOG.warn("could not time the model ({}); pricing requests by rows alone, capped at {}", e.toString(), config.maxCost());
      return CostModel.rowsOnly(config);
    }
  }

  /**
   * Queues {@code job}; false when the queue holds {@link ServerConfig#queueCapacity()} jobs or their cost
   * would pass {@link ServerConfig#queueCost()}, or the worker is stopping (the caller answers 429/503).
   */
  boolean offer(InferenceJob job) {
    lock.lock();
    try {
      if (!running || queue.size() >= config.queueCapacity() || queuedCost + job.cost() > config.queueCost()) {
        rejected.incrementAndGet();
        return false;
      }
      queue.addLast(job);
      queuedCost += job.cost();
      queueSize = queue.size();
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Drops a job that finished while waiting (timeout, client gone), freeing its place in the queue. */
  void remove(InferenceJob job) {
    lock.lock();
    try {
      if (queue.remove(job)) {
        queuedCost -= job.cost();
        queueSize = queue.size();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The summed cost of the queued jobs. */
  long queuedCost() {
    lock.lock();
    try {
      return queuedCost;
    } finally {
      lock.unlock();
    }
  }

  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  boolean alive() {
    return running && thread.isAlive() && loaded.isDone() && !loaded.isCompletedExceptionally();
  }

  private void run() {
    AnyOrderModel model;
    try {
      model = loader.get();
      responses = new ResponseWriter(model.vocabulary());
      costs = measure(model);
      loaded.complete(model);
    } catch (Throwable t) {
      loaded.completeExceptionally(t);
      return;
    }
    try {
      while (running) {
        List<InferenceJob> batch = next();
        if (batch == null) {
          continue;
        }
        long t0 = System.nanoTime();
        runBatch(model, batch);
        busyNanos.addAndGet(System.nanoTime() - t0);
      }
    } catch (Stopping s) {
      LOG.debug("stopped between network calls");
    } finally {
      model.close();
    }
  }

  private void runBatch(AnyOrderModel model, List<InferenceJob> batch) {
    List<InferenceJob> outer = current;
    List<InferenceJob> running = new ArrayList<>(outer);
    running.addAll(batch);
    current = List.copyOf(running);
    try {
      execute(model, batch);
    } catch (Stopping s) {
      throw s;
    } catch (Throwable t) {
      // Never let one batch kill the thread that serves every request.
      LOG.error("inference failed", t);
      failures.incrementAndGet();
      batch.forEach(j -> j.fail(internalError()));
    } finally {
      current = outer;
    }
  }

  /**
   * Called before each network call of a running batch whose largest job costs {@code runningCost}: runs one batch of
   * queued jobs that cost at most a quarter of it to completion first, so a short request waits for one
   * evaluation of a long one rather than for all of it. One batch per evaluation and one level deep, so the
   * long job keeps making progress however fast short jobs arrive.
   */
  private void yieldToShortJobs(AnyOrderModel model, long runningCost) {
    if (yielding || queueSize == 0) {
      return;
    }
    yielding = true;
    try {
      List<InferenceJob> batch = takeCheaperThan(runningCost / 4);
      if (batch != null) {
        yields.incrementAndGet();
        runBatch(model, batch);
      }
    } finally {
      yielding = false;
    }
  }

  /** The oldest queued live job costing at most {@code maxCost}, with the jobs that may share its batch; null if none. */
  private List<InferenceJob> takeCheaperThan(long maxCost) {
    lock.lock();
    try {
      if (!running) {
        return null;
      }
      Iterator<InferenceJob> it = queue.iterator();
      while (it.hasNext()) {
        InferenceJob job = it.next();
        if (job.finished()) {
          it.remove();
          queuedCost -= job.cost();
        } else if (job.cost() <= maxCost) {
          it.remove();
          queuedCost -= job.cost();
          return withBatchPeers(job, maxCost);
        }
      }
      return null;
    } finally {
      queueSize = queue.size();
      lock.unlock();
    }
  }

  /** The next batch: the oldest live job and, when allowed, every queued job that can share its batch. */
  private List<InferenceJob> next() {
    lock.lock();
    try {
      while (running && queue.isEmpty()) {
        notEmpty.await(200, TimeUnit.MILLISECONDS);
      }
      if (!running) {
        return null;
      }
      InferenceJob first = queue.pollFirst();
      queuedCost -= first.cost();
      if (first.finished()) {
        return null;
      }
      return withBatchPeers(first, Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return null;
    } finally {
      queueSize = queue.size();
      lock.unlock();
    }
  }

  /**
   * {@code first} and, when batching is on, the queued jobs of at most {@code maxPeerCost} each that can
   * share its batch (taken off the queue). Call with the lock held.
   */
  private List<InferenceJob> withBatchPeers(InferenceJob first, long maxPeerCost) {
    List<InferenceJob> batch = new ArrayList<>();
    batch.add(first);
    if (config.batching() && first instanceof GenerationJob g) {
      GenerationSpec.BatchKey key = g.spec.batchKey();
      int sequences = g.samples();
      Iterator<InferenceJob> it = queue.iterator();
      while (it.hasNext()) {
        InferenceJob job = it.next();
        if (job.finished()) {
          it.remove();
          queuedCost -= job.cost();
        } else if (job instanceof GenerationJob other && other.spec.batchKey().equals(key) && other.cost() <= maxPeerCost
            && sequences + other.samples() <= config.maxBatchSequences()) {
          it.remove();
          queuedCost -= job.cost();
          batch.add(job);
          sequences += other.samples();
        }
      }
    }
    return batch;
  }

  private void execute(AnyOrderModel model, List<InferenceJob> batch) {
    long now = System.nanoTime();
    batch.forEach(j -> j.startedNanos = now);
    if (batch.get(0) instanceof ScoringJob s) {
      score(model, s);
      return;
    }
    if (batch.get(0) instanceof GapFillJob g) {
      fillGaps(model, g);
      return;
    }
    List<GenerationJob> jobs = new ArrayList<>();
    batch.forEach(j -> jobs.add((GenerationJob) j));
    generate(model, jobs, true);
  }

  private void generate(AnyOrderModel model, List<GenerationJob> jobs, boolean retryAlone) {
    List<SampleRequest> requests = new ArrayList<>();
    List<SequenceSeed> seeds = new ArrayList<>();
    List<int[]> owners = new ArrayList<>(); // sequence -> {job index, sample index}
    for (int j = 0; j < jobs.size(); j++) {
      GenerationJob job = jobs.get(j);
      for (int i = 0; i < job.samples(); i++) {
        requests.add(job.spec.request());
        seeds.add(new SequenceSeed(job.spec.sampler().seed(), i));
        owners.add(new int[] {j, i});
      }
    }
    Sampler sampler = model.sampler(jobs.get(0).spec.sampler());
    // Jobs like the batch's own are batched, not nested: only jobs much cheaper than its largest job jump in.
    long batchCost = jobs.stream().mapToLong(GenerationJob::cost).max().orElse(0);
    // Checked before every network call, not at commits: a burst round commits only after its verification,
    // and a long call sequence may commit nothing for a while.
    CallGate gate = (sequences, rows) -> {
      if (!running) {
        throw new Stopping();
      }
      if (allFinished(jobs)) {
        throw new BatchAbandoned();
      }
      yieldToShortJobs(model, batchCost);
    };
    long t0 = System.nanoTime();
    SampleBatch result;
    try {
      result = sampler.sample(requests, seeds, (sequence, positions, tokens, nfe) -> {
        int[] owner = owners.get(sequence);
        jobs.get(owner[0]).onCommit(owner[1], positions, tokens, nfe);
      }, gate);
    } catch (BatchAbandoned e) {
      abandoned.incrementAndGet();
      LOG.debug("abandoned a batch of {} requests: every client timed out or went away", jobs.size());
      return;
    } catch (IllegalArgumentException e) {
      if (retryAlone && jobs.size() > 1) {
        // One request the parser let through is wrong for the sampler: isolate it so the others still succeed.
        for (GenerationJob job : jobs) {
          generate(model, List.of(job), false);
        }
        return;
      }
      jobs.forEach(j -> j.fail(ApiException.badRequest(StrictJson.oneLine(e.getMessage()))));
      return;
    }
    double computeMillis = (System.nanoTime() - t0) / 1e6;
    batches.incrementAndGet();
    batchedSequences.addAndGet(requests.size());
    jobsRun.addAndGet(jobs.size());
    int offset = 0;
    for (GenerationJob job : jobs) {
      List<dev.anyorder.sampling.Sample> mine = result.samples().subList(offset, offset + job.samples());
      offset += job.samples();
      job.complete(responses.generation(job, mine, computeMillis, jobs.size(), requests.size()));
    }
  }

  /** Fills gaps of unknown length: the lengths, then the content, every fill at once; best first in the response. */
  private void fillGaps(AnyOrderModel model, GapFillJob job) {
    GapFillSpec spec = job.spec;
    long t0 = System.nanoTime();
    List<dev.anyorder.sampling.GapFill> fills;
    try {
      fills = new dev.anyorder.sampling.GapSampler(model.network(), spec.layout(), spec.sampler())
          .sample(java.util.Collections.nCopies(spec.sampler().numSamples(), spec.request()));
    } catch (IllegalArgumentException e) {
      job.fail(ApiException.badRequest(StrictJson.oneLine(e.getMessage())));
      return;
    }
    fills = fills.stream().sorted(java.util.Comparator.comparingDouble(dev.anyorder.sampling.GapFill::logProb).reversed()).toList();
    batches.incrementAndGet();
    batchedSequences.addAndGet(fills.size());
    jobsRun.incrementAndGet();
    job.complete(responses.gapFills(job, fills, (System.nanoTime() - t0) / 1e6));
  }

  private void score(AnyOrderModel model, ScoringJob job) {
    ScoringSpec spec = job.spec;
    Scorer scorer = new Scorer(model.network(), spec.filter());
    long t0 = System.nanoTime();
    ObjectNode response;
    try {
      ScoreSettings.Result result = spec.settings().score(scorer, spec.request());
      response = responses.score(job, result, (System.nanoTime() - t0) / 1e6);
    } catch (IllegalArgumentException e) {
      job.fail(ApiException.badRequest(StrictJson.oneLine(e.getMessage())));
      return;
    }
    jobsRun.incrementAndGet();
    job.complete(response);
  }

  private static boolean allFinished(List<GenerationJob> jobs) {
    for (GenerationJob j : jobs) {
      if (!j.finished()) {
        return false;
      }
    }
    return true;
  }

  static ApiException internalError() {
    return new ApiException(500, "internal_error", null, "the server failed while running the model; see its log");
  }

  /** Stops taking jobs, fails the queued and running ones with 503 and waits for the thread to end. */
  @Override
  public void close() {
    List<InferenceJob> pending;
    lock.lock();
    try {
      running = false;
      pending = new ArrayList<>(queue);
      queue.clear();
      queuedCost = 0;
      queueSize = 0;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
    ApiException stopping = new ApiException(503, "shutting_down", null, "the server is shutting down");
    pending.forEach(j -> j.fail(stopping));
    current.forEach(j -> j.fail(stopping));
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!loaded.isDone()) {
      loaded.completeExceptionally(new IllegalStateException("stopped before the model loaded"));
    }
  }

  /** Thrown from the call gate when the worker is stopping: ends every batch, nested ones included, and the thread. */
  private static final class Stopping extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopping() {
      super("the worker is stopping", null, false, false);
    }
  }

  /** Thrown from the call gate to stop a batch nobody is waiting for. */
  private static final class BatchAbandoned extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BatchAbandoned() {
      super("every request of the batch finished early", null, false, false);
    }
  }
}
