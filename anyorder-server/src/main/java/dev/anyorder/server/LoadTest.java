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
 * final health check.
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
   */
  public record Level(int clients, double seconds, int ok, int rejected, int failed, long tokens, double p50Millis,
      double p99Millis, double meanBatchSequences) {
    public Level {
      if (clients < 1 || seconds <= 0 || ok < 0 || rejected < 0 || failed < 0) {
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
   * Closed-loop load: {@code clients} threads each send {@code body} (with its seed replaced by a fresh
   * one per request) until {@code seconds} have passed, then wait for their last answer.
   */
  public Level run(URI base, ObjectNode body, int clients, double seconds) throws InterruptedException {
    Objects.requireNonNull(base, "base");
    JsonNode before = health(base);
    ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
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
            }
          }
        } finally {
          done.countDown();
        }
      }, "load-client-" + c);
      t.setDaemon(true);
      t.start();
    }
    done.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    JsonNode after = health(base);
    double meanBatch = Double.NaN;
    if (before != null && after != null) {
      long batches = after.at("/stats/batches").asLong() - before.at("/stats/batches").asLong();
      long sequences = after.at("/stats/sequences").asLong() - before.at("/stats/sequences").asLong();
      meanBatch = batches == 0 ? Double.NaN : (double) sequences / batches;
    }
    double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Level(clients, elapsed, ok.get(), rejected.get(), failed.get(), tokens.get(), percentile(sorted, 0.50),
        percentile(sorted, 0.99), meanBatch);
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

  /** {@code GET /v1/model}. */
  public JsonNode model(URI base) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/v1/model")).timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET /v1/model answered " + r.statusCode() + ": " + r.body());
    }
    return ResponseWriter.MAPPER.readTree(r.body());
  }

  /** Prints one row of the results table. */
  public static void print(PrintStream out, String label, Level l) {
    out.printf("%-10s %7d %8d %6d %6d %7d %9.1f %9.0f %9.1f %9.1f %8.2f%n", label, l.clients(), l.ok() + l.rejected() + l.failed(),
        l.ok(), l.rejected(), l.failed(), l.throughput(), l.tokensPerSecond(), l.p50Millis(), l.p99Millis(), l.meanBatchSequences());
  }

  /** The header of {@link #print}'s table. */
  public static void printHeader(PrintStream out) {
    out.printf("%-10s %7s %8s %6s %6s %7s %9s %9s %9s %9s %8s%n", "server", "clients", "requests", "ok", "429", "failed", "req/s",
        "tokens/s", "p50 ms", "p99 ms", "batch");
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
