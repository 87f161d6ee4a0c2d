package dev.anyorder.training;

import dev.anyorder.io.AtomicFiles;
import dev.anyorder.io.ModelDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Checks that training is reproducible at a real configuration: two fresh runs with the same seed give
 * identical weights, and a run restarted from its halfway checkpoint on disk (what is left after the
 * process is killed) ends with the weights of the run that never stopped. Each run goes through
 * {@link TrainingRun}, so saving, loading and resuming are the code users run.
 */
public final class ReproducibilityCheck {
  private ReproducibilityCheck() {}

  /** Digests of the final {@code model.safetensors} of each run, and the verdicts. */
  public record Outcome(int steps, String first, String second, String resumed, double seconds) {
    public boolean freshRunsAgree() {
      return first.equals(second);
    }

    public boolean resumeAgrees() {
      return first.equals(resumed);
    }
  }

  /**
   * Runs the check in a scratch directory under {@code workDir}. {@code spec.train()} must checkpoint at
   * half its steps (the resumed run starts there).
   */
  public static Outcome run(TrainingRun.Spec spec, Path workDir) {
    int steps = spec.train().steps();
    int half = steps / 2;
    if (half < 1 || spec.train().checkpointEvery() != half) {
      throw new IllegalArgumentException("the check needs a run of at least 2 steps that checkpoints at half of them");
    }
    long started = System.nanoTime();
    try {
      Files.createDirectories(workDir);
      Path scratch = Files.createTempDirectory(workDir, "reproducibility-");
      Path first = scratch.resolve("first");
      Path second = scratch.resolve("second");
      Path killed = scratch.resolve("killed-at-half");
      TrainingRun.run(spec.withOut(first), false, new Trainer.Listener() {
        @Override
        public void onCheckpoint(int step) {
          if (step == half) {
            copy(first, killed);
          }
        }
      });
      TrainingRun.run(spec.withOut(second), false, new Trainer.Listener() {});
      TrainingRun.run(spec.withOut(killed), true, new Trainer.Listener() {});
      Outcome outcome = new Outcome(steps, digest(first), digest(second), digest(killed), (System.nanoTime() - started) / 1e9);
      AtomicFiles.deleteRecursively(scratch);
      return outcome;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> files = Files.list(from)) {
      Files.createDirectories(to);
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String digest(Path dir) throws IOException {
    return AtomicFiles.sha256Hex(Files.readAllBytes(dir.resolve(ModelDirectory.MODEL_FILE)));
  }
}
