package dev.anyorder.cli;

import dev.anyorder.model.PositionEncoding;
import dev.anyorder.evaluation.BenchOptions;
import dev.anyorder.evaluation.Progress;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Command-line options shared by the task benchmarks ({@code anyorder bench maze|sudoku|text|images}),
 * turned into {@link BenchOptions}.
 */
class TaskBenchOptions {
  @Option(names = "--out", description = "Report directory (default: runs/bench-TASK).") Path out;
  @Option(names = "--models", description = "Directory of the models, reused when complete (default: OUT/models).") Path models;
  @Option(names = "--minutes", defaultValue = "10", description = "Time budget of the whole run; about 70%% trains (default: ${DEFAULT-VALUE}).")
  double minutes;
  @Option(names = "--steps", defaultValue = "0", description = "Fixed optimizer steps per model; 0 derives them from --minutes.") int steps;
  @Option(names = "--layers", defaultValue = "4") int layers;
  @Option(names = "--heads", defaultValue = "4") int heads;
  @Option(names = "--dim", defaultValue = "128", description = "Residual width (default: ${DEFAULT-VALUE}).") int dim;
  @Option(names = "--batch", defaultValue = "16") int batch;
  @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).") double lr;
  @Option(names = "--train-instances", defaultValue = "20000", description = "Training pool size (default: ${DEFAULT-VALUE}).")
  int trainInstances;
  @Option(names = "--eval-instances", defaultValue = "200", description = "Held-out instances per sampler, at most (default: ${DEFAULT-VALUE}).")
  int evalInstances;
  @Option(names = "--eval-batch", defaultValue = "50", description = "Instances decoded together (default: ${DEFAULT-VALUE}).") int evalBatch;
  @Option(names = "--temperature", defaultValue = "0.5", description = "Sampling temperature of every sampler (default: ${DEFAULT-VALUE}).")
  double temperature;
  @Option(names = "--samplers", split = ",", description = "Only these sampler variants (labels as in the report).") List<String> samplers;
  @Option(names = "--target-loss", description = "Loss on the positions unknown at solve time only (maze).") boolean targetLoss;
  @Option(names = "--seed", defaultValue = "1") long seed;
  @Option(names = "--threads", defaultValue = "2", description = "Engine threads (default: ${DEFAULT-VALUE}).") int threads;
  @Option(names = "--no-progress", description = "No progress bars.") boolean noProgress;
  @Option(names = "--positions", defaultValue = "learned", description = "Position tables: learned or sinusoidal (default: ${DEFAULT-VALUE}).")
  String positions;

  BenchOptions toOptions(String task, double trainingShare) {
    Path dir = out != null ? out : Path.of("runs", "bench-" + task);
    return new BenchOptions(dir, models, minutes, trainingShare, steps, layers, heads, dim, batch, lr, trainInstances,
        evalInstances, evalBatch, temperature, samplers, targetLoss, seed, threads, noProgress ? Progress.NONE : Progress.console(),
        PositionEncoding.valueOf(positions.toUpperCase(java.util.Locale.ROOT)));
  }

  /** The command line as typed, for the report. */
  static String commandLine(String sub, String[] args) {
    return "anyorder bench " + sub + (args.length == 0 ? "" : " " + String.join(" ", args));
  }
}
