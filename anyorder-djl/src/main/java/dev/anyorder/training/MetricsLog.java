package dev.anyorder.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The JSONL metrics log of a training run: one object per line, {@code "kind": "train"} for optimizer
 * steps and {@code "kind": "eval"} for evaluations. Appends, so a resumed run continues the same file.
 */
public final class MetricsLog implements Trainer.Listener, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BufferedWriter out;
  private final int every;

  /** Logs every {@code every}-th training step and every evaluation to {@code file}. */
  public MetricsLog(Path file, int every) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open metrics log " + file + ": " + e.getMessage(), e);
    }
    this.every = Math.max(1, every);
  }

  @Override
  public void onStep(Trainer.StepMetrics m) {
    if (m.step() % every != 0 && m.step() != 1) {
      return;
    }
    ObjectNode n = JSON.createObjectNode().put("kind", "train").put("step", m.step()).put("loss", m.loss())
        .put("lr", m.learningRate()).put("gradNorm", m.gradNorm()).put("tokens", m.tokens())
        .put("tokensPerSecond", m.tokens() / Math.max(1e-9, m.seconds()));
    write(n);
  }

  @Override
  public void onEvaluation(int step, Trainer.Evaluation e) {
    write(JSON.createObjectNode().put("kind", "eval").put("step", step).put("order", e.trainingOrder())
        .put("valLoss", e.trainingOrderLoss()).put("valLossLeftToRight", e.leftToRightLoss()));
  }

  private void write(ObjectNode n) {
    try {
      out.write(n.toString());
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics log: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
