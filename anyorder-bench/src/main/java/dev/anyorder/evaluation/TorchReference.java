package dev.anyorder.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PyTorch eager reference of a training step ({@code scripts/torch_train_step.py}, our own script:
 * the same σ-GPT, random orders, AdamW and global-norm clipping) in a Python that has {@code torch}, so
 * {@code bench train --compare-torch} can put both throughputs side by side in one run.
 */
public final class TorchReference {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PYTHONS = List.of("python3", "/usr/bin/python3");

  private final String python;
  private final Path script;

  private TorchReference(String python, Path script) {
    this.python = python;
    this.script = script;
  }

  /** One measured configuration. */
  public record Measurement(int threads, double tokensPerSecond, double msPerStep, String torchVersion, String blas) {}

  /**
   * The reference, if a Python with torch and the script are present; otherwise a sentence saying what is
   * missing.
   */
  public static Optional<TorchReference> locate(Path home, StringBuilder whyNot) {
    Path script = home.resolve("scripts").resolve("torch_train_step.py");
    if (!Files.isRegularFile(script)) {
      whyNot.append("the reference script ").append(script).append(" is missing");
      return Optional.empty();
    }
    for (String python : PYTHONS) {
      try {
        Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return Optional.of(new TorchReference(python, script));
        }
      } catch (IOException e) {
        // this interpreter is not installed; try the next
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    whyNot.append("no Python with torch found (tried ").append(String.join(", ", PYTHONS))
        .append("); on Debian: apt-get install python3-torch libopenblas0-pthread");
    return Optional.empty();
  }

  /** Trains the configuration in PyTorch and returns its measured throughput. */
  public Measurement measure(Path data, int layers, int heads, int dim, int block, int batch, int steps, int warmup, int threads) {
    List<String> command = new ArrayList<>(List.of(python, script.toString(), "--data", data.toString(),
        "--layers", Integer.toString(layers), "--heads", Integer.toString(heads), "--dim", Integer.toString(dim),
        "--block", Integer.toString(block), "--batch", Integer.toString(batch), "--steps", Integer.toString(steps),
        "--warmup", Integer.toString(warmup), "--threads", Integer.toString(threads)));
    try {
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
        throw new IllegalStateException("the PyTorch reference failed (exit " + p.exitValue() + "): " + String.join(" ", command));
      }
      JsonNode r = JSON.readTree(out.strip().lines().reduce((a, b) -> b).orElse("{}"));
      return new Measurement(threads, r.path("tokensPerSecond").asDouble(), r.path("msPerStep").asDouble(), r.path("torch").asText(),
          r.path("blas").asText());
    } catch (IOException e) {
      throw new IllegalStateException("could not run the PyTorch reference: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the PyTorch reference ran", e);
    }
  }
}
