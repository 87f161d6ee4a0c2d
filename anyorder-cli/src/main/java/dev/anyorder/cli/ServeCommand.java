package dev.anyorder.cli;

import dev.anyorder.options.EngineOptions;
import dev.anyorder.server.ModelServer;
import dev.anyorder.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code anyorder serve}: the HTTP API and the live web page for one model directory. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false, defaultValueProvider = ServeCommand.Defaults.class,
    description = {"Serve a model over HTTP: JSON API under /v1 (generate, infill, score, model), /healthz, and a live web page at /.",
        "Binds to loopback unless --host says otherwise. Stop with Ctrl-C."})
final class ServeCommand implements Callable<Integer> {
  /**
   * The flags' defaults, read from {@link ServerConfig#defaults()}: the server's limits are declared there
   * only, and {@code serve} without flags runs exactly them.
   */
  static final class Defaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
      if (!(arg instanceof OptionSpec option)) {
        return null;
      }
      ServerConfig d = ServerConfig.defaults();
      return switch (option.longestName()) {
        case "--host" -> d.host();
        case "--port" -> String.valueOf(d.port());
        case "--queue" -> String.valueOf(d.queueCapacity());
        case "--max-batch" -> String.valueOf(d.maxBatchSequences());
        case "--max-samples" -> String.valueOf(d.maxSamples());
        case "--max-tokens" -> String.valueOf(d.maxTokens());
        case "--max-cost" -> String.valueOf(d.maxCost());
        case "--queue-cost" -> String.valueOf(d.queueCost());
        case "--body-timeout" -> String.valueOf(d.bodyTimeout().toMillis() / 1000.0);
        case "--max-uploads-per-client" -> String.valueOf(d.maxBodiesPerClient());
        case "--max-uploads" -> String.valueOf(d.maxBodiesReceiving());
        case "--max-work" -> String.valueOf(d.maxWork().toMillis() / 1000.0);
        case "--max-body" -> String.valueOf(d.maxBodyBytes());
        case "--timeout" -> String.valueOf(d.requestTimeout().toSeconds());
        default -> null;
      };
    }
  }

  @Option(names = "--model", required = true, description = "Model directory.")
  Path model;

  @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", description = "Port, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--token", description = "Require 'Authorization: Bearer TOKEN' on /v1 (default: the ANYORDER_TOKEN environment variable, else none).")
  String token;

  @Option(names = "--queue", description = "Requests that may wait before new ones get 429 (default: ${DEFAULT-VALUE}).")
  int queue;

  @Option(names = "--no-batching", description = "Run queued requests one at a time (to measure the gain from dynamic batching).")
  boolean noBatching;

  @Option(names = "--max-batch", description = "Most sequences in one batch (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(names = "--max-samples", description = "Most samples per request (default: ${DEFAULT-VALUE}).")
  int maxSamples;

  @Option(names = "--max-tokens", description = "Most tokens (length x samples) per request (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = "--max-cost", description = "Most cost per request in network rows, calls priced as rows (default: ${DEFAULT-VALUE}); "
      + "lowered to what --max-work allows; more gets 400 naming the cost and the cap.")
  long maxCost;

  @Option(names = "--max-work", description = "Seconds one accepted request may hold the model, as measured on it at start "
      + "(default: ${DEFAULT-VALUE}).")
  double maxWorkSeconds;

  @Option(names = "--queue-cost", description = "Most cost waiting in the queue (default: ${DEFAULT-VALUE}); more gets 429.")
  long queueCost;

  @Option(names = "--body-timeout", description = "Seconds a client may take to send a request body (default: ${DEFAULT-VALUE}); slower ones get 408.")
  double bodyTimeoutSeconds;

  @Option(names = "--max-uploads-per-client", description = "Request bodies one client address may be sending at once (default: ${DEFAULT-VALUE}).")
  int maxBodiesPerClient;

  @Option(names = "--max-uploads", description = "Request bodies the server may be receiving at once, from all clients (default: ${DEFAULT-VALUE}); "
      + "more get 503.")
  int maxBodiesReceiving;

  @Option(names = "--allowed-host", split = ",",
      description = "Host header names to accept (default: the loopback names when bound to loopback, else any).")
  List<String> allowedHosts = new ArrayList<>();

  @Option(names = "--max-body", description = "Largest request body in bytes (default: ${DEFAULT-VALUE}).")
  int maxBody;

  @Option(names = "--timeout", description = "Seconds a request may wait and run (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Mixin
  EngineOptions engine;

  /** The server's configuration from these flags, with {@code secret} as its token. */
  ServerConfig config(String secret) {
    return new ServerConfig(host, port, secret, queue, !noBatching, maxBatch, maxBody, maxSamples, maxTokens, maxCost, queueCost,
        Duration.ofSeconds(timeoutSeconds), Duration.ofMillis(Math.round(bodyTimeoutSeconds * 1000)), maxBodiesPerClient,
        maxBodiesReceiving, allowedHosts, engine.threads, Duration.ofMillis(Math.round(maxWorkSeconds * 1000)));
  }

  @Override
  public Integer call() throws Exception {
    // ANYORDER_TOKEN keeps the secret out of the process list, where --token shows.
    String secret = token != null ? token : System.getenv("ANYORDER_TOKEN");
    ServerConfig config = config(secret);
    ModelServer server = ModelServer.start(model, engine.backend, engine.weights.format, config);
    System.out.println("serving " + model + " on " + server.uri() + (secret == null ? "" : " (bearer token required)")
        + (noBatching ? " without batching" : ""));
    System.out.flush();
    server.awaitTermination();
    return 0;
  }
}
