package dev.anyorder.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.data.SourceFile;
import dev.anyorder.data.TextCorpus;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.djl.PyTorchRuntime;
import dev.anyorder.training.TrainingBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anyorder bench train}: training tokens/s and FLOP/s as a fraction of the matmul peak measured in the same run. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Training throughput of two model sizes against the engine's measured matmul peak.")
final class BenchTrainCommand implements Callable<Integer> {
  @Option(names = "--data", defaultValue = "../shared/data/kjv.txt.gz", description = "Text corpus (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--steps", defaultValue = "30", description = "Timed steps per configuration (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", defaultValue = "5") int warmup;

  @Option(names = "--threads", defaultValue = "2") int threads;

  @Option(names = "--out", description = "Also write the results as JSON to this file.")
  Path out;

  /** The two configurations of the issue: (layers, heads, width, block, batch). */
  static final int[][] CONFIGS = {{4, 4, 128, 64, 12}, {6, 6, 384, 256, 16}};

  @Override
  public Integer call() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode report = json.createObjectNode();
    SourceFile.Text text = SourceFile.readText(data);
    CharacterVocabulary vocabulary = CharacterVocabulary.fromText(text.text());
    try (NDManager manager = PyTorchRuntime.newManager("cpu", threads)) {
      TrainingBenchmark.MatmulPeak peak = TrainingBenchmark.matmulPeak(manager, new int[] {256, 512, 1024}, 2.0);
      report.put("threads", threads).put("matmulPeakGflops", peak.flopsPerSecond() / 1e9).put("matmulPeakSize", peak.size());
      System.out.printf("matmul peak: %.1f GFLOP/s (float32, %dx%d, %d threads)%n", peak.flopsPerSecond() / 1e9, peak.size(),
          peak.size(), threads);
      System.out.printf("%-34s %12s %12s %10s%n", "configuration", "tokens/s", "GFLOP/s", "of peak");
      ArrayNode rows = report.putArray("configurations");
      for (int[] c : CONFIGS) {
        ModelConfig model = ModelConfig.of(vocabulary.size(), c[3], c[0], c[1], c[2]);
        TextCorpus corpus = TextCorpus.of(text, vocabulary, c[3], 0.1);
        TrainingBenchmark.Throughput t = TrainingBenchmark.trainingThroughput(manager, model, corpus, c[4], warmup, steps,
            peak.flopsPerSecond());
        String name = String.format("L%d H%d d%d block %d batch %d", c[0], c[1], c[2], c[3], c[4]);
        System.out.printf("%-34s %12.0f %12.2f %9.1f%%%n", name, t.tokensPerSecond(), t.flopsPerSecond() / 1e9,
            100 * t.fractionOfPeak());
        rows.addObject().put("name", name).put("layers", c[0]).put("heads", c[1]).put("dim", c[2]).put("block", c[3])
            .put("batch", c[4]).put("steps", steps).put("seconds", t.seconds()).put("tokensPerSecond", t.tokensPerSecond())
            .put("gflops", t.flopsPerSecond() / 1e9).put("fractionOfPeak", t.fractionOfPeak());
      }
    }
    if (out != null) {
      Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }
    return 0;
  }
}
