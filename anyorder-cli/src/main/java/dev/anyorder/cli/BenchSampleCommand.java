package dev.anyorder.cli;

import dev.anyorder.options.BackendConverter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.Backend;
import dev.anyorder.data.SourceFile;
import dev.anyorder.evaluation.SamplerBenchmark;
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
import picocli.CommandLine.Option;

/**
 * {@code anyorder bench sample}: every sampler on the same infilling and unconditional requests, with
 * tokens per NFE, tokens per second and the NLL of the output, as ratios against sequential sampling.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Compare samplers side by side: tokens/NFE, tokens/s and NLL of the output vs sequential.")
final class BenchSampleCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Model directory (a text model).") Path model;
  @Option(names = "--data", defaultValue = "../shared/data/kjv.txt.gz", description = "Text to cut windows from (default: ${DEFAULT-VALUE}).")
  Path data;
  @Option(names = "--window", defaultValue = "256", description = "Window length, capped at the model's maximum (default: ${DEFAULT-VALUE}).")
  int window;
  @Option(names = "--windows", defaultValue = "16", description = "Windows per scenario (default: ${DEFAULT-VALUE}).") int windows;
  @Option(names = "--mask", defaultValue = "0.95", description = "Fraction of each window to infill (default: ${DEFAULT-VALUE}).") double mask;
  @Option(names = "--batch", defaultValue = "8") int batch;
  @Option(names = "--seed", defaultValue = "1") long seed;
  @Option(names = "--threads", defaultValue = "1") int threads;

  @Option(names = "--backend", defaultValue = "djl", converter = BackendConverter.class, description = BackendConverter.DESCRIPTION)
  Backend backend;

  @Option(names = "--compare-backends",
      description = "Instead of every sampler, run sequential and self-speculative sampling under both backends (DJL, then Java) side by side.")
  boolean compareBackends;

  @Option(names = "--out", description = "Also write the results as JSON to this file.") Path out;

  @Override
  public Integer call() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode report = json.createObjectNode();
    try (AnyOrderModel m = AnyOrderModel.load(model, compareBackends ? Backend.DJL : backend, threads);
        AnyOrderModel java = compareBackends ? AnyOrderModel.load(model, Backend.JAVA, threads) : null) {
      if (!m.vocabulary().isText()) {
        throw new IllegalArgumentException("bench sample needs a text model; " + model + " uses token ids");
      }
      int n = Math.min(window, m.config().maxLength());
      int[] corpus = m.vocabulary().encode(SourceFile.readText(data).text());
      SplittableRandom rng = new SplittableRandom(seed);
      List<SampleRequest> infill = new ArrayList<>();
      for (int w = 0; w < windows; w++) {
        int start = corpus.length - n - rng.nextInt(corpus.length / 10); // held-out tail of the corpus
        int[] given = new int[n];
        for (int i = 0; i < n; i++) {
          given[i] = rng.nextDouble() < mask ? SampleRequest.UNKNOWN : corpus[start + i];
        }
        if (!m.config().startSlot() && Arrays.stream(given).allMatch(t -> t == SampleRequest.UNKNOWN)) {
          given[0] = corpus[start]; // a model without a start slot needs one known token
        }
        infill.add(new SampleRequest(given));
      }
      List<SampleRequest> unconditional = new ArrayList<>();
      for (int w = 0; w < windows; w++) {
        unconditional.add(SampleRequest.unconditional(n));
      }
      report.put("model", model.toString()).put("window", n).put("windows", windows).put("mask", mask).put("threads", threads);
      Map<String, List<SampleRequest>> scenarios = new LinkedHashMap<>();
      scenarios.put(String.format("infill %.0f%% of %d-token windows", 100 * mask, n), infill);
      if (m.config().startSlot()) {
        scenarios.put(String.format("unconditional, %d tokens", n), unconditional);
      } else {
        // A model without a start slot (an imported σ-GPT) cannot predict a first token from nothing.
        System.out.println("skipping the unconditional scenario: this model has no start slot, so it needs at least one known token");
        report.put("skipped", "unconditional: the model has no start slot");
      }
      for (Map.Entry<String, List<SampleRequest>> s : scenarios.entrySet()) {
        if (java != null) {
          report.set(s.getKey(), json.valueToTree(compare(s.getKey(), m, java, s.getValue())));
          continue;
        }
        List<SamplerBenchmark.Row> rows = SamplerBenchmark.run(m.network(), entries(), s.getValue(), batch);
        System.out.println("\n" + s.getKey());
        System.out.printf("%-28s %9s %9s %10s %10s %16s %9s %9s%n", "sampler", "tokens", "NFE", "tok/NFE", "tok/s", "NLL (nats/tok)",
            "NFE vs seq", "speed vs seq");
        for (SamplerBenchmark.Row r : rows) {
          System.out.printf("%-28s %9d %9d %10.2f %10.1f %9.3f ± %.3f %9.2f %9.2f%n", r.name(), r.tokens(), r.nfe(), r.tokensPerNfe(),
              r.tokensPerSecond(), r.meanNll(), r.nllStandardError(), r.nfeRatio(), r.speedup());
        }
        report.set(s.getKey(), json.valueToTree(rows));
      }
    }
    if (out != null) {
      Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }
    return 0;
  }

  /** The same samplers and requests on both backends; each backend is warmed up on one request first. */
  private Map<String, List<SamplerBenchmark.Row>> compare(String scenario, AnyOrderModel djl, AnyOrderModel java, List<SampleRequest> requests) {
    List<SamplerBenchmark.Entry> entries = entries().subList(0, 2);
    Map<String, List<SamplerBenchmark.Row>> rows = new LinkedHashMap<>();
    System.out.println("\n" + scenario + " (backends side by side)");
    System.out.printf("%-28s %-6s %9s %9s %10s %16s %12s%n", "sampler", "engine", "tokens", "NFE", "tok/s", "NLL (nats/tok)", "speed vs DJL");
    for (SamplerBenchmark.Entry e : entries) {
      SamplerBenchmark.Row reference = null;
      for (AnyOrderModel m : List.of(djl, java)) {
        String engine = m == djl ? "djl" : "java";
        SamplerBenchmark.run(m.network(), List.of(e), requests.subList(0, 1), 1); // JIT and engine warm-up
        SamplerBenchmark.Row r = SamplerBenchmark.run(m.network(), List.of(e), requests, batch).get(0);
        reference = reference == null ? r : reference;
        System.out.printf("%-28s %-6s %9d %9d %10.1f %9.3f ± %.3f %12.2f%n", r.name(), engine, r.tokens(), r.nfe(), r.tokensPerSecond(),
            r.meanNll(), r.nllStandardError(), r.tokensPerSecond() / reference.tokensPerSecond());
        rows.computeIfAbsent(engine, k -> new ArrayList<>()).add(r);
      }
    }
    return rows;
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
