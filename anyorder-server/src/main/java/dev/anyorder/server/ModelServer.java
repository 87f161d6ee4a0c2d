package dev.anyorder.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.Backend;
import dev.anyorder.io.InvalidFieldException;
import dev.anyorder.io.JsonFields;
import dev.anyorder.io.ModelConfigJson;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.model.WeightFormat;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.sampling.DrafterKind;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.SamplerConfigJson;
import dev.anyorder.sampling.SamplerDefaults;
import dev.anyorder.sampling.SamplerKind;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP model server: a JSON API under {@code /v1} ({@code generate}, {@code infill}, {@code score},
 * {@code model}, {@code task}), {@code /healthz}, and the live web page at {@code /}, all from one
 * process on Javalin (Jetty).
 *
 * <p>Requests are validated on the HTTP threads and queued for the single {@link InferenceWorker} thread
 * that owns the model; a full queue answers {@code 429}. Generation requests may stream Server-Sent
 * Events, one per committed step, then a {@code result} event. Errors are JSON
 * {@code {"error": {...}}} with a 4xx status for anything the client did and 5xx only for failures of
 * the server itself; no stack trace ever reaches a client.
 *
 * <pre>{@code
 * try (ModelServer server = ModelServer.start(Path.of("runs/kjv"), ServerConfig.defaults().withPort(0))) {
 *   System.out.println("serving on " + server.uri());
 * }
 * }</pre>
 */
public final class ModelServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);
  /**
   * A stream writes a short comment this often while nothing else happens. Writing is how a stream learns
   * that its client left (the page's Stop closes it; the first write after that draws a reset, the next one
   * fails), so this bounds how long a job whose client is gone keeps its place in the queue or, running,
   * keeps the model for more than one call: a burst round may commit nothing for several calls.
   */
  private static final long KEEP_ALIVE_MILLIS = 100;
  private static final long IDLE_TIMEOUT_MILLIS = 30_000;
  private static final byte[] SSE_KEEP_ALIVE = ":\n\n".getBytes(StandardCharsets.UTF_8);

  private final ServerConfig config;
  private final InferenceWorker worker;
  private final RequestParser parser;
  private final CostModel costs;
  /** Request bodies being received by the whole server (see {@link ServerConfig#maxBodiesReceiving()}). */
  private final java.util.concurrent.atomic.AtomicInteger bodiesReceiving = new java.util.concurrent.atomic.AtomicInteger();
  private final ResponseWriter writer;
  private final ObjectNode modelInfo;
  private final Optional<ModelTask> task;
  private final byte[] token;
  private final java.util.List<String> allowedHosts;
  private final java.util.concurrent.ConcurrentHashMap<String, Integer> bodiesByClient = new java.util.concurrent.ConcurrentHashMap<>();
  private final Javalin app;
  private volatile boolean stopped;

  private ModelServer(Supplier<AnyOrderModel> loader, ServerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.worker = new InferenceWorker(loader, config);
    AnyOrderModel model;
    try {
      model = worker.awaitModel();
    } catch (RuntimeException e) {
      worker.close();
      throw e;
    }
    // Requests to a model that records the decoding it was made for start from it (see SamplerDefaults).
    SamplerDefaults samplerDefaults = new SamplerDefaults(model.recommendedDecoding());
    this.costs = worker.costModel();
    this.parser = new RequestParser(model.config(), model.vocabulary(), config, samplerDefaults, model.gapLayout(), costs);
    this.writer = new ResponseWriter(model.vocabulary());
    this.task = ModelTask.of(model.saved());
    this.modelInfo = describe(model, samplerDefaults);
    this.allowedHosts = config.effectiveAllowedHosts();
    this.token = config.token() == null ? null : config.token().getBytes(StandardCharsets.US_ASCII);
    this.app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.http.maxRequestSize = config.maxBodyBytes();
      cfg.http.asyncTimeout = config.requestTimeout().toMillis() + 10_000;
      cfg.http.prefer405over404 = true;
      cfg.http.disableCompression();
      cfg.jetty.defaultHost = config.host();
      cfg.jetty.defaultPort = config.port();
      cfg.jetty.addConnector((server, http) -> {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        // A connection that sends nothing for this long is closed; a body read also has its own deadline.
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        return connector;
      });
      cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
      cfg.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = "/web";
        files.location = Location.CLASSPATH;
      });
    });
    routes();
    try {
      app.start();
    } catch (RuntimeException e) {
      worker.close();
      throw e;
    }
    LOG.info("serving {} on {} ({})", model.directory(), uri(), config);
  }

  /**
   * Loads the model directory on the inference thread and starts serving it. A directory that holds one
   * model below it (a benchmark or demo report) is accepted; see {@link ModelDirectory#locate}.
   */
  public static ModelServer start(Path modelDirectory, ServerConfig config) {
    return start(modelDirectory, Backend.DEFAULT, config);
  }

  /** As {@link #start(Path, ServerConfig)}, on the given backend. */
  public static ModelServer start(Path modelDirectory, Backend backend, ServerConfig config) {
    return start(modelDirectory, backend, WeightFormat.FLOAT32, config);
  }

  /** As {@link #start(Path, ServerConfig)}, on the given backend with the weight matrices kept in {@code weights}. */
  public static ModelServer start(Path modelDirectory, Backend backend, WeightFormat weights, ServerConfig config) {
    Objects.requireNonNull(modelDirectory, "modelDirectory");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(weights, "weights");
    Path located = ModelDirectory.locate(modelDirectory);
    return start(() -> AnyOrderModel.load(located, backend, config.engineThreads(), weights), config);
  }

  /**
   * Starts serving the model {@code loader} returns; the loader runs on the inference thread, which then
   * owns the model and closes it on {@link #stop()}.
   */
  public static ModelServer start(Supplier<AnyOrderModel> loader, ServerConfig config) {
    return new ModelServer(loader, config);
  }

  /** The port the server listens on (the actual one when configured with port 0). */
  public int port() {
    return app.port();
  }

  /** The base address, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return URI.create("http://" + host + ":" + port() + "/");
  }

  public ServerConfig config() {
    return config;
  }

  /** Stops accepting requests, fails waiting ones with 503, stops the inference thread and frees the model. */
  public void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    long t0 = System.nanoTime();
    worker.close();
    long t1 = System.nanoTime();
    app.stop();
    LOG.info("server stopped (inference thread in {} ms, HTTP in {} ms)", (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Blocks until the process is asked to end (SIGTERM, SIGINT), then stops the server; for a server that is
   * the process's whole job ({@code anyorder serve}). The stop ends a running batch at its next network call,
   * so the process exits promptly even mid-request.
   */
  public void awaitTermination() throws InterruptedException {
    java.util.concurrent.CountDownLatch stoppedLatch = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop();
      stoppedLatch.countDown();
    }, "anyorder-serve-shutdown"));
    stoppedLatch.await();
  }

  private void routes() {
    app.before(this::screen);
    app.before("/v1/*", this::authorize);
    app.get("/healthz", this::health);
    app.get("/v1/model", ctx -> json(ctx, 200, modelInfo));
    app.get("/v1/task", ctx -> json(ctx, 200, requireTask().describe()));
    app.get("/v1/task/instance", this::taskInstance);
    app.post("/v1/task/check", this::taskCheck);
    app.post("/v1/generate", ctx -> generate(ctx, parser.generate(body(ctx))));
    app.post("/v1/infill", ctx -> {
      byte[] body = body(ctx);
      java.util.Optional<GapFillSpec> gaps = parser.gapInfill(body);
      if (gaps.isPresent()) {
        GapFillJob job = new GapFillJob(gaps.get(), parser.cost(gaps.get()));
        submit(job);
        respondWhenDone(ctx, job);
      } else {
        generate(ctx, parser.infill(body));
      }
    });
    app.post("/v1/score", ctx -> score(ctx, parser.score(body(ctx))));
    app.exception(ApiException.class, (e, ctx) -> json(ctx, e.status(), ResponseWriter.error(e)));
    app.exception(InvalidFieldException.class, (e, ctx) -> json(ctx, 400, ResponseWriter.error(ApiException.invalidField(e))));
    app.exception(HttpResponseException.class, (e, ctx) -> json(ctx, e.getStatus(),
        ResponseWriter.error(new ApiException(e.getStatus() >= 400 ? e.getStatus() : 500, JsonErrorHandler.codeOf(e.getStatus()), null,
            StrictJson.oneLine(e.getMessage())))));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
      json(ctx, 500, ResponseWriter.error(InferenceWorker.internalError()));
    });
    app.error(404, ctx -> {
      if (ctx.result() == null) {
        json(ctx, 404, ResponseWriter.error(new ApiException(404, "not_found", null, "no such endpoint: " + ctx.method() + " "
            + StrictJson.oneLine(ctx.path()))));
      }
    });
    app.error(405, ctx -> {
      if (ctx.result() == null) {
        json(ctx, 405, ResponseWriter.error(new ApiException(405, "method_not_allowed", null, ctx.method() + " is not allowed on "
            + StrictJson.oneLine(ctx.path()))));
      }
    });
  }

  /**
   * Every response carries the security headers; a request for a host name not allowed is refused, so a
   * page on another site cannot reach a loopback server through DNS rebinding.
   */
  private void screen(Context ctx) {
    SecurityHeaders.NAMES_AND_VALUES.forEach(ctx::header);
    if (allowedHosts.isEmpty()) {
      return;
    }
    String host = hostName(ctx.header("Host"));
    if (host == null || !allowedHosts.contains(host)) {
      throw new ApiException(403, "host_not_allowed", null, "this server does not answer for host '"
          + StrictJson.oneLine(String.valueOf(host)) + "'; allowed: " + String.join(", ", allowedHosts));
    }
  }

  /** The name of a Host header without its port, lower case ({@code [::1]} keeps its brackets). */
  static String hostName(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim().toLowerCase(java.util.Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private void authorize(Context ctx) {
    if (token == null) {
      return;
    }
    String header = ctx.header("Authorization");
    byte[] given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (!MessageDigest.isEqual(given, token)) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"anyorder\"");
      throw new ApiException(401, "unauthorized", null, header == null
          ? "this server needs 'Authorization: Bearer <token>'" : "the bearer token is not valid");
    }
  }

  private void health(Context ctx) {
    ObjectNode o = ResponseWriter.MAPPER.createObjectNode();
    boolean alive = worker.alive() && !stopped;
    o.put("status", alive ? "ok" : "unavailable");
    ObjectNode queue = o.putObject("queue");
    queue.put("size", worker.queued());
    queue.put("capacity", config.queueCapacity());
    queue.put("cost", worker.queuedCost());
    queue.put("cost_capacity", config.queueCost());
    o.put("batching", config.batching());
    ObjectNode stats = o.putObject("stats");
    long batches = worker.batches.get();
    stats.put("batches", batches);
    stats.put("sequences", worker.batchedSequences.get());
    stats.put("requests", worker.jobsRun.get());
    stats.put("mean_batch_sequences", batches == 0 ? 0 : ResponseWriter.round((double) worker.batchedSequences.get() / batches));
    stats.put("rejected", worker.rejected.get());
    stats.put("abandoned_batches", worker.abandoned.get());
    stats.put("failures", worker.failures.get());
    stats.put("yields", worker.yields.get());
    stats.put("busy_ms", ResponseWriter.round(worker.busyNanos.get() / 1e6));
    ObjectNode memory = o.putObject("memory");
    long rss = residentBytes();
    if (rss >= 0) {
      memory.put("rss_bytes", rss);
    } else {
      memory.putNull("rss_bytes");
    }
    Runtime rt = Runtime.getRuntime();
    memory.put("heap_used_bytes", rt.totalMemory() - rt.freeMemory());
    json(ctx, alive ? 200 : 503, o);
  }

  /**
   * The process's resident memory (Java heap plus native, PyTorch's included) from {@code /proc/self/status},
   * or -1 where there is none; load tests watch it to see that native memory goes back after large requests.
   */
  static long residentBytes() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("no resident memory figure: {}", e.toString());
    }
    return -1;
  }

  private ModelTask requireTask() {
    return task.orElseThrow(() -> new ApiException(404, "no_task", null,
        "this model's training record names no maze or Sudoku task"));
  }

  private void taskInstance(Context ctx) {
    ModelTask t = requireTask();
    String seedParam = ctx.queryParam("seed");
    long seed;
    if (seedParam == null) {
      seed = System.nanoTime();
    } else {
      try {
        seed = Long.parseLong(seedParam);
      } catch (NumberFormatException e) {
        throw ApiException.invalidField("seed", "'seed' must be a 64-bit integer");
      }
    }
    json(ctx, 200, t.instance(seed));
  }

  /**
   * {@code POST /v1/task/check}: whether {@code tokens} solve the instance of {@code seed}, with the wrong
   * cells (see {@link PuzzleVerdict}). Cheap, so it runs on the HTTP thread rather than the model's.
   */
  private void taskCheck(Context ctx) throws IOException {
    ModelTask t = requireTask();
    JsonFields f = StrictJson.parse(body(ctx)).allowOnly(java.util.Set.of("seed", "tokens"));
    Long seed = f.optionalLong("seed");
    if (seed == null) {
      throw ApiException.invalidField("seed", "'seed' is required: the seed of the instance (from /v1/task/instance)");
    }
    int[] tokens = f.optionalIntArray("tokens", t.task().length(), 0, t.task().vocabSize() - 1);
    if (tokens == null) {
      throw ApiException.invalidField("tokens", "'tokens' is required: the generated sequence to judge");
    }
    json(ctx, 200, t.check(seed, tokens));
  }

  private void generate(Context ctx, GenerationSpec spec) {
    if (spec.stream()) {
      stream(ctx, spec);
      return;
    }
    GenerationJob job = new GenerationJob(spec, parser.cost(spec), null);
    submit(job);
    respondWhenDone(ctx, job);
  }

  private void score(Context ctx, ScoringSpec spec) {
    ScoringJob job = new ScoringJob(spec, parser.cost(spec));
    submit(job);
    respondWhenDone(ctx, job);
  }

  private void submit(InferenceJob job) {
    if (stopped || !worker.offer(job)) {
      job.cancel("not queued");
      if (stopped) {
        throw new ApiException(503, "shutting_down", null, "the server is shutting down");
      }
      throw new ApiException(429, "queue_full", null, "the request queue is full (at most " + config.queueCapacity()
          + " requests or a cost of " + config.queueCost() + " may wait; this request costs " + job.cost() + "); retry later");
    }
    job.result().whenComplete((response, error) -> {
      if (error != null) {
        worker.remove(job);
      }
    });
  }

  private void respondWhenDone(Context ctx, InferenceJob job) {
    ctx.future(() -> job.result().handle((response, error) -> {
      if (error == null) {
        json(ctx, 200, response);
      } else {
        ApiException e = asApiError(error, job);
        json(ctx, e.status(), ResponseWriter.error(e));
      }
      return null;
    }));
  }

  /**
   * Server-Sent Events: {@code commit} per committed step, then {@code result} or {@code error} as soon as
   * the job ends (its completion wakes the stream; there is no polling delay), with a keep-alive comment
   * while nothing happens.
   */
  private void stream(Context ctx, GenerationSpec spec) {
    LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    Object ended = new Object();
    GenerationJob job = new GenerationJob(spec, parser.cost(spec), events::add);
    submit(job);
    // Commits are queued on the inference thread before it completes the job, so this marker comes last.
    job.result().whenComplete((response, error) -> events.add(ended));
    ctx.res().setStatus(200);
    ctx.res().setContentType("text/event-stream;charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-cache");
    ctx.res().setHeader("X-Accel-Buffering", "no");
    try {
      OutputStream out = ctx.res().getOutputStream();
      out.write(": queued\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (true) {
        Object event = events.poll(KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS);
        if (event == null) {
          out.write(SSE_KEEP_ALIVE);
          out.flush();
        } else if (event == ended) {
          finishStream(out, job);
          return;
        } else {
          sendEvent(out, "commit", writer.commit((GenerationJob.CommitEvent) event));
        }
      }
    } catch (IOException e) {
      job.cancel("client disconnected");
      LOG.debug("stream of request {} ended: client disconnected", job.id);
    } catch (InterruptedException e) {
      job.cancel("server thread interrupted");
      Thread.currentThread().interrupt();
    }
  }

  private void finishStream(OutputStream out, GenerationJob job) throws IOException {
    try {
      sendEvent(out, "result", job.result().join());
    } catch (CompletionException | CancellationException e) {
      sendEvent(out, "error", ResponseWriter.error(asApiError(e, job)));
    }
  }

  private static void sendEvent(OutputStream out, String name, ObjectNode data) throws IOException {
    byte[] json = ResponseWriter.MAPPER.writeValueAsBytes(data);
    out.write(("event: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8));
    out.write(json);
    out.write("\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private ApiException asApiError(Throwable error, InferenceJob job) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ApiException api) {
      return api;
    }
    if (t instanceof TimeoutException) {
      long waited = Math.round((System.nanoTime() - job.enqueuedNanos) / 1e6);
      if (job.clientDeadline) {
        // The client's own deadline: its constraint, not a server failure.
        return new ApiException(408, "deadline_exceeded", "timeout_ms", "the request did not finish within 'timeout_ms' (waited "
            + waited + " ms); ask for less or allow more time");
      }
      return new ApiException(503, "timeout", null, "the server could not finish the request within its limit of "
          + config.requestTimeout().toMillis() + " ms (waited " + waited + " ms); retry later or ask for less");
    }
    if (t instanceof CancellationException) {
      return new ApiException(503, "cancelled", null, "the request was cancelled");
    }
    LOG.error("request {} failed", job.id, t);
    return InferenceWorker.internalError();
  }

  /**
   * Reads at most {@link ServerConfig#maxBodyBytes()} of a JSON body (more is a {@code 413}) within
   * {@link ServerConfig#bodyTimeout()} (slower is a {@code 408}). A client may be sending at most
   * {@link ServerConfig#maxBodiesPerClient()} bodies at once, and the server at most
   * {@link ServerConfig#maxBodiesReceiving()}: each holds a server thread while it trickles in, so without
   * these bounds a few hundred slow senders (from one address, or from many) would stall every endpoint.
   */
  private byte[] body(Context ctx) throws IOException {
    String type = ctx.contentType();
    String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      // Browsers send text/plain and form types cross-site without a preflight; requiring JSON stops
      // another site from starting generations on a tokenless local server.
      throw new ApiException(415, "unsupported_media_type", null, type == null
          ? "send the body with 'Content-Type: application/json'"
          : "send the body as application/json, not " + StrictJson.oneLine(type));
    }
    String charset = ctx.req().getCharacterEncoding();
    if (charset != null && !charset.trim().replace("\"", "").equalsIgnoreCase("utf-8")) {
      // The API's one encoding; a body in another would be misread, or guessed at.
      throw new ApiException(415, "unsupported_media_type", null, "send the body as UTF-8 JSON, not charset "
          + StrictJson.oneLine(charset));
    }
    long declared = ctx.req().getContentLengthLong();
    if (declared > config.maxBodyBytes()) {
      throw tooLarge();
    }
    if (declared >= 0 && declared <= ctx.req().getInputStream().available()) {
      // The whole body arrived with the headers, so reading it holds no thread: it is not an upload to limit.
      // Counting it too would turn away bursts of ordinary requests from one address (a proxy, a load test).
      return readBody(ctx);
    }
    String client = String.valueOf(ctx.req().getRemoteAddr());
    int[] sending = new int[1];
    bodiesByClient.compute(client, (k, v) -> sending[0] = v == null ? 1 : v + 1);
    int receiving = bodiesReceiving.incrementAndGet();
    try {
      if (sending[0] > config.maxBodiesPerClient()) {
        ctx.header("Connection", "close");
        throw new ApiException(429, "too_many_uploads", null, "this address is already sending " + config.maxBodiesPerClient()
            + " request bodies; wait for them to finish");
      }
      if (receiving > config.maxBodiesReceiving()) {
        // Answered at once, without reading the body: the thread goes back to the pool for /healthz and the rest.
        ctx.header("Connection", "close");
        ctx.header("Retry-After", "1");
        throw new ApiException(503, "too_many_uploads", null, "the server is already receiving " + config.maxBodiesReceiving()
            + " request bodies; send the body in one piece or retry later");
      }
      return readBody(ctx);
    } finally {
      bodiesReceiving.decrementAndGet();
      bodiesByClient.computeIfPresent(client, (k, v) -> v <= 1 ? null : v - 1);
    }
  }

  private byte[] readBody(Context ctx) throws IOException {
    long deadline = System.nanoTime() + config.bodyTimeout().toNanos();
    org.eclipse.jetty.io.EndPoint endPoint = endPoint(ctx);
    long idle = endPoint == null ? 0 : endPoint.getIdleTimeout();
    java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try (InputStream in = ctx.req().getInputStream()) {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw slowBody();
        }
        if (endPoint != null) {
          // A client that stops sending altogether wakes the blocked read at the deadline.
          endPoint.setIdleTimeout(left / 1_000_000 + 1); // rounded up, so it fires after the deadline, not before
        }
        int n;
        try {
          n = in.read(chunk);
        } catch (IOException e) {
          if (System.nanoTime() - deadline >= 0 || causedByTimeout(e)) {
            throw slowBody();
          }
          throw e;
        }
        if (n < 0) {
          break;
        }
        data.write(chunk, 0, n);
        if (data.size() > config.maxBodyBytes()) {
          throw tooLarge();
        }
      }
    } finally {
      if (endPoint != null) {
        endPoint.setIdleTimeout(idle);
      }
    }
    if (System.nanoTime() - deadline > 0) {
      throw slowBody();
    }
    return data.toByteArray();
  }

  /** Whether Jetty's idle timeout ended the read (a sender that stopped sending), not a broken connection. */
  private static boolean causedByTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static org.eclipse.jetty.io.EndPoint endPoint(Context ctx) {
    org.eclipse.jetty.server.Request base = org.eclipse.jetty.server.Request.getBaseRequest(ctx.req());
    return base == null || base.getHttpChannel() == null ? null : base.getHttpChannel().getEndPoint();
  }

  private ApiException slowBody() {
    return new ApiException(408, "request_timeout", null, "the request body did not arrive within "
        + config.bodyTimeout().toMillis() + " ms");
  }

  private ApiException tooLarge() {
    return new ApiException(413, "body_too_large", null, "the request body is larger than " + config.maxBodyBytes() + " bytes");
  }

  private static void json(Context ctx, int status, ObjectNode body) {
    try {
      ctx.status(status).contentType("application/json").result(ResponseWriter.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write a response", e);
    }
  }

  private ObjectNode describe(AnyOrderModel model, SamplerDefaults samplerDefaults) {
    ObjectNode o = ResponseWriter.MAPPER.createObjectNode();
    o.put("name", model.directory() == null ? "model" : String.valueOf(model.directory().getFileName()));
    o.set("config", ModelConfigJson.toJson(model.config()));
    o.put("parameters", model.config().parameterCount());
    o.set("vocabulary", model.vocabulary().toJson());
    o.put("text", model.vocabulary().isText());
    o.set("training", withoutDirectories(model.saved().training()));
    o.set("data", withoutDirectories(model.saved().data()));
    o.set("task", task.map(ModelTask::describe).orElse(null));
    ObjectNode options = o.putObject("options");
    labels(options.putArray("samplers"), Arrays.stream(SamplerKind.values()).map(SamplerKind::label).toArray(String[]::new));
    labels(options.putArray("orders"), OrderKind.labels());
    labels(options.putArray("rules"), Arrays.stream(PositionRule.values()).map(PositionRule::label).toArray(String[]::new));
    labels(options.putArray("drafters"), Arrays.stream(DrafterKind.values()).map(DrafterKind::label).toArray(String[]::new));
    // The defaults requests to this model start from, by request field, so front ends mirror them instead of
    // keeping their own: the library's, with the model's recommended decoding in place of its sampler's.
    options.put("default_sampler", samplerDefaults.defaultKind().label());
    ObjectNode defaults = options.putObject("defaults");
    for (SamplerKind kind : SamplerKind.values()) {
      defaults.set(kind.label(), SamplerConfigJson.toJson(samplerDefaults.forKind(kind)));
    }
    model.recommendedDecoding().ifPresent(r -> options.set("recommended", SamplerConfigJson.toJson(r)));
    ObjectNode limits = o.putObject("limits");
    limits.put("max_length", model.contentLength());
    model.gapLayout().ifPresent(g -> limits.putObject("gaps").put("slots", g.slots()).put("max_gap", g.maxGap()));
    limits.put("max_samples", config.maxSamples());
    limits.put("max_tokens", config.maxTokens());
    limits.put("max_cost", costs.maxCost());
    limits.put("max_work_ms", config.maxWork().toMillis());
    if (costs.measured()) {
      limits.put("cost_ns_per_row", ResponseWriter.round(costs.nanosPerRow()));
      limits.put("cost_rows_per_call", ResponseWriter.round(costs.rowsPerCall()));
      limits.put("cost_rows_per_sequence_call", ResponseWriter.round(costs.rowsPerSequenceCall()));
      ObjectNode factors = limits.putObject("cost_shape_factors");
      costs.shapeFactors().forEach((shape, f) -> factors.put(shape, ResponseWriter.round(f)));
    }
    limits.put("max_bodies_receiving", config.maxBodiesReceiving());
    limits.put("queue_cost", config.queueCost());
    limits.put("max_body_bytes", config.maxBodyBytes());
    limits.put("queue_capacity", config.queueCapacity());
    limits.put("max_batch_sequences", config.maxBatchSequences());
    limits.put("batching", config.batching());
    limits.put("timeout_ms", config.requestTimeout().toMillis());
    return o;
  }

  /** Keys whose text values name files or directories. */
  private static final java.util.regex.Pattern PATH_KEY = java.util.regex.Pattern.compile(
      "(?i).*(path|file|dir|directory|out|output|checkpoint|resume|data|model)s?");

  /**
   * A copy of a training or data record with every path cut to its file name: the record is the trainer's, and
   * its absolute paths tell a client about the server's file system (user names, layout) and nothing it needs.
   */
  static com.fasterxml.jackson.databind.JsonNode withoutDirectories(com.fasterxml.jackson.databind.JsonNode node) {
    if (node == null) {
      return null;
    }
    com.fasterxml.jackson.databind.JsonNode copy = node.deepCopy();
    stripDirectories(copy, null);
    return copy;
  }

  private static void stripDirectories(com.fasterxml.jackson.databind.JsonNode node, String key) {
    if (node instanceof ObjectNode o) {
      java.util.List<String> names = new java.util.ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        com.fasterxml.jackson.databind.JsonNode child = o.get(name);
        if (child.isTextual() && looksLikePath(name, child.asText())) {
          o.put(name, fileName(child.asText()));
        } else {
          stripDirectories(child, name);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        com.fasterxml.jackson.databind.JsonNode child = a.get(i);
        if (child.isTextual() && looksLikePath(key == null ? "" : key, child.asText())) {
          a.set(i, a.textNode(fileName(child.asText())));
        } else {
          stripDirectories(child, key);
        }
      }
    }
  }

  private static boolean looksLikePath(String key, String value) {
    boolean separated = value.indexOf('/') >= 0 || value.indexOf('\\') >= 0;
    boolean absolute = value.startsWith("/") || value.startsWith("~") || value.startsWith("\\\\") || value.matches("(?s)[A-Za-z]:[\\\\/].*");
    return absolute || (separated && PATH_KEY.matcher(key).matches());
  }

  private static String fileName(String path) {
    String trimmed = path.replaceAll("[/\\\\]+$", "");
    int cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
    return cut < 0 ? trimmed : trimmed.substring(cut + 1);
  }

  private static void labels(ArrayNode a, String[] labels) {
    for (String l : labels) {
      a.add(l);
    }
  }
}
