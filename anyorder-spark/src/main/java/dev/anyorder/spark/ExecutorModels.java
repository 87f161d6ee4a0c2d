package dev.anyorder.spark;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.Backend;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.WeightFormat;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models of this JVM (a Spark executor, or the driver in local mode). A model directory is read and
 * checked once per JVM, lazily, by the first task that needs it; tasks running at the same time wait for
 * that one load. Each concurrently running task then borrows a replica built from those weights in memory
 * (an {@link AnyOrderModel} serves one thread at a time), with one engine thread, since Spark runs one
 * task per core; replicas are kept for later tasks.
 */
public final class ExecutorModels {
  private static final Map<String, Shared> MODELS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  private ExecutorModels() {}

  /** A model replica for the calling task; close the lease to hand it to the next task. */
  public static Lease borrow(ModelSource source, Backend backend) {
    return borrow(source, backend, WeightFormat.FLOAT32);
  }

  /** As {@link #borrow(ModelSource, Backend)}, with the weight matrices kept in {@code weights}. */
  public static Lease borrow(ModelSource source, Backend backend, WeightFormat weights) {
    Path dir = source.resolve().toAbsolutePath().normalize();
    Shared shared = MODELS.computeIfAbsent(backend + ":" + weights + ":" + dir, key -> {
      SavedModel saved = ModelDirectory.load(dir);
      LOADS.incrementAndGet();
      return new Shared(dir, saved, backend, weights);
    });
    return shared.borrow();
  }

  /** Model directories this JVM has read since it started or since {@link #clear}. */
  public static int loads() {
    return LOADS.get();
  }

  /** Replicas built in this JVM across all models since it started or since {@link #clear}. */
  public static int replicas() {
    return MODELS.values().stream().mapToInt(s -> s.replicas.get()).sum();
  }

  /** Closes every idle replica and forgets every model, so the next task loads afresh (benchmarks, tests). */
  public static synchronized void clear() {
    for (Shared s : MODELS.values()) {
      AnyOrderModel m;
      while ((m = s.idle.poll()) != null) {
        m.close();
      }
    }
    MODELS.clear();
    LOADS.set(0);
  }

  /** One replica, borrowed by one task. */
  public static final class Lease implements AutoCloseable {
    private final Shared owner;
    private final AnyOrderModel model;
    private boolean returned;

    private Lease(Shared owner, AnyOrderModel model) {
      this.owner = owner;
      this.model = model;
    }

    public AnyOrderModel model() {
      return model;
    }

    @Override
    public synchronized void close() {
      if (!returned) {
        returned = true;
        owner.idle.offer(model);
      }
    }
  }

  private static final class Shared {
    final Path dir;
    final SavedModel saved;
    final Backend backend;
    final WeightFormat weights;
    final ConcurrentLinkedQueue<AnyOrderModel> idle = new ConcurrentLinkedQueue<>();
    final AtomicInteger replicas = new AtomicInteger();

    Shared(Path dir, SavedModel saved, Backend backend, WeightFormat weights) {
      this.dir = dir;
      this.saved = saved;
      this.backend = backend;
      this.weights = weights;
    }

    Lease borrow() {
      AnyOrderModel m = idle.poll();
      if (m == null) {
        m = AnyOrderModel.of(dir, saved, backend, 1, weights);
        replicas.incrementAndGet();
      }
      return new Lease(this, m);
    }
  }
}
