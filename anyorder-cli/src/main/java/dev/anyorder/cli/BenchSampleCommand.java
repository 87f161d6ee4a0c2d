package dev.anyorder.cli;

import dev.anyorder.options.BackendConverter;
import dev.anyorder.options.WeightsOption;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.Backend;
import dev.anyorder.api.BackendCrossover;
import dev.anyorder.data.SourceFile;
import dev.anyorder.evaluation.CallCostBenchmark;
import dev.anyorder.evaluation.SamplerBenchmark;
import dev.anyorder.io.AtomicFiles;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.WeightLayout;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.sampling.DrafterKind;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code anyorder bench sample}: every sampler on the same infilling and unconditional requests, on each
 * backend, with tokens per NFE, tokens per second and the NLL of the output; the wall-clock speed of each
 * sampler relative to sequential decoding on the same backend, and best against best (each sampler on its
 * faster backend against sequential decoding on its faster backend); the per-token latency of one
 * sequence; and the cost of a call by shape on both backends, whose crossover {@link Backend#AUTO} uses.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Compare samplers and backends: tokens/NFE, tokens/s and NLL vs sequential, best vs best, latency, backend crossover.")
final class BenchSampleCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Model directory (a text model).") Path model;
  @Option(names = "--data", defaultValue = "data/kjv.txt.gz", description = "Text to cut windows from (default: ${DEFAULT-VALUE}).")
  Path data;
  @Option(names = "--window", defaultValue = "256", description = "Window length, capped at the model's maximum (default: ${DEFAULT-VALUE}).")
  int window;
  @Option(names = "--windows", defaultValue = "16", description = "Windows per scenario (default: ${DEFAULT-VALUE}).") int windows;
  @Option(names = "--mask", defaultValue = "0.95", description = "Fraction of each window to infill (default: ${DEFAULT-VALUE}).") double mask;
  @Option(names = "--batch", defaultValue = "8") int batch;
  @Option(names = "--seed", defaultValue = "1") long seed;
  @Option(names = "--threads", defaultValue = "1") int threads;
  @Mixin
  WeightsOption weights;
  @Option(names = "--repeats", defaultValue = "5",
      description = "Timed rounds per sampler after an untimed one; each sampler's time is its median round (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--backend", converter = BackendConverter.class,
      description = "Run only this backend (auto, djl or java); default: djl and java side by side, with best-vs-best and the crossover.")
  Backend backend;

  @Option(names = "--random-size", paramLabel = "LAYERSxWIDTHxBLOCK",
      description = "Time a model of this size with random (GPT-2 initial) weights and the model's vocabulary instead of the trained one, e.g. 6x384x256.")
  String randomSize;

  @Option(names = "--save-crossover",
      description = "Write the measured backend crossover to the model directory (" + BackendCrossover.FILE + "), where --backend auto reads it.")
  boolean saveCrossover;

  @Option(names = "--unconditional", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also run the unconditional scenario (default: ${DEFAULT-VALUE}).")
  boolean unconditional;

  @Option(names = "--out", description = "Also write the results as JSON to this file.") Path out;

  @Override
  public Integer call() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode report = json.createObjectNode();
    Path directory = model;
    Path scratch = null;
    if (randomSize != null) {
      scratch = Files.createTempDirectory("anyorder-bench-random");
      directory = randomModel(model, randomSize, scratch.resolve("model"));
      System.out.println("RANDOM WEIGHTS: timing a " + randomSize + " model with GPT-2 initial weights and the vocabulary of " + model
          + "; speeds are real, sample quality and acceptance rates are not those of a trained model");
      report.put("randomWeights", randomSize);
    }
    try {
      run(directory, json, report);
    } finally {
      if (scratch != null) {
        AtomicFiles.deleteRecursively(scratch);
      }
    }
    if (out != null) {
      Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }
    return 0;
  }

  private void run(Path directory, ObjectMapper json, ObjectNode report) {
    List<Backend> engines = backend == null ? List.of(Backend.DJL, Backend.JAVA) : List.of(backend);
    Map<Backend, AnyOrderModel> models = new LinkedHashMap<>();
    try {
      for (Backend b : engines) {
        models.put(b, AnyOrderModel.load(directory, b, threads, weights.format));
      }
      AnyOrderModel m = models.values().iterator().next();
      if (!m.vocabulary().isText()) {
        throw new IllegalArgumentException("bench sample needs a text model; " + model + " uses token ids");
      }
      ModelConfig config = m.config();
      int n = Math.min(window, config.maxLength());
      int[] corpus = m.vocabulary().encode(SourceFile.readText(data).text());
      SplittableRandom rng = new SplittableRandom(seed);
      List<SampleRequest> infill = new ArrayList<>();
      for (int w = 0; w < windows; w++) {
        int start = corpus.length - n - rng.nextInt(corpus.length / 10); // held-out tail of the corpus
        int[] given = new int[n];
        for (int i = 0; i < n; i++) {
          given[i] = rng.nextDouble() < mask ? SampleRequest.UNKNOWN : corpus[start + i];
        }
        if (!config.startSlot() && Arrays.stream(given).allMatch(t -> t == SampleRequest.UNKNOWN)) {
          given[0] = corpus[start]; // a model without a start slot needs one known token
        }
        infill.add(new SampleRequest(given));
      }
      List<SampleRequest> blank = new ArrayList<>();
      for (int w = 0; w < windows; w++) {
        blank.add(SampleRequest.unconditional(n));
      }
      report.put("model", model.toString()).put("window", n).put("windows", windows).put("mask", mask).put("threads", threads)
          .put("repeats", repeats).put("weights", weights.format.label()).put("batch", batch).put("layers", config.layers()).put("width", config.dim()).put("block", config.maxLength());
      System.out.printf("model %s: %d layers, width %d, block %d, %s weights; windows of %d tokens, batch %d, %d thread(s); "
          + "tok/s from the median of %d timed rounds, samplers taking turns%n", directory,
          config.layers(), config.dim(), config.maxLength(), weights.format, n, batch, threads, repeats);
      Map<String, List<SampleRequest>> scenarios = new LinkedHashMap<>();
      scenarios.put(String.format("infill %.0f%% of %d-token windows", 100 * mask, n), infill);
      if (!config.startSlot()) {
        // A model without a start slot (an imported σ-GPT) cannot predict a first token from nothing.
        System.out.println("skipping the unconditional scenario: this model has no start slot, so it needs at least one known token");
        report.put("skipped", "unconditional: the model has no start slot");
      } else if (unconditional) {
        scenarios.put(String.format("unconditional, %d tokens", n), blank);
      }
      for (Map.Entry<String, List<SampleRequest>> s : scenarios.entrySet()) {
        ObjectNode scenario = report.putObject(s.getKey());
        Map<Backend, List<SamplerBenchmark.Row>> byEngine = new LinkedHashMap<>();
        for (Map.Entry<Backend, AnyOrderModel> e : models.entrySet()) {
          List<SamplerBenchmark.Row> rows = SamplerBenchmark.run(e.getValue().network(), entries(), s.getValue(), batch, repeats);
          byEngine.put(e.getKey(), rows);
          printRows(s.getKey() + ", backend " + name(e.getKey()), rows);
          scenario.set(name(e.getKey()), json.valueToTree(rows));
        }
        if (byEngine.size() > 1) {
          scenario.set("bestVsBest", json.valueToTree(bestVsBest(s.getKey(), byEngine)));
        }
      }
      // A model without a start slot cannot decode from nothing: time it on infilling windows instead.
      report.set("latency", json.valueToTree(latency(models, config.startSlot() ? blank : infill)));
      if (models.containsKey(Backend.DJL) && models.containsKey(Backend.JAVA)) {
        crossover(models.get(Backend.DJL), models.get(Backend.JAVA), json, report);
      } else if (saveCrossover) {
        throw new IllegalArgumentException("--save-crossover measures both backends; leave out --backend");
      }
    } finally {
      models.values().forEach(AnyOrderModel::close);
    }
  }

  private static String name(Backend b) {
    return b.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static void printRows(String title, List<SamplerBenchmark.Row> rows) {
    System.out.println("\n" + title);
    System.out.printf("%-28s %7s %6s %8s %9s %10s %16s %10s %12s%n", "sampler", "tokens", "NFE", "tok/NFE", "rows/tok", "tok/s",
        "NLL (nats/tok)", "NFE vs seq", "speed vs seq");
    for (SamplerBenchmark.Row r : rows) {
      System.out.printf("%-28s %7d %6d %8.2f %9.2f %10.1f %9.3f ± %.3f %10.2f %12.2f%n", r.name(), r.tokens(), r.nfe(), r.tokensPerNfe(),
          r.rowsPerToken(), r.tokensPerSecond(), r.meanNll(), r.nllStandardError(), r.nfeRatio(), r.speedup());
    }
  }

  /** One sampler on its faster backend, against sequential decoding on its faster backend. */
  record BestRow(String sampler, String backend, double tokensPerSecond, double speedVsBestSequential) {}

  private static List<BestRow> bestVsBest(String scenario, Map<Backend, List<SamplerBenchmark.Row>> byEngine) {
    int samplers = byEngine.values().iterator().next().size();
    List<BestRow> best = new ArrayList<>();
    double sequential = 0;
    for (int i = 0; i < samplers; i++) {
      Backend winner = null;
      SamplerBenchmark.Row top = null;
      for (Map.Entry<Backend, List<SamplerBenchmark.Row>> e : byEngine.entrySet()) {
        SamplerBenchmark.Row r = e.getValue().get(i);
        if (top == null || r.tokensPerSecond() > top.tokensPerSecond()) {
          top = r;
          winner = e.getKey();
        }
      }
      if (i == 0) {
        sequential = top.tokensPerSecond();
      }
      best.add(new BestRow(top.name(), name(winner), top.tokensPerSecond(), top.tokensPerSecond() / sequential));
    }
    System.out.println("\n" + scenario + ": best backend for each sampler vs best backend for sequential");
    System.out.printf("%-28s %-7s %10s %14s%n", "sampler", "backend", "tok/s", "speed vs seq");
    for (BestRow r : best) {
      System.out.printf("%-28s %-7s %10.1f %14.2f%n", r.sampler(), r.backend(), r.tokensPerSecond(), r.speedVsBestSequential());
    }
    return best;
  }

  /** Milliseconds per generated token of one sequence decoded alone (batch 1), sequential and speculative. */
  record Latency(String sampler, String backend, long tokens, double millisPerToken) {}

  private List<Latency> latency(Map<Backend, AnyOrderModel> models, List<SampleRequest> requests) {
    List<SampleRequest> one = requests.subList(0, Math.min(2, requests.size()));
    List<Latency> rows = new ArrayList<>();
    System.out.printf("%nper-token latency of one sequence (batch 1, %d windows of %d tokens, %d generated)%n", one.size(),
        one.get(0).length(), one.stream().mapToInt(r -> r.targetPositions().length).sum());
    System.out.printf("%-28s %-7s %9s %12s%n", "sampler", "backend", "tokens", "ms/token");
    for (SamplerBenchmark.Entry e : entries().subList(0, 2)) {
      for (Map.Entry<Backend, AnyOrderModel> m : models.entrySet()) {
        SamplerBenchmark.Row r = SamplerBenchmark.run(m.getValue().network(), List.of(e), one, 1, repeats).get(0);
        Latency l = new Latency(e.name(), name(m.getKey()), r.tokens(), 1000 * r.seconds() / r.tokens());
        System.out.printf("%-28s %-7s %9d %12.3f%n", l.sampler(), l.backend(), l.tokens(), l.millisPerToken());
        rows.add(l);
      }
    }
    return rows;
  }

  private void crossover(AnyOrderModel djl, AnyOrderModel java, ObjectMapper json, ObjectNode report) {
    List<CallCostBenchmark.Point> points = CallCostBenchmark.run(djl.network(), java.network(), 5);
    System.out.println("\ncost of one call (ms, best of 5) by batch and query rows per sequence, cache half full");
    System.out.printf("%6s %6s %6s %10s %10s %8s%n", "batch", "rows", "total", "djl", "java", "faster");
    for (CallCostBenchmark.Point p : points) {
      System.out.printf("%6d %6d %6d %10.3f %10.3f %8s%n", p.batch(), p.rowsPerSequence(), p.rows(), p.djlMillis(), p.javaMillis(),
          p.javaMillis() < p.djlMillis() ? "java" : "djl");
    }
    BackendCrossover measured = new BackendCrossover(CallCostBenchmark.javaMaxRows(points), "bench sample");
    BackendCrossover current = BackendCrossover.forModel(model);
    System.out.printf("crossover: the Java backend is faster up to %d rows per call (in use for this model: %d, from %s)%n",
        measured.javaMaxRows(), current.javaMaxRows(), current.source());
    report.set("callCost", json.valueToTree(points));
    report.put("javaMaxRows", measured.javaMaxRows());
    if (saveCrossover) {
      if (randomSize != null) {
        throw new IllegalArgumentException("--save-crossover would record a random model's crossover in " + model + "; leave out --random-size");
      }
      Path file = measured.save(model, String.format("anyorder bench sample --model %s --threads %d", model, threads));
      System.out.println("wrote " + file);
    }
  }

  /** A copy of {@code trained}'s vocabulary and options with random weights of the given size, saved in {@code target}. */
  private static Path randomModel(Path trained, String size, Path target) {
    String[] parts = size.toLowerCase(java.util.Locale.ROOT).split("x");
    if (parts.length != 3) {
      throw new IllegalArgumentException("--random-size must be LAYERSxWIDTHxBLOCK, e.g. 6x384x256; got '" + size + "'");
    }
    int layers;
    int width;
    int block;
    try {
      layers = Integer.parseInt(parts[0]);
      width = Integer.parseInt(parts[1]);
      block = Integer.parseInt(parts[2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--random-size must be three integers LAYERSxWIDTHxBLOCK; got '" + size + "'");
    }
    SavedModel saved = ModelDirectory.load(ModelDirectory.locate(trained));
    ModelConfig c = saved.config();
    int heads = Math.max(1, width / 64);
    ModelConfig config = new ModelConfig(c.vocabSize(), block, layers, heads, width, c.mlpRatio(), 0.0, c.positions(), c.bias(), c.startSlot());
    Map<String, float[]> w = SigmaGpt.initialWeights(config, 1);
    w.put(WeightLayout.LM_HEAD, w.get(WeightLayout.WTE).clone());
    ModelDirectory.save(target, SavedModel.of(config, saved.vocabulary(), NamedTensor.inLayout(config, w)));
    return target;
  }

  private List<SamplerBenchmark.Entry> entries() {
    SamplerConfig base = SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withOrder(OrderKind.RANDOM).withSeed(seed);
    SamplerConfig spec = base.withKind(SamplerKind.SPECULATIVE).withK(4).withAdaptiveK(true).withBonus(true);
    return List.of(
        new SamplerBenchmark.Entry("sequential (random order)", base),
        new SamplerBenchmark.Entry("speculative self k=4 adapt", spec.withDrafter(DrafterKind.SELF)),
        new SamplerBenchmark.Entry("speculative ngram k=4 adapt", spec.withDrafter(DrafterKind.NGRAM)),
        new SamplerBenchmark.Entry("burst M=5 (not exact)", base.withKind(SamplerKind.BURST).withBurstOrders(5)),
        new SamplerBenchmark.Entry("adaptive margin k=1", base.withKind(SamplerKind.ADAPTIVE).withRule(PositionRule.MARGIN).withK(1)),
        new SamplerBenchmark.Entry("adaptive margin k=4", base.withKind(SamplerKind.ADAPTIVE).withRule(PositionRule.MARGIN).withK(4)));
  }
}
