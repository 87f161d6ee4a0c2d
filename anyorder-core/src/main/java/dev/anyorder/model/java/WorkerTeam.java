package dev.anyorder.model.java;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small fixed team of threads that runs one {@link Job} split into parts, the calling thread taking part 0.
 *
 * <p>The pure-Java runtime splits every matrix product of a call across the team (and the attention rows),
 * several times per layer, so handing out work must cost microseconds and allocate nothing: an executor
 * allocates a future per task and wakes a parked thread each time. Here the job is a reusable object, the
 * hand-off is a volatile ticket, and idle workers spin briefly before parking, so a decode loop that calls
 * the network every few hundred microseconds finds them awake.
 *
 * <p>Which thread runs a part never changes what the part computes: jobs split their outputs so that each
 * element is computed by exactly one part in a fixed order. When the team is already busy (another thread
 * calls the network with another decode state), the caller runs every part itself, with the same results.
 */
public final class WorkerTeam implements AutoCloseable {
  /** Work that can be cut into {@code parts} independent pieces. */
  public interface Job {
    void run(int part, int parts);
  }

  /** How long an idle thread spins for new work before it parks by default (the gap between two decode calls). */
  private static final long SPIN_NANOS = 50_000;

  private final long spinNanos;

  private final Thread[] workers;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicInteger pending = new AtomicInteger();
  /** {@code generation << 8 | parts}: published after {@link #job}, read once by each worker. */
  private volatile long ticket;
  private volatile Job job;
  private volatile Thread caller;
  private volatile Throwable failure;
  private volatile boolean closed;

  /** A team of {@code threads} threads in all: the caller and {@code threads - 1} daemon workers. */
  WorkerTeam(int threads) {
    this(threads, SPIN_NANOS, "anyorder-java-network-");
  }

  /**
   * A team of {@code threads} threads in all, whose idle threads spin {@code spinNanos} for new work (and
   * the caller as long for the others to finish) before they park; the workers are named {@code name + part}.
   */
  public WorkerTeam(int threads, long spinNanos, String name) {
    this.spinNanos = spinNanos;
    if (threads < 1 || threads > 255) {
      throw new IllegalArgumentException("threads must be in 1..255, got " + threads);
    }
    workers = new Thread[threads - 1];
    for (int k = 0; k < workers.length; k++) {
      int part = k + 1;
      Thread t = new Thread(() -> work(part), name + part);
      t.setDaemon(true);
      workers[k] = t;
    }
    for (Thread t : workers) {
      t.start();
    }
  }

  /** Threads in the team, the caller included. */
  public int size() {
    return workers.length + 1;
  }

  /** Runs parts {@code 0 .. parts-1} of {@code job} (at most {@link #size} at once) and returns when all are done. */
  public void run(Job job, int parts) {
    if (parts > size()) {
      throw new IllegalArgumentException(parts + " parts for a team of " + size());
    }
    if (parts <= 1 || closed || !lock.tryLock()) {
      for (int p = 0; p < parts; p++) {
        job.run(p, parts);
      }
      return;
    }
    try {
      this.job = job;
      this.caller = Thread.currentThread();
      this.failure = null;
      pending.set(parts - 1);
      ticket = ((ticket >>> 8) + 1) << 8 | parts;
      for (int k = 0; k < parts - 1; k++) {
        LockSupport.unpark(workers[k]);
      }
      Throwable own = null;
      try {
        job.run(0, parts);
      } catch (RuntimeException | Error e) {
        own = e;
      }
      long spinUntil = System.nanoTime() + spinNanos;
      while (pending.get() != 0) {
        if (System.nanoTime() < spinUntil) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      this.job = null;
      Throwable failed = own != null ? own : failure;
      if (failed instanceof RuntimeException re) {
        throw re;
      }
      if (failed instanceof Error e) {
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  private void work(int part) {
    long seen = 0;
    while (true) {
      long spinUntil = System.nanoTime() + spinNanos;
      long current;
      while ((current = ticket) == seen && !closed) {
        if (System.nanoTime() < spinUntil) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      if (closed) {
        return;
      }
      seen = current;
      int parts = (int) (current & 0xff);
      if (part >= parts) {
        continue; // not needed this time; the caller does not wait for this thread
      }
      try {
        job.run(part, parts);
      } catch (Throwable t) {
        failure = t;
      } finally {
        if (pending.decrementAndGet() == 0) {
          LockSupport.unpark(caller);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : workers) {
      LockSupport.unpark(t);
    }
  }
}
