package dev.anyorder.server;

import java.time.Duration;
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
 * @param requestTimeout longest a request may wait and run before it gets {@code 503}; requests may ask
 *     for less with {@code timeout_ms}
 * @param engineThreads PyTorch intra-op threads of the inference thread
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
    Duration requestTimeout,
    int engineThreads) {

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
    Objects.requireNonNull(requestTimeout, "requestTimeout must be given");
    if (requestTimeout.isNegative() || requestTimeout.isZero() || requestTimeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("requestTimeout must be in (0, 1 h], got " + requestTimeout);
    }
    if (engineThreads < 1 || engineThreads > 256) {
      throw new IllegalArgumentException("engineThreads must be in 1..256, got " + engineThreads);
    }
  }

  /**
   * Loopback, port 8080, no token, a queue of 64, batching on with up to 64 sequences a batch, bodies up
   * to 256 KiB, 16 samples and 16384 tokens a request, 60 s timeout, one engine thread.
   */
  public static ServerConfig defaults() {
    return new ServerConfig("127.0.0.1", 8080, null, 64, true, 64, 256 << 10, 16, 16384, Duration.ofSeconds(60), 1);
  }

  public ServerConfig withHost(String v) {
    return new ServerConfig(v, port, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens,
        requestTimeout, engineThreads);
  }

  public ServerConfig withPort(int v) {
    return new ServerConfig(host, v, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens,
        requestTimeout, engineThreads);
  }

  public ServerConfig withToken(String v) {
    return new ServerConfig(host, port, v, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens,
        requestTimeout, engineThreads);
  }

  public ServerConfig withQueueCapacity(int v) {
    return new ServerConfig(host, port, token, v, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens,
        requestTimeout, engineThreads);
  }

  public ServerConfig withBatching(boolean v) {
    return new ServerConfig(host, port, token, queueCapacity, v, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens,
        requestTimeout, engineThreads);
  }

  public ServerConfig withMaxBatchSequences(int v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, v, maxBodyBytes, maxSamples, maxTokens,
        requestTimeout, engineThreads);
  }

  public ServerConfig withMaxBodyBytes(int v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, v, maxSamples, maxTokens,
        requestTimeout, engineThreads);
  }

  public ServerConfig withMaxSamples(int v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, v, maxTokens,
        requestTimeout, engineThreads);
  }

  public ServerConfig withMaxTokens(int v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, v,
        requestTimeout, engineThreads);
  }

  public ServerConfig withRequestTimeout(Duration v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens,
        v, engineThreads);
  }

  public ServerConfig withEngineThreads(int v) {
    return new ServerConfig(host, port, token, queueCapacity, batching, maxBatchSequences, maxBodyBytes, maxSamples, maxTokens,
        requestTimeout, v);
  }

  @Override
  public String toString() {
    return "ServerConfig[host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "set") + ", queue="
        + queueCapacity + ", batching=" + batching + ", maxBatchSequences=" + maxBatchSequences + ", maxBodyBytes="
        + maxBodyBytes + ", maxSamples=" + maxSamples + ", maxTokens=" + maxTokens + ", timeout=" + requestTimeout + "]";
  }
}
