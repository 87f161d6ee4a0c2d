package dev.anyorder.evaluation;

import dev.anyorder.training.Trainer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress reporting of long benchmark phases (training a model, evaluating a sampler): terminal
 * progress bars for the command line, nothing in tests.
 */
public interface Progress {

  /** A bar over {@code total} units named {@code task}; close it when the phase ends. */
  Bar start(String task, long total);

  /** One phase's bar. */
  interface Bar extends AutoCloseable {
    void stepTo(long done, String message);

    @Override
    void close();
  }

  /** Reports nothing. */
  Progress NONE = (task, total) -> new Bar() {
    @Override
    public void stepTo(long done, String message) {}

    @Override
    public void close() {}
  };

  /** ASCII progress bars on the terminal (me.tongfei progressbar). */
  static Progress console() {
    return (task, total) -> {
      ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(500).setMaxRenderedLength(120).build();
      return new Bar() {
        @Override
        public void stepTo(long done, String message) {
          bar.stepTo(done);
          bar.setExtraMessage(message);
        }

        @Override
        public void close() {
          bar.close();
        }
      };
    };
  }

  /** A training listener that drives a bar named {@code task} (step, smoothed loss, last validation loss). */
  default TrainingBar training(String task) {
    return new TrainingBar(this, task);
  }

  /** Adapts training callbacks to a {@link Bar} created on the first step. */
  final class TrainingBar implements Trainer.Listener, AutoCloseable {
    private final Progress progress;
    private final String task;
    private Bar bar;
    private double smoothed = Double.NaN;
    private String validation = "";

    TrainingBar(Progress progress, String task) {
      this.progress = progress;
      this.task = task;
    }

    @Override
    public void onStep(Trainer.StepMetrics m) {
      if (bar == null) {
        bar = progress.start(task, m.totalSteps());
      }
      smoothed = Double.isNaN(smoothed) ? m.loss() : 0.95 * smoothed + 0.05 * m.loss();
      bar.stepTo(m.step(), String.format(" loss %.3f %s", smoothed, validation));
    }

    @Override
    public void onEvaluation(int step, Trainer.Evaluation e) {
      validation = String.format("val %.3f (l2r %.3f)", e.trainingOrderLoss(), e.leftToRightLoss());
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
