package dev.anyorder.cli;

import dev.anyorder.options.EngineOptions;
import dev.anyorder.server.ModelServer;
import dev.anyorder.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code anyorder serve}: the HTTP API and the live web page for one model directory. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Serve a model over HTTP: JSON API under /v1 (generate, infill, score, model), /healthz, and a live web page at /.",
        "Binds to loopback unless --host says otherwise. Stop with Ctrl-C."})
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Model directory.")
  Path model;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Port, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--token", description = "Require 'Authorization: Bearer TOKEN' on /v1 (default: the ANYORDER_TOKEN environment variable, else none).")
  String token;

  @Option(names = "--queue", defaultValue = "64", description = "Requests that may wait before new ones get 429 (default: ${DEFAULT-VALUE}).")
  int queue;

  @Option(names = "--no-batching", description = "Run queued requests one at a time (to measure the gain from dynamic batching).")
  boolean noBatching;

  @Option(names = "--max-batch", defaultValue = "64", description = "Most sequences in one batch (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(names = "--max-samples", defaultValue = "16", description = "Most samples per request (default: ${DEFAULT-VALUE}).")
  int maxSamples;

  @Option(names = "--max-tokens", defaultValue = "16384", description = "Most tokens (length x samples) per request (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = "--max-cost", defaultValue = "8192",
      description = "Most cost per request, length x samples x orders (default: ${DEFAULT-VALUE}); more gets 400 naming the limit.")
  long maxCost;

  @Option(names = "--queue-cost", defaultValue = "65536", description = "Most cost waiting in the queue (default: ${DEFAULT-VALUE}); more gets 429.")
  long queueCost;

  @Option(names = "--body-timeout", defaultValue = "10",
      description = "Seconds a client may take to send a request body (default: ${DEFAULT-VALUE}); slower ones get 408.")
  double bodyTimeoutSeconds;

  @Option(names = "--max-uploads-per-client", defaultValue = "16",
      description = "Request bodies one client address may be sending at once (default: ${DEFAULT-VALUE}).")
  int maxBodiesPerClient;

  @Option(names = "--allowed-host", split = ",",
      description = "Host header names to accept (default: the loopback names when bound to loopback, else any).")
  List<String> allowedHosts = new ArrayList<>();

  @Option(names = "--max-body", defaultValue = "262144", description = "Largest request body in bytes (default: ${DEFAULT-VALUE}).")
  int maxBody;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds a request may wait and run (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Mixin
  EngineOptions engine;

  @Override
  public Integer call() throws Exception {
    // ANYORDER_TOKEN keeps the secret out of the process list, where --token shows.
    String secret = token != null ? token : System.getenv("ANYORDER_TOKEN");
    ServerConfig config = new ServerConfig(host, port, secret, queue, !noBatching, maxBatch, maxBody, maxSamples, maxTokens,
        maxCost, queueCost, Duration.ofSeconds(timeoutSeconds), Duration.ofMillis(Math.round(bodyTimeoutSeconds * 1000)),
        maxBodiesPerClient, allowedHosts, engine.threads);
    ModelServer server = ModelServer.start(model, engine.backend, engine.weights.format, config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop();
      stopped.countDown();
    }, "anyorder-serve-shutdown"));
    System.out.println("serving " + model + " on " + server.uri() + (secret == null ? "" : " (bearer token required)")
        + (noBatching ? " without batching" : ""));
    System.out.flush();
    stopped.await();
    return 0;
  }
}
