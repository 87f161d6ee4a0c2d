package dev.anyorder.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.data.Dataset;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.io.AtomicFiles;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.tasks.Task;
import dev.anyorder.tasks.TaskFactory;
import dev.anyorder.training.TrainConfig;
import dev.anyorder.training.Trainer;
import dev.anyorder.training.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Trains a σ-GPT (Pannatier, Courdier, Fleuret 2024) for a benchmark or the demo within a wall-clock
 * budget, or reuses the model already in its directory.
 *
 * <p>The number of optimizer steps is not guessed: a short calibration run on the same model shape and
 * data measures this machine's training throughput (tokens per second), and the step count is the
 * budget times that throughput divided by the tokens of one step. A completed model directory is reused
 * as it is; an interrupted one is resumed to its planned step count.
 */
public final class TaskModelTrainer {
  /**
   * Steps of the throughput calibration run, of which the first {@link #CALIBRATION_WARMUP} are not timed. The
   * first steps run slower while the engine and the allocator warm up: timing steps 2–6 measured 10.4k tokens/s
   * for a KJV model that then trained at 19k, so a budget bought half the steps it could.
   */
  static final int CALIBRATION_STEPS = 30;
  static final int CALIBRATION_WARMUP = 10;

  private TaskModelTrainer() {}

  /**
   * What was trained or reused.
   *
   * @param directory the model directory
   * @param reused true when a complete model was found and not trained again
   * @param steps optimizer steps the model has been trained for
   * @param trainSeconds wall time of its training, as recorded in the checkpoint when reused
   * @param calibratedTokensPerSecond measured training throughput the step count was planned from; NaN when
   *     none was measured (reused, resumed or fixed steps)
   */
  public record Outcome(Path directory, boolean reused, int steps, double trainSeconds, double calibratedTokensPerSecond) {
    public Outcome {
      java.util.Objects.requireNonNull(directory, "model directory");
      if (steps < 0) {
        throw new IllegalArgumentException("steps must not be negative, got " + steps);
      }
    }
  }

  /**
   * The step count that fits {@code seconds} of training at {@code tokensPerSecond}, at least {@code minSteps}.
   *
   * @throws IllegalArgumentException for a non-positive budget or throughput
   */
  public static int stepsFor(double seconds, double tokensPerSecond, int tokensPerStep, int minSteps) {
    if (!(seconds > 0) || !(tokensPerSecond > 0) || tokensPerStep < 1) {
      throw new IllegalArgumentException("need a positive budget, throughput and step size; got " + seconds + " s, "
          + tokensPerSecond + " tokens/s, " + tokensPerStep + " tokens/step");
    }
    return Math.max(minSteps, (int) Math.floor(seconds * tokensPerSecond / tokensPerStep));
  }

  /** Whether {@code dir} holds a model whose training ran to completion. */
  public static boolean isComplete(Path dir) {
    if (!Files.exists(dir.resolve(ModelDirectory.CONFIG_FILE))) {
      return false;
    }
    JsonNode training = ModelDirectory.load(dir).training();
    return training != null && training.path("completed").asBoolean(false);
  }

  /**
   * Reuses the complete model in {@code dir}, resumes an interrupted one, or trains a new one for about
   * {@code budgetSeconds}, with {@code train.steps()} replaced by the calibrated step count (when
   * {@code fixedSteps} is positive it is used instead and no calibration runs). A model it trains records
   * {@code decoding}, when given, as the decoding it is made for ({@link TrainingRun.Spec#decoding()}); a
   * reused model is left as it is.
   */
  public static Outcome trainOrReuse(Path dir, ModelConfig model, TrainConfig train, Dataset data, Vocabulary vocabulary,
      double budgetSeconds, int fixedSteps, int threads, Optional<SamplerConfig> decoding, Trainer.Listener listener) {
    if (isComplete(dir)) {
      SavedModel saved = ModelDirectory.load(dir);
      if (data instanceof TaskDataset tasks) {
        checkSameTask(dir, saved, tasks.task());
      }
      return new Outcome(dir, true, saved.training().path("step").asInt(), saved.training().path("wallSeconds").asDouble(),
          Double.NaN);
    }
    if (Files.exists(dir.resolve(ModelDirectory.CONFIG_FILE))) {
      TrainingRun.Result r = TrainingRun.run(new TrainingRun.Spec(dir, model, train, data, vocabulary, Map.of(), "cpu", threads,
          decoding), true, listener);
      return new Outcome(dir, false, r.steps(), r.seconds(), Double.NaN);
    }
    double throughput = Double.NaN;
    int steps = fixedSteps;
    if (steps <= 0) {
      throughput = calibrate(dir, model, train, data, vocabulary, threads);
      int tokensPerStep = train.batch() * train.accumulation() * data.sequenceLength();
      steps = stepsFor(budgetSeconds, throughput, tokensPerStep, 10);
    }
    TrainConfig planned = withSchedule(train, steps);
    TrainingRun.Result r = TrainingRun.run(new TrainingRun.Spec(dir, model, planned, data, vocabulary, Map.of(), "cpu", threads,
        decoding), false, listener);
    return new Outcome(dir, false, r.steps(), r.seconds(), throughput);
  }

  /**
   * Refuses to reuse a model trained on another configuration of the task (a maze of the same size with
   * other walls would be evaluated on instances it never saw): the recorded task, rebuilt by
   * {@link TaskFactory}, must have the same full record.
   */
  static void checkSameTask(Path dir, SavedModel saved, Task task) {
    java.util.Optional<JsonNode> recorded = TaskFactory.recorded(saved.data(), saved.training());
    if (recorded.isEmpty()) {
      return;
    }
    Task was;
    try {
      was = TaskFactory.rebuild(recorded.get());
    } catch (IllegalArgumentException e) {
      return; // a task this factory cannot rebuild (images): the data checksum still guards it
    }
    if (!TaskFactory.record(was).equals(TaskFactory.record(task))) {
      throw new IllegalArgumentException("the model in " + dir + " was trained on " + TaskFactory.record(was)
          + ", not on " + TaskFactory.record(task) + "; choose another output directory");
    }
  }

  /** {@code train} with {@code steps} steps and warmup, evaluation and checkpoint intervals scaled to it. */
  static TrainConfig withSchedule(TrainConfig train, int steps) {
    return train.withSchedule(steps, Math.min(train.warmup(), Math.max(1, steps / 10)), Math.max(1, steps / 20),
        Math.max(1, steps / 4));
  }

  private static double calibrate(Path dir, ModelConfig model, TrainConfig train, Dataset data, Vocabulary vocabulary,
      int threads) {
    Path scratch = dir.resolveSibling(dir.getFileName() + ".calibration");
    AtomicFiles.deleteRecursively(scratch);
    try {
      // The run's own settings, without known positions, for a few steps with a one-step warmup and one batch of evaluation.
      TrainConfig probe = train.withoutKnownPositions().withSchedule(CALIBRATION_STEPS, 1, 0, 0).withEvaluation(0, 1);
      long tokensPerStep = (long) train.batch() * train.accumulation() * data.sequenceLength();
      long[] tokens = {0};
      double[] seconds = {0};
      TrainingRun.run(new TrainingRun.Spec(scratch, model, probe, data, vocabulary, Map.of(), "cpu", threads), false,
          new Trainer.Listener() {
            @Override
            public void onStep(Trainer.StepMetrics m) {
              if (m.step() > CALIBRATION_WARMUP) {
                tokens[0] += tokensPerStep; // whole sequences: a loss restricted to targets costs the same
                seconds[0] += m.seconds();
              }
            }
          });
      return tokens[0] / Math.max(seconds[0], 1e-9);
    } finally {
      AtomicFiles.deleteRecursively(scratch);
    }
  }

}
