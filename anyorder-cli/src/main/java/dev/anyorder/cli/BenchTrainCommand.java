package dev.anyorder.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.data.SourceFile;
import dev.anyorder.data.TextCorpus;
import dev.anyorder.evaluation.TorchReference;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.djl.PyTorchRuntime;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.training.ReproducibilityCheck;
import dev.anyorder.training.TrainConfig;
import dev.anyorder.training.TrainingBenchmark;
import dev.anyorder.training.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code anyorder bench train}: training tokens/s against the matmul rate of the model's own products, and
 * optionally against PyTorch eager on the same model and step, and a reproducibility check at the KJV
 * configuration; all measured in one run so the ratios hold on a noisy machine.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Training throughput of two model sizes against the measured matmul rate, PyTorch eager (--compare-torch) "
        + "and a reproducibility check (--reproducibility-steps).")
final class BenchTrainCommand implements Callable<Integer> {
  @Option(names = "--data", defaultValue = "data/kjv.txt.gz", description = "Text corpus (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--steps", defaultValue = "30", description = "Timed steps per configuration (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", defaultValue = "5") int warmup;

  @Option(names = "--threads", defaultValue = "2", description = "Training threads (default: ${DEFAULT-VALUE}).") int threads;

  @Option(names = "--configs", defaultValue = "small,large", split = ",",
      description = "Configurations to time: small (L4 H4 d128 block 64 batch 12), large (L6 H6 d384 block 256 batch 16).")
  String[] configs;

  @Option(names = "--compare-torch", description = "Also time the same model and step in PyTorch eager (needs python3-torch).")
  boolean compareTorch;

  @Option(names = "--torch-threads", defaultValue = "1,2", split = ",",
      description = "PyTorch thread counts to try; the fastest is compared (default: ${DEFAULT-VALUE}).")
  int[] torchThreads;

  @Option(names = "--reproducibility-steps", defaultValue = "200",
      description = "Steps of the small KJV configuration trained three times (two fresh runs and one resumed from the halfway "
          + "checkpoint) to check bit-identical weights; 0 skips (default: ${DEFAULT-VALUE}).")
  int reproducibilitySteps;

  @Option(names = "--out", description = "Also write the results as JSON to this file.")
  Path out;

  /** The two configurations of the issue: (layers, heads, width, block, batch). */
  static final Map<String, int[]> CONFIGS = Map.of("small", new int[] {4, 4, 128, 64, 12}, "large", new int[] {6, 6, 384, 256, 16});

  /**
   * The CPU, its core count and MKL's reproducibility mode: MKL picks its kernels by CPU and by
   * {@code MKL_CBWR}, so a figure, a ratio or a checkpoint hash holds for that combination.
   */
  static String machine() {
    String cpu = "unknown CPU";
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      cpu = lines.stream().filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
      if (lines.stream().anyMatch(l -> l.startsWith("flags") && l.contains(" avx512f"))) {
        cpu += " (AVX-512)";
      }
    } catch (IOException e) {
      // not Linux: the CPU stays unnamed
    }
    String cbwr = System.getenv("MKL_CBWR");
    return cpu + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, MKL_CBWR " + (cbwr == null || cbwr.isEmpty() ? "unset" : cbwr);
  }

  @Override
  public Integer call() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode report = json.createObjectNode().put("threads", threads);
    String machine = machine();
    System.out.println("machine: " + machine);
    report.put("machine", machine);
    SourceFile.Text text = SourceFile.readText(data);
    CharacterVocabulary vocabulary = CharacterVocabulary.fromText(text.text());
    Optional<TorchReference> torch = Optional.empty();
    if (compareTorch) {
      StringBuilder whyNot = new StringBuilder();
      torch = TorchReference.locate(Path.of(System.getProperty("anyorder.home", ".")), whyNot);
      if (torch.isEmpty()) {
        System.out.println("PyTorch comparison skipped: " + whyNot);
        report.put("torchSkipped", whyNot.toString());
      }
    }
    ArrayNode rows = report.putArray("configurations");
    try (NDManager manager = PyTorchRuntime.newManager("cpu", threads)) {
      for (String name : configs) {
        int[] c = CONFIGS.get(name);
        if (c == null) {
          throw new IllegalArgumentException("unknown configuration '" + name + "'; known: " + CONFIGS.keySet());
        }
        ModelConfig model = ModelConfig.of(vocabulary.size(), c[3], c[0], c[1], c[2]);
        TextCorpus corpus = TextCorpus.of(text, vocabulary, c[3], 0.1);
        double peak = TrainingBenchmark.modelGemmPeak(manager, model, c[3], c[4], threads, 2.0);
        TrainingBenchmark.Throughput t = TrainingBenchmark.trainingThroughput(manager, model, corpus, c[4], warmup, steps, peak,
            threads);
        String label = String.format("%s: L%d H%d d%d block %d batch %d", name, c[0], c[1], c[2], c[3], c[4]);
        System.out.printf("%-44s AnyOrder %8.0f tokens/s  %6.1f GFLOP/s = %4.1f%% of its matmul rate (%.1f GFLOP/s, %d thread%s)%n",
            label, t.tokensPerSecond(), t.flopsPerSecond() / 1e9, 100 * t.fractionOfPeak(), peak / 1e9, threads,
            threads == 1 ? "" : "s");
        ObjectNode row = rows.addObject().put("name", name).put("layers", c[0]).put("heads", c[1]).put("dim", c[2]).put("block", c[3])
            .put("batch", c[4]).put("steps", steps).put("seconds", t.seconds()).put("tokensPerSecond", t.tokensPerSecond())
            .put("gflops", t.flopsPerSecond() / 1e9).put("gemmPeakGflops", peak / 1e9).put("fractionOfPeak", t.fractionOfPeak());
        if (torch.isPresent()) {
          TorchReference.Measurement best = null;
          ArrayNode tried = row.putArray("torch");
          for (int tt : torchThreads) {
            TorchReference.Measurement m = torch.get().measure(data, c[0], c[1], c[2], c[3], c[4], steps, warmup, tt);
            tried.addObject().put("threads", tt).put("tokensPerSecond", m.tokensPerSecond()).put("msPerStep", m.msPerStep());
            System.out.printf("%-44s PyTorch  %8.0f tokens/s  (%d thread%s, %.1f ms/step)%n", "", m.tokensPerSecond(), tt,
                tt == 1 ? "" : "s", m.msPerStep());
            if (best == null || m.tokensPerSecond() > best.tokensPerSecond()) {
              best = m;
            }
          }
          double ratio = t.tokensPerSecond() / best.tokensPerSecond();
          row.put("torchBestTokensPerSecond", best.tokensPerSecond()).put("torchBestThreads", best.threads())
              .put("ratioToTorch", ratio).put("torchVersion", best.torchVersion()).put("torchBlas", best.blas());
          System.out.printf("%-44s ratio    %8.2fx PyTorch eager at its best thread count (torch %s, %s)%n", "", ratio,
              best.torchVersion(), best.blas());
          if (best.blas().contains("/blas/libblas.so")) {
            // Debian's python3-torch takes whichever libblas.so.3 is selected; the reference one is many times slower.
            System.out.printf("%-44s warning: PyTorch ran on the reference BLAS, so this ratio flatters us;"
                + " install libopenblas0-pthread for a fair comparison%n", "");
          }
        }
      }
    }
    if (reproducibilitySteps > 0) {
      int[] c = CONFIGS.get("small");
      ModelConfig model = ModelConfig.of(vocabulary.size(), c[3], c[0], c[1], c[2]);
      TrainConfig train = TrainConfig.defaults().withBatch(c[4]).withSeed(5).withEvaluation(0, 5)
          .withSchedule(reproducibilitySteps, Math.min(TrainConfig.DEFAULT_WARMUP, reproducibilitySteps / 10), 0, reproducibilitySteps / 2);
      TextCorpus corpus = TextCorpus.of(text, vocabulary, c[3], 0.1);
      TrainingRun.Spec spec = new TrainingRun.Spec(Path.of("unused"), model, train, corpus, vocabulary, Map.of(), "cpu", threads);
      ReproducibilityCheck.Outcome o = ReproducibilityCheck.run(spec, Files.createTempDirectory("anyorder-bench-"));
      System.out.printf("reproducibility (small KJV configuration, %d steps, %d threads, %.0f s): two fresh runs %s; resumed from "
              + "the step-%d checkpoint %s%n", o.steps(), threads, o.seconds(), o.freshRunsAgree() ? "bit-identical" : "DIFFER",
          o.steps() / 2, o.resumeAgrees() ? "bit-identical to the uninterrupted run" : "DIFFERS from the uninterrupted run");
      report.putObject("reproducibility").put("steps", o.steps()).put("freshRunsIdentical", o.freshRunsAgree())
          .put("resumeIdentical", o.resumeAgrees()).put("sha256", o.first()).put("seconds", o.seconds());
    }
    if (out != null) {
      Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }
    return 0;
  }
}
