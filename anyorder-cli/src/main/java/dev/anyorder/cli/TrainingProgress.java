package dev.anyorder.cli;

import dev.anyorder.training.Trainer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress: a terminal progress bar (step, ETA, smoothed loss, tokens per second, last validation
 * loss), or for logs one plain line per evaluation and checkpoint instead.
 */
final class TrainingProgress implements Trainer.Listener, AutoCloseable {
  private final String task;
  private final boolean showBar;
  private ProgressBar bar;
  private int step;
  private int totalSteps;
  private double smoothedLoss = Double.NaN;
  private double tokensPerSecond = Double.NaN;
  private String validation = "";

  /** With {@code showBar} false, prints a line at each evaluation and checkpoint instead of redrawing a bar. */
  TrainingProgress(String task, boolean showBar) {
    this.task = task;
    this.showBar = showBar;
  }

  @Override
  public void onStep(Trainer.StepMetrics m) {
    smoothedLoss = Double.isNaN(smoothedLoss) ? m.loss() : 0.95 * smoothedLoss + 0.05 * m.loss();
    double rate = m.tokens() / Math.max(1e-9, m.seconds());
    tokensPerSecond = Double.isNaN(tokensPerSecond) ? rate : 0.9 * tokensPerSecond + 0.1 * rate;
    step = m.step();
    totalSteps = m.totalSteps();
    if (!showBar) {
      return;
    }
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
    if (!showBar) {
      System.out.printf("%s step %d/%d: loss %.3f, %s| %.1fk tok/s%n", task, step, totalSteps, smoothedLoss, validation,
          tokensPerSecond / 1000);
    }
  }

  @Override
  public void onCheckpoint(int checkpointStep) {
    if (!showBar) {
      System.out.printf("%s step %d/%d: checkpoint saved%n", task, checkpointStep, totalSteps);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
