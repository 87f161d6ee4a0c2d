package dev.anyorder.training;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.data.Dataset;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.io.CheckpointException;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.djl.PyTorchRuntime;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.sampling.SamplerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole training run into a model directory: creates or resumes the model, trains with evaluation,
 * JSONL metrics ({@code metrics.jsonl}) and atomic checkpoints, and reports the final evaluation. The
 * command line, the benchmarks and the demo all train through this.
 */
public final class TrainingRun {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
  public static final String METRICS_FILE = "metrics.jsonl";

  /**
   * What to train.
   *
   * @param out model directory written by the run
   * @param model network shape (ignored on resume: the checkpoint's is used)
   * @param train training settings (ignored on resume: the checkpoint's are used)
   * @param data training and validation data
   * @param vocabulary stored with the model
   * @param extraFiles files copied into the model directory (e.g. a tokenizer)
   * @param device DJL device name, {@code cpu} or {@code gpu}
   * @param threads cores to train on: data-parallel workers of one intra-op thread each (see {@link Trainer});
   *     a resumed run keeps the count it was started with, since results depend on it
   * @param decoding the decoding the model is made for, recorded as {@code training.decoding} in its
   *     {@code config.json} ({@link TrainingCheckpoint#DECODING}), or empty to record none; a resumed run
   *     keeps the one its checkpoint records, if any
   */
  public record Spec(Path out, ModelConfig model, TrainConfig train, Dataset data, Vocabulary vocabulary,
      Map<String, byte[]> extraFiles, String device, int threads, Optional<SamplerConfig> decoding) {
    public Spec {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      extraFiles = Map.copyOf(extraFiles);
      Objects.requireNonNull(decoding, "decoding (use Optional.empty())");
    }

    /** A run that records no recommended decoding. */
    public Spec(Path out, ModelConfig model, TrainConfig train, Dataset data, Vocabulary vocabulary, Map<String, byte[]> extraFiles,
        String device, int threads) {
      this(out, model, train, data, vocabulary, extraFiles, device, threads, Optional.empty());
    }

    /** This spec writing into {@code out} instead. */
    public Spec withOut(Path out) {
      return new Spec(out, model, train, data, vocabulary, extraFiles, device, threads, decoding);
    }
  }

  /**
   * What a run produced.
   *
   * @param steps steps the model has completed in total
   * @param stepsThisRun steps trained by this call (0 when resuming a run that had already finished)
   * @param seconds wall time of the whole run, including earlier sessions of a resumed one
   * @param trainingSeconds time spent in training steps during this call
   * @param evaluationSeconds time spent evaluating during this call
   * @param tokensPerSecond predicted tokens per second of training step time (evaluation and checkpoints excluded)
   * @param threads data-parallel workers used
   */
  public record Result(Path out, int steps, int stepsThisRun, Trainer.Evaluation evaluation, double seconds, double trainingSeconds,
      double evaluationSeconds, double tokensPerSecond, int threads) {}

  /** How long a shutdown (Ctrl-C) waits for the step in progress, its checkpoint and the native cleanup. */
  static final long SHUTDOWN_WAIT_SECONDS = 120;

  /** Field of the training record holding the worker count a run was trained with. */
  public static final String THREADS = "threads";

  private TrainingRun() {}

  /**
   * Trains. With {@code resume}, continues the checkpoint in {@code spec.out()} exactly; without it,
   * refuses to overwrite an existing model.
   */
  public static Result run(Spec spec, boolean resume, Trainer.Listener listener) {
    Path out = spec.out();
    boolean exists = Files.exists(out.resolve(ModelDirectory.CONFIG_FILE));
    if (!resume && exists) {
      throw new CheckpointException(out + " already holds a model; pass --resume to continue it or choose another --out");
    }
    if (resume && !exists) {
      throw new CheckpointException("nothing to resume: " + out + " holds no " + ModelDirectory.CONFIG_FILE);
    }
    // Ctrl-C or a TERM signal must not end the JVM while a worker is inside a PyTorch call: the native
    // library's static destructors then run under it and the process dies with SIGSEGV. The hook asks the
    // trainer to stop after its current step, which is checkpointed, and waits until every tensor is closed.
    CountDownLatch closed = new CountDownLatch(1);
    AtomicReference<Trainer> running = new AtomicReference<>();
    Thread hook = new Thread(() -> {
      Trainer t = running.get();
      if (t != null) {
        t.requestStop();
      }
      try {
        if (!closed.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
          LOG.warn("training did not stop within {} s of the shutdown request", SHUTDOWN_WAIT_SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "anyorder-train-shutdown");
    boolean hooked = addShutdownHook(hook);
    try {
      return train(spec, resume, listener, out, running);
    } finally {
      closed.countDown();
      if (hooked) {
        removeShutdownHook(hook);
      }
    }
  }

  private static boolean addShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return true;
    } catch (IllegalStateException shuttingDown) {
      return false;
    }
  }

  private static void removeShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running and waits for us; nothing to undo
    }
  }

  private static Result train(Spec spec, boolean resume, Trainer.Listener listener, Path out, AtomicReference<Trainer> running) {
    try (NDManager manager = PyTorchRuntime.newManager(spec.device(), spec.threads())) {
      TrainingCheckpoint.Restored restored = resume ? TrainingCheckpoint.load(out) : null;
      ModelConfig modelConfig = resume ? restored.saved().config() : spec.model();
      TrainConfig trainConfig = resume ? restored.trainConfig() : spec.train();
      JsonNode provenance = spec.data().provenance();
      if (resume) {
        checkSameData(out, restored.saved().data(), provenance);
        if (!restored.saved().vocabulary().equals(spec.vocabulary())) {
          throw new CheckpointException("the vocabulary of the data differs from the one stored in " + out);
        }
      }
      JsonNode record = resume ? restored.saved().training() : null;
      Optional<SamplerConfig> decoding = resume
          ? TrainingCheckpoint.recommendedDecoding(record, out.resolve(ModelDirectory.CONFIG_FILE)).or(spec::decoding)
          : spec.decoding();
      int threads = record != null && record.has(THREADS) ? record.get(THREADS).asInt() : spec.threads();
      if (resume && threads != spec.threads()) {
        LOG.info("resuming with {} training threads, the count {} was started with (results depend on it)", threads, out);
      }
      if (resume && restored.step() >= trainConfig.steps()) {
        Trainer.Evaluation saved = TrainingCheckpoint.savedEvaluation(record);
        return new Result(out, restored.step(), 0, saved, record.path("wallSeconds").asDouble(), 0, 0, 0, threads);
      }
      try (SigmaGpt model = resume
              ? SigmaGpt.fromWeights(modelConfig, restored.weights(), manager, true)
              : SigmaGpt.initialize(modelConfig, trainConfig.seed(), manager, true);
          Trainer trainer = new Trainer(model, trainConfig, spec.data(), threads);
          MetricsLog metrics = new MetricsLog(out.resolve(METRICS_FILE), 10)) {
        if (resume) {
          TrainingCheckpoint.restoreInto(trainer, restored);
          LOG.info("resuming {} at step {} of {}", out, trainer.step(), trainConfig.steps());
        }
        running.set(trainer);
        long started = System.nanoTime();
        double previous = resume ? restored.saved().training().path("wallSeconds").asDouble() : 0;
        long[] tokens = {0};
        double[] stepSeconds = {0};
        int first = trainer.step();
        List<Trainer.Listener> listeners = new ArrayList<>(List.of(metrics, listener));
        trainer.run(new Trainer.Listener() {
          @Override
          public void onStep(Trainer.StepMetrics m) {
            tokens[0] += m.tokens();
            stepSeconds[0] += m.seconds();
            listeners.forEach(l -> l.onStep(m));
          }

          @Override
          public void onEvaluation(int step, Trainer.Evaluation e) {
            listeners.forEach(l -> l.onEvaluation(step, e));
          }

          @Override
          public void onCheckpoint(int step) {
            double seconds = previous + (System.nanoTime() - started) / 1e9;
            TrainingCheckpoint.save(out, trainer, spec.vocabulary(), provenance, spec.extraFiles(), seconds, decoding);
            listeners.forEach(l -> l.onCheckpoint(step));
          }
        });
        running.set(null);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (trainer.stopRequested() && trainer.step() < trainConfig.steps()) {
          LOG.warn("stopped at step {} of {} on request; the checkpoint in {} holds that step, continue it with --resume",
              trainer.step(), trainConfig.steps(), out);
        }
        return new Result(out, trainer.step(), trainer.step() - first, trainer.lastEvaluation(), previous + seconds, stepSeconds[0],
            trainer.evaluationSeconds(), tokens[0] / Math.max(stepSeconds[0], 1e-9), threads);
      }
    }
  }

  private static void checkSameData(Path out, JsonNode saved, JsonNode now) {
    if (saved == null) {
      return;
    }
    String was = saved.path("sha256").asText("");
    String is = now.path("sha256").asText("");
    if (!was.isEmpty() && !was.equals(is)) {
      throw new CheckpointException("the training data differs from the data " + out + " was trained on (sha256 "
          + was.substring(0, Math.min(12, was.length())) + "… vs " + is.substring(0, Math.min(12, is.length())) + "…)");
    }
  }
}
