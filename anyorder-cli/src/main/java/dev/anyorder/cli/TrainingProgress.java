package dev.anyorder.cli;

import dev.anyorder.training.Trainer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar for training: step, ETA, smoothed loss, tokens per second and last validation loss. */
final class TrainingProgress implements Trainer.Listener, AutoCloseable {
  private final String task;
  private ProgressBar bar;
  private double smoothedLoss = Double.NaN;
  private double tokensPerSecond = Double.NaN;
  private String validation = "";

  TrainingProgress(String task) {
    this.task = task;
  }

  @Override
  public void onStep(Trainer.StepMetrics m) {
    smoothedLoss = Double.isNaN(smoothedLoss) ? m.loss() : 0.95 * smoothedLoss + 0.05 * m.loss();
    double rate = m.tokens() / Math.max(1e-9, m.seconds());
    tokensPerSecond = Double.isNaN(tokensPerSecond) ? rate : 0.9 * tokensPerSecond + 0.1 * rate;
    if (bar == null) {
      // Created on the first step so a resumed run starts the bar (and its ETA) where it resumed.
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(m.totalSteps()).setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(500).setMaxRenderedLength(120).startsFrom(m.step() - 1, java.time.Duration.ZERO).build();
    }
    bar.stepTo(m.step());
    bar.setExtraMessage(String.format(" loss %.3f %s| %.1fk tok/s", smoothedLoss, validation, tokensPerSecond / 1000));
  }

  @Override
  public void onEvaluation(int step, Trainer.Evaluation e) {
    validation = String.format("val %.3f (l2r %.3f) ", e.trainingOrderLoss(), e.leftToRightLoss());
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
