package dev.anyorder.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load test of a running {@link ModelServer} over HTTP, meant to run in its own process
 * ({@code anyorder bench serve}): closed-loop clients at several concurrency levels, each for a fixed time,
 * measuring throughput and latency percentiles; optionally the same against a second server started with
 * batching off, for the gain from dynamic batching; then one burst of more simultaneous requests than
 * the queue holds, which must be answered by {@code 200} or a clean {@code 429} and nothing else; and a
 * final health check. The <em>mixed</em> scenario ({@link #runMixed}) adds one long job a second to the
 * same closed-loop short requests, so the short jobs' p99 beside the plain run's shows whether a long job
 * makes short ones wait (the server lets them in between its network calls). Every level counts {@code 5xx} answers apart and follows the server's resident memory
 * (from {@code /healthz}) before, during and after it.
 */
public final class LoadTest {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String token;

  /** @param token bearer token for the servers, or null */
  public LoadTest(String token) {
    this.token = token;
  }

  /**
   * The outcome of one concurrency level.
   *
   * @param clients concurrent closed-loop clients
   * @param seconds measured wall time
   * @param ok {@code 200} answers
   * @param rejected {@code 429} answers
   * @param failed anything else (other statuses, I/O errors)
   * @param tokens tokens generated in the {@code 200} answers
   * @param p50Millis median latency of the {@code 200} answers
   * @param p99Millis 99th percentile latency of the {@code 200} answers
   * @param meanBatchSequences sequences per batch on the server over this level (from {@code /healthz})
   * @param serverErrors the {@code 5xx} answers among {@code failed}
   * @param rss the server's resident memory over the level (from {@code /healthz}), or null when it does not report it
   */
  public record Level(int clients, double seconds, int ok, int rejected, int failed, long tokens, double p50Millis,
      double p99Millis, double meanBatchSequences, int serverErrors, Memory rss) {
    public Level {
      if (clients < 1 || seconds <= 0 || ok < 0 || rejected < 0 || failed < 0 || serverErrors < 0 || serverErrors > failed) {
        throw new IllegalArgumentException("invalid load-test level");
      }
    }

    /** Successful requests per second. */
    public double throughput() {
      return ok / seconds;
    }

    /** Generated tokens per second. */
    public double tokensPerSecond() {
      return tokens / seconds;
    }
  }

  /**
   * The server's resident memory around one level, in bytes: so a load test shows whether native memory
   * stays flat under load and goes back afterwards.
   *
   * @param before just before the level
   * @param peak the largest of the samples taken every {@link #MEMORY_SAMPLE_MILLIS} ms during the level
   * @param after once the level's last answer has arrived
   */
  public record Memory(long before, long peak, long after) {
    public Memory {
      if (before < 0 || peak < 0 || after < 0) {
        throw new IllegalArgumentException("memory figures must not be negative");
      }
    }
  }

  static final long MEMORY_SAMPLE_MILLIS = 250;

  /**
   * Closed-loop load: {@code clients} threads each send {@code body} (with its seed replaced by a fresh
   * one per request) until {@code seconds} have passed, then wait for their last answer.
   */
  public Level run(URI base, ObjectNode body, int clients, double seconds) throws InterruptedException {
    return run(base, body, clients, seconds, null, null);
  }

  /**
   * What the long jobs of a mixed run got.
   *
   * @param sent long jobs sent, one a second
   * @param ok of them answered {@code 200}
   * @param rejected of them answered {@code 429} or {@code 400} (above the cost cap)
   * @param p50Millis median latency of the {@code 200} ones
   */
  public record LongJobs(int sent, int ok, int rejected, double p50Millis) {}

  /**
   * The mixed scenario: {@link #run}'s closed-loop short requests ({@code body}), and besides them one
   * {@code longBody} request sent every second (open loop: a slow answer does not delay the next). The
   * returned level holds the short requests only; {@code longJobs} receives what the long ones got.
   */
  public Level runMixed(URI base, ObjectNode body, ObjectNode longBody, int clients, double seconds,
      java.util.function.Consumer<LongJobs> longJobs) throws InterruptedException {
    Objects.requireNonNull(longBody, "longBody");
    Objects.requireNonNull(longJobs, "longJobs");
    return run(base, body, clients, seconds, longBody, longJobs);
  }

  private Level run(URI base, ObjectNode body, int clients, double seconds, ObjectNode longBody,
      java.util.function.Consumer<LongJobs> longJobs) throws InterruptedException {
    Objects.requireNonNull(base, "base");
    JsonNode before = health(base);
    ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger serverErrors = new AtomicInteger();
    AtomicLong peakRss = new AtomicLong(rss(before));
    Thread monitor = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peakRss.accumulateAndGet(rss(health(base)), Math::max);
        try {
          Thread.sleep(MEMORY_SAMPLE_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "load-memory-monitor");
    monitor.setDaemon(true);
    monitor.start();
    AtomicLong tokens = new AtomicLong();
    AtomicLong seeds = new AtomicLong(1);
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      Thread t = new Thread(() -> {
        try {
          while (System.nanoTime() < end) {
            ObjectNode request = body.deepCopy().put("seed", seeds.getAndIncrement());
            long t0 = System.nanoTime();
            Outcome o = send(base.resolve("/v1/generate"), request.toString());
            double ms = (System.nanoTime() - t0) / 1e6;
            if (o.status == 200) {
              ok.incrementAndGet();
              latencies.add(ms);
              tokens.addAndGet(o.tokens);
            } else if (o.status == 429) {
              rejected.incrementAndGet();
            } else {
              failed.incrementAndGet();
              if (o.status >= 500) {
                serverErrors.incrementAndGet();
              }
            }
          }
        } finally {
          done.countDown();
        }
      }, "load-client-" + c);
      t.setDaemon(true);
      t.start();
    }
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> longs = new ArrayList<>();
    List<Long> longStarts = new ArrayList<>();
    if (longBody != null) {
      for (long next = start; next < end; next += 1_000_000_000L) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        longStarts.add(System.nanoTime());
        longs.add(client.sendAsync(request(base.resolve("/v1/generate"), longBody.deepCopy().put("seed", -seeds.getAndIncrement())
            .toString()), HttpResponse.BodyHandlers.ofString()));
      }
    }
    done.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (longBody != null) {
      int longOk = 0;
      int longRejected = 0;
      double[] longMillis = new double[longs.size()];
      for (int i = 0; i < longs.size(); i++) {
        longMillis[i] = Double.NaN;
        try {
          HttpResponse<String> r = longs.get(i).get();
          if (r.statusCode() == 200) {
            longOk++;
            longMillis[i] = (System.nanoTime() - longStarts.get(i)) / 1e6; // an upper bound: collected after the level
            longMillis[i] = ResponseWriter.MAPPER.readTree(r.body()).at("/timing/total_ms").asDouble(longMillis[i]);
          } else if (r.statusCode() == 429 || r.statusCode() == 400) {
            longRejected++;
          }
        } catch (java.util.concurrent.ExecutionException | IOException e) {
          // counted as sent but neither ok nor rejected
        }
      }
      double[] sortedLong = Arrays.stream(longMillis).filter(x -> !Double.isNaN(x)).sorted().toArray();
      longJobs.accept(new LongJobs(longs.size(), longOk, longRejected, percentile(sortedLong, 0.5)));
    }
    monitor.interrupt();
    monitor.join();
    JsonNode after = health(base);
    long rssBefore = rss(before);
    long rssAfter = rss(after);
    Memory memory = rssBefore < 0 || rssAfter < 0 ? null : new Memory(rssBefore, Math.max(peakRss.get(), rssAfter), rssAfter);
    double meanBatch = Double.NaN;
    if (before != null && after != null) {
      long batches = after.at("/stats/batches").asLong() - before.at("/stats/batches").asLong();
      long sequences = after.at("/stats/sequences").asLong() - before.at("/stats/sequences").asLong();
      meanBatch = batches == 0 ? Double.NaN : (double) sequences / batches;
    }
    double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Level(clients, elapsed, ok.get(), rejected.get(), failed.get(), tokens.get(), percentile(sorted, 0.50),
        percentile(sorted, 0.99), meanBatch, serverErrors.get(), memory);
  }

  /** The resident memory a {@code /healthz} answer reports, or -1. */
  static long rss(JsonNode health) {
    JsonNode n = health == null ? null : health.at("/memory/rss_bytes");
    return n == null || !n.isIntegralNumber() ? -1 : n.asLong();
  }

  /**
   * The burst: {@code requests} requests sent at once, each answered with {@code [ok, rejected, failed]}
   * counts.
   */
  public int[] burst(URI base, ObjectNode body, int requests) throws InterruptedException {
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      futures.add(client.sendAsync(request(base.resolve("/v1/generate"), body.deepCopy().put("seed", i).toString()),
          HttpResponse.BodyHandlers.ofString()));
    }
    int[] counts = new int[3];
    for (var f : futures) {
      try {
        int status = f.get().statusCode();
        counts[status == 200 ? 0 : status == 429 ? 1 : 2]++;
      } catch (java.util.concurrent.ExecutionException e) {
        counts[2]++;
      }
    }
    return counts;
  }

  /** {@code GET /healthz}, or null when the server does not answer 200. */
  public JsonNode health(URI base) {
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/healthz")).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? ResponseWriter.MAPPER.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** {@code GET /v1/task/instance?seed=1}: a puzzle of the model's task. */
  public JsonNode taskInstance(URI base) throws IOException, InterruptedException {
    return getJson(base.resolve("/v1/task/instance?seed=1"));
  }

  /** {@code GET /v1/model}. */
  public JsonNode model(URI base) throws IOException, InterruptedException {
    return getJson(base.resolve("/v1/model"));
  }

  private JsonNode getJson(URI uri) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + uri.getPath() + " answered " + r.statusCode() + ": " + r.body());
    }
    return ResponseWriter.MAPPER.readTree(r.body());
  }

  /** Prints one row of the results table. */
  public static void print(PrintStream out, String label, Level l) {
    String memory = l.rss() == null ? "       n/a" : String.format("%4d/%4d/%4d", l.rss().before() >> 20, l.rss().peak() >> 20,
        l.rss().after() >> 20);
    out.printf("%-10s %7d %8d %6d %6d %7d %5d %9.1f %9.0f %9.1f %9.1f %8.2f  %s%n", label, l.clients(),
        l.ok() + l.rejected() + l.failed(), l.ok(), l.rejected(), l.failed(), l.serverErrors(), l.throughput(), l.tokensPerSecond(),
        l.p50Millis(), l.p99Millis(), l.meanBatchSequences(), memory);
  }

  /** The header of {@link #print}'s table. */
  public static void printHeader(PrintStream out) {
    out.printf("%-10s %7s %8s %6s %6s %7s %5s %9s %9s %9s %9s %8s  %s%n", "server", "clients", "requests", "ok", "429", "failed", "5xx",
        "req/s", "tokens/s", "p50 ms", "p99 ms", "batch", "RSS MB before/peak/after");
  }

  private record Outcome(int status, long tokens) {}

  private Outcome send(URI uri, String body) {
    try {
      HttpResponse<String> r = client.send(request(uri, body), HttpResponse.BodyHandlers.ofString());
      long tokens = 0;
      if (r.statusCode() == 200) {
        tokens = ResponseWriter.MAPPER.readTree(r.body()).path("tokens_generated").asLong();
      }
      return new Outcome(r.statusCode(), tokens);
    } catch (IOException e) {
      return new Outcome(-1, 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, 0);
    }
  }

  private HttpRequest request(URI uri, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.build();
  }

  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** Parses {@code 1,4,16}. */
  public static int[] levels(String csv) {
    int[] levels = Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    if (levels.length == 0 || Arrays.stream(levels).anyMatch(l -> l < 1 || l > 1024)) {
      throw new IllegalArgumentException("client levels must be integers in 1..1024, got " + csv);
    }
    return levels;
  }
}
