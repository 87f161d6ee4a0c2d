package dev.anyorder.cli;

import dev.anyorder.evaluation.BenchOptions;
import dev.anyorder.evaluation.TaskRecipe;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Command-line options shared by the task benchmarks ({@code anyorder bench maze|sudoku|text|images}),
 * turned into {@link BenchOptions}. Training options left unset come from the task's {@link TaskRecipe}.
 */
class TaskBenchOptions {
  @Option(names = "--out", description = "Report directory (default: runs/bench-TASK).") Path out;
  @Option(names = "--models", description = "Directory of the models, reused when complete (default: OUT/models).") Path models;
  @Option(names = "--minutes", defaultValue = "10", description = "Time budget of the whole run, about 70%% of it training; bench sudoku: training minutes per model,"
      + " evaluation after (default: ${DEFAULT-VALUE}).")
  double minutes;
  @Option(names = "--eval-instances", defaultValue = "200", description = "Held-out instances per sampler, at most (default: ${DEFAULT-VALUE}).")
  int evalInstances;
  @Option(names = "--eval-batch", defaultValue = "50", description = "Instances decoded together (default: ${DEFAULT-VALUE}).") int evalBatch;
  @Option(names = "--samplers", split = ",", description = "Only these sampler variants (labels as in the report).") List<String> samplers;

  @Mixin RecipeOptions recipe = new RecipeOptions();

  /** The options of this run: what was given on the command line, {@code recipe} for the rest. */
  BenchOptions toOptions(String task, double trainingShare, TaskRecipe recipe) {
    Path dir = out != null ? out : Path.of("runs", "bench-" + task);
    return this.recipe.toOptions(dir, models, minutes, trainingShare, evalInstances, evalBatch, samplers, recipe);
  }
}
