package dev.anyorder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.server.LoadTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code anyorder bench serve}: a load test of running servers from this separate process, bounded in
 * time; see {@link LoadTest}. Exits non-zero when a request fails below the queue limit, when the burst
 * gets anything but 200 or 429, or when a server is unhealthy afterwards.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Load-test running model servers: throughput, p50/p99 latency, gain from dynamic batching, 429s above the queue limit,"
        + " 5xx answers, resident memory.",
        "Start one server normally and, for the batching gain, a second with --no-batching, and pass its address as --baseline-url."})
final class BenchServeCommand implements Callable<Integer> {
  @Option(names = "--url", required = true, description = "Base address of the server under test, e.g. http://127.0.0.1:8080/.")
  URI url;

  @Option(names = "--baseline-url", description = "A server of the same model started with --no-batching, for the batching gain.")
  URI baselineUrl;

  @Option(names = "--clients", defaultValue = "1,4,16", description = "Concurrency levels (default: ${DEFAULT-VALUE}).")
  String clients;

  @Option(names = "--seconds", defaultValue = "10", description = "Seconds per level (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--body", description = "Request body for /v1/generate (JSON; its seed is replaced per request). "
      + "Default: sequential sampling of one of the model's puzzles when it has a task, else of min(32, max length) unknown tokens.")
  String body;

  @Option(names = "--long-body", description = "The long job of the mixed scenario, sent once a second among the short requests "
      + "(JSON). Default: adaptive decoding with k = 1 of the short request's sequence; 'none' skips the mixed scenario.")
  String longBody;

  @Option(names = "--burst", description = "Simultaneous requests of the overload burst (default: twice the queue plus 16; 0 skips it).")
  Integer burst;

  @Option(names = "--token", description = "Bearer token of the servers (default: ANYORDER_TOKEN).")
  String token;

  @Override
  public Integer call() throws Exception {
    String secret = token != null ? token : System.getenv("ANYORDER_TOKEN");
    LoadTest test = new LoadTest(secret);
    int[] levels = LoadTest.levels(clients);
    if (seconds <= 0 || seconds > 600) {
      throw new IllegalArgumentException("--seconds must be in (0, 600], got " + seconds);
    }
    JsonNode model = test.model(url);
    int queue = model.at("/limits/queue_capacity").asInt();
    ObjectNode request;
    if (body != null) {
      JsonNode parsed = new ObjectMapper().readTree(body);
      if (!parsed.isObject()) {
        throw new IllegalArgumentException("--body must be a JSON object");
      }
      request = (ObjectNode) parsed;
    } else if (model.path("task").isObject()) {
      // A puzzle model answers its own puzzles: one instance, a fresh seed per request (so samples differ).
      request = new ObjectMapper().createObjectNode().put("sampler", "sequential");
      request.set("given", test.taskInstance(url).get("given"));
    } else {
      request = new ObjectMapper().createObjectNode().put("sampler", "sequential")
          .put("length", Math.min(32, model.at("/config/maxLength").asInt()));
    }
    System.out.printf("model %s, queue %d, request %s, %.0f s per level%n", model.path("name").asText(), queue, request, seconds);
    List<URI> servers = new ArrayList<>(List.of(url));
    if (baselineUrl != null) {
      servers.add(baselineUrl);
    }
    LoadTest.printHeader(System.out);
    LoadTest.Level[][] results = new LoadTest.Level[servers.size()][levels.length];
    boolean healthy = true;
    ObjectNode longRequest = longRequest(request, model.at("/config/maxLength").asInt());
    LoadTest.Level[] mixed = new LoadTest.Level[levels.length];
    LoadTest.LongJobs[] longJobs = new LoadTest.LongJobs[levels.length];
    for (int s = 0; s < servers.size(); s++) {
      String label = s == 0 ? "batching" : "baseline";
      JsonNode health = test.health(servers.get(s));
      if (health != null && s == 1 && health.path("batching").asBoolean()) {
        System.out.println("warning: the baseline server has batching on; start it with --no-batching");
      }
      for (int l = 0; l < levels.length; l++) {
        results[s][l] = test.run(servers.get(s), request, levels[l], seconds);
        LoadTest.print(System.out, label, results[s][l]);
      }
    }
    if (longRequest != null) {
      // The same short requests with one long job a second: their p99 beside the plain run's shows how long a
      // short request waits behind a long one.
      for (int l = 0; l < levels.length; l++) {
        int level = l;
        mixed[l] = test.runMixed(url, request, longRequest, levels[l], seconds, j -> longJobs[level] = j);
        LoadTest.print(System.out, "mixed", mixed[l]);
      }
      System.out.printf("mixed scenario: one long job a second, %s%n", longRequest);
      for (int l = 0; l < levels.length; l++) {
        System.out.printf("  %d clients: short p99 %.1f ms plain, %.1f ms with long jobs (p50 %.1f -> %.1f); long jobs %d sent, %d ok, "
            + "%d refused, p50 %.0f ms%n", levels[l], results[0][l].p99Millis(), mixed[l].p99Millis(), results[0][l].p50Millis(),
            mixed[l].p50Millis(), longJobs[l].sent(), longJobs[l].ok(), longJobs[l].rejected(), longJobs[l].p50Millis());
      }
    }
    int failures = 0;
    int serverErrors = 0;
    for (LoadTest.Level[] row : results) {
      for (LoadTest.Level level : row) {
        serverErrors += level.serverErrors();
        if (level.clients() <= queue) {
          failures += level.failed() + level.rejected();
        }
      }
    }
    for (LoadTest.Level level : mixed) {
      if (level != null) {
        serverErrors += level.serverErrors();
      }
    }
    for (int s = 0; s < servers.size(); s++) {
      LoadTest.Level first = results[s][0];
      LoadTest.Level last = results[s][levels.length - 1];
      if (first.rss() != null && last.rss() != null) {
        long peak = java.util.Arrays.stream(results[s]).mapToLong(l -> l.rss().peak()).max().orElse(0);
        System.out.printf("resident memory of %s: %d MB before the first level, peak %d MB, %d MB after the last%n", servers.get(s),
            first.rss().before() >> 20, peak >> 20, last.rss().after() >> 20);
      }
    }
    if (baselineUrl != null) {
      for (int l = 0; l < levels.length; l++) {
        System.out.printf("gain from dynamic batching at %d clients: %.2fx throughput, p50 %.1f -> %.1f ms%n", levels[l],
            results[0][l].throughput() / results[1][l].throughput(), results[1][l].p50Millis(), results[0][l].p50Millis());
      }
    }
    int burstSize = burst != null ? burst : 2 * queue + 16;
    boolean burstClean = true;
    if (burstSize > 0) {
      int[] counts = test.burst(url, request, burstSize);
      burstClean = counts[2] == 0;
      System.out.printf("burst of %d simultaneous requests (queue %d): %d ok, %d rejected with 429, %d other%n", burstSize, queue,
          counts[0], counts[1], counts[2]);
    }
    for (URI server : servers) {
      JsonNode health = test.health(server);
      boolean ok = health != null && "ok".equals(health.path("status").asText());
      healthy &= ok;
      System.out.printf("after the test %s is %s%s%n", server, ok ? "healthy" : "NOT healthy",
          health == null ? "" : " " + health.path("stats"));
    }
    System.out.printf("failed requests below the queue limit: %d; server errors (5xx): %d%n", failures, serverErrors);
    return failures == 0 && serverErrors == 0 && burstClean && healthy ? 0 : 1;
  }

  /**
   * The mixed scenario's long job: {@code --long-body}, or adaptive decoding with k = 1 of {@code request}'s
   * sequence (at the model's full length when it gives a length); null for none.
   */
  private ObjectNode longRequest(ObjectNode request, int maxLength) throws java.io.IOException {
    if ("none".equals(longBody)) {
      return null;
    }
    if (longBody != null) {
      JsonNode parsed = new ObjectMapper().readTree(longBody);
      if (!parsed.isObject()) {
        throw new IllegalArgumentException("--long-body must be a JSON object or 'none'");
      }
      return (ObjectNode) parsed;
    }
    // Every remaining position asked at each of its calls: the dearest of the samplers per token.
    ObjectNode r = request.deepCopy();
    r.put("sampler", "adaptive").put("k", 1);
    if (r.has("length")) {
      r.put("length", maxLength);
    }
    return r;
  }
}
