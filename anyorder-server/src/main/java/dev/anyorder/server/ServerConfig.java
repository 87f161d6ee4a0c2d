package dev.anyorder.server;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link ModelServer} listens and what it accepts. Validated on construction; errors name the
 * setting.
 *
 * @param host address to bind; loopback ({@code 127.0.0.1}) unless told otherwise
 * @param port TCP port, 0 for any free port
 * @param token bearer token every {@code /v1} request must carry, or null for none
 * @param queueCapacity requests waiting for the inference thread before new ones get {@code 429}
 * @param batching whether queued generation requests of one shape share a batch (dynamic batching)
 * @param maxBatchSequences most sequences in one batch
 * @param maxBodyBytes largest request body accepted; larger ones get {@code 413}
 * @param maxSamples most samples ({@code num_samples}) one request may ask for
 * @param maxTokens most tokens one request may ask for: sequence length times samples
 * @param maxCost most cost one request may have, in network rows (see {@link CostModel}: the rows a request can
 *     push through the network, plus its calls priced as rows); more is a {@code 400} naming the cost and the
 *     cap. The server lowers the cap to what fits in {@code maxWork} on its model
 * @param queueCost most cost that may wait in the queue; a request that does not fit gets {@code 429}
 * @param requestTimeout longest a request may wait and run before it gets {@code 503}; requests may ask
 *     for less with {@code timeout_ms}
 * @param bodyTimeout longest a client may take to send a request body (then {@code 408}); slow senders
 *     would otherwise hold the server's threads
 * @param maxBodiesPerClient request bodies one client address may be sending at once; more get {@code 429}
 * @param maxBodiesReceiving request bodies the whole server may be receiving at once; more get {@code 503}.
 *     Each slow body holds a server thread, so this bound, not the per-address one, keeps threads free for
 *     {@code /healthz} and the workers however many addresses send
 * @param allowedHosts {@code Host} header names accepted (DNS-rebinding protection); empty means the loopback
 *     names when bound to loopback and any name otherwise
 * @param engineThreads PyTorch intra-op threads of the inference thread
 * @param maxWork longest one accepted request may hold the model: the server measures its model at start
 *     and caps the cost to what runs in this time
 */
public record ServerConfig(
    String host,
    int port,
    String token,
    int queueCapacity,
    boolean batching,
    int maxBatchSequences,
    int maxBodyBytes,
    int maxSamples,
    int maxTokens,
    long maxCost,
    long queueCost,
    Duration requestTimeout,
    Duration bodyTimeout,
    int maxBodiesPerClient,
    int maxBodiesReceiving,
    List<String> allowedHosts,
    int engineThreads,
    Duration maxWork) {

  /** Names a browser may use for a server bound to loopback. */
  static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]", "::1");

  public ServerConfig {
    Objects.requireNonNull(host, "host must be given");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    if (token != null && token.isBlank()) {
      token = null;
    }
    if (token != null && !token.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new IllegalArgumentException("token must be printable ASCII without spaces");
    }
    if (queueCapacity < 1 || queueCapacity > 100_000) {
      throw new IllegalArgumentException("queueCapacity must be in 1..100000, got " + queueCapacity);
    }
    if (maxBatchSequences < 1 || maxBatchSequences > 4096) {
      throw new IllegalArgumentException("maxBatchSequences must be in 1..4096, got " + maxBatchSequences);
    }
    if (maxBodyBytes < 256 || maxBodyBytes > 64 << 20) {
      throw new IllegalArgumentException("maxBodyBytes must be in 256..64 MiB, got " + maxBodyBytes);
    }
    if (maxSamples < 1 || maxSamples > 4096) {
      throw new IllegalArgumentException("maxSamples must be in 1..4096, got " + maxSamples);
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
    }
    if (maxCost < 1) {
      throw new IllegalArgumentException("maxCost must be at least 1, got " + maxCost);
    }
    if (queueCost < maxCost) {
      throw new IllegalArgumentException("queueCost must be at least maxCost (" + maxCost + ") so one request fits, got "
          + queueCost);
    }
    Objects.requireNonNull(requestTimeout, "requestTimeout must be given");
    if (requestTimeout.isNegative() || requestTimeout.isZero() || requestTimeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("requestTimeout must be in (0, 1 h], got " + requestTimeout);
    }
    Objects.requireNonNull(bodyTimeout, "bodyTimeout must be given");
    if (bodyTimeout.toMillis() < 10 || bodyTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("bodyTimeout must be in [10 ms, 10 min], got " + bodyTimeout);
    }
    if (maxBodiesPerClient < 1 || maxBodiesPerClient > 10_000) {
      throw new IllegalArgumentException("maxBodiesPerClient must be in 1..10000, got " + maxBodiesPerClient);
    }
    if (maxBodiesReceiving < 1 || maxBodiesReceiving > 10_000) {
      throw new IllegalArgumentException("maxBodiesReceiving must be in 1..10000, got " + maxBodiesReceiving);
    }
    Objects.requireNonNull(maxWork, "maxWork must be given");
    if (maxWork.toMillis() < 1 || maxWork.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("maxWork must be in [1 ms, 1 h], got " + maxWork);
    }
    Objects.requireNonNull(allowedHosts, "allowedHosts must be given (empty for the default)");
    allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
    if (engineThreads < 1 || engineThreads > 256) {
      throw new IllegalArgumentException("engineThreads must be in 1..256, got " + engineThreads);
    }
  }

  /**
   * The one set of the server's defaults ({@code anyorder serve} reads its flags' defaults here): loopback, port
   * 8080, no token, a queue of 64 requests and a cost of 2^25, batching on with up to 64 sequences a batch,
   * bodies up to 256 KiB sent within 10 s, 16 at a time per client and 64 in all, 16 samples, 16384 tokens and
   * a cost of 2^22 a request (lowered to what runs in 2 s on the model), 60 s timeout, loopback host names,
   * one engine thread.
   */
  public static ServerConfig defaults() {
    return new ServerConfig("127.0.0.1", 8080, null, 64, true, 64, 256 << 10, 16, 16384, 1L << 22, 1L << 25, Duration.ofSeconds(60),
        Duration.ofSeconds(10), 16, 64, List.of(), 1, Duration.ofSeconds(2));
  }

  /** Whether {@link #host()} is a loopback address or name. */
  public boolean loopback() {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
  }

  /** The {@code Host} names accepted: {@link #allowedHosts()}, else loopback names when bound to loopback, else any (empty). */
  public List<String> effectiveAllowedHosts() {
    if (!allowedHosts.isEmpty()) {
      return allowedHosts;
    }
    return loopback() ? LOOPBACK_NAMES : List.of();
  }


  public ServerConfig withPort(int v) {
    return new ServerConfig(host, v, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens, maxCost, queueCost, requestTimeout, bodyTimeout, maxBodiesPerClient, maxBodiesReceiving, allowedHosts, engineThreads, maxWork);
  }

  public ServerConfig withToken(String v) {
    return new ServerConfig(host, port, v, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens, maxCost, queueCost, requestTimeout, bodyTimeout, maxBodiesPerClient, maxBodiesReceiving, allowedHosts, engineThreads, maxWork);
  }

  public ServerConfig withQueueCapacity(int v) {
    return new ServerConfig(host, port, token, v, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens, maxCost, queueCost, requestTimeout, bodyTimeout, maxBodiesPerClient, maxBodiesReceiving, allowedHosts, engineThreads, maxWork);
  }

  public ServerConfig withBatching(boolean v) {
    return new ServerConfig(host, port, token, queueCapacity, v, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens, maxCost, queueCost, requestTimeout, bodyTimeout, maxBodiesPerClient, maxBodiesReceiving, allowedHosts, engineThreads, maxWork);
  }

  public ServerConfig withMaxBodyBytes(int v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, v, maxSamples, maxTokens, maxCost, queueCost, requestTimeout, bodyTimeout, maxBodiesPerClient, maxBodiesReceiving, allowedHosts, engineThreads, maxWork);
  }

  public ServerConfig withMaxSamples(int v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, v, maxTokens, maxCost, queueCost, requestTimeout, bodyTimeout, maxBodiesPerClient, maxBodiesReceiving, allowedHosts, engineThreads, maxWork);
  }

  public ServerConfig withMaxTokens(int v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, v, maxCost, queueCost, requestTimeout, bodyTimeout, maxBodiesPerClient, maxBodiesReceiving, allowedHosts, engineThreads, maxWork);
  }

  public ServerConfig withQueueCost(long v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens, maxCost, v, requestTimeout, bodyTimeout, maxBodiesPerClient, maxBodiesReceiving, allowedHosts, engineThreads, maxWork);
  }

  public ServerConfig withRequestTimeout(Duration v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens, maxCost, queueCost, v, bodyTimeout, maxBodiesPerClient, maxBodiesReceiving, allowedHosts, engineThreads, maxWork);
  }

  public ServerConfig withBodyTimeout(Duration v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens, maxCost, queueCost, requestTimeout, v, maxBodiesPerClient, maxBodiesReceiving, allowedHosts, engineThreads, maxWork);
  }

  public ServerConfig withMaxBodiesPerClient(int v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens, maxCost, queueCost, requestTimeout, bodyTimeout, v, maxBodiesReceiving, allowedHosts, engineThreads, maxWork);
  }

  public ServerConfig withMaxBodiesReceiving(int v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens, maxCost, queueCost, requestTimeout, bodyTimeout, maxBodiesPerClient, v, allowedHosts, engineThreads, maxWork);
  }

  public ServerConfig withMaxWork(Duration v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens, maxCost, queueCost, requestTimeout, bodyTimeout, maxBodiesPerClient, maxBodiesReceiving, allowedHosts, engineThreads, v);
  }

  /** This configuration with a per-request cost cap of {@code v}, raising the queue's cost bound to fit one. */
  public ServerConfig withMaxCost(long v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens, v, Math.max(queueCost, v), requestTimeout, bodyTimeout, maxBodiesPerClient, maxBodiesReceiving, allowedHosts, engineThreads, maxWork);
  }

  @Override
  public String toString() {
    return "ServerConfig[host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "set") + ", queue="
        + queueCapacity + ", batching=" + batching + ", maxBatchSequences=" + maxBatchSequences + ", maxBodyBytes="
        + maxBodyBytes + ", maxSamples=" + maxSamples + ", maxTokens=" + maxTokens + ", maxCost=" + maxCost + ", queueCost="
        + queueCost + ", timeout=" + requestTimeout + ", bodyTimeout=" + bodyTimeout + ", maxBodiesPerClient="
        + maxBodiesPerClient + ", maxBodiesReceiving=" + maxBodiesReceiving + ", maxWork=" + maxWork + ", allowedHosts=" + effectiveAllowedHosts() + "]";
  }
}
