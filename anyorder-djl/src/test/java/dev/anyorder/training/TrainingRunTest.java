package dev.anyorder.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.data.IdVocabulary;
import dev.anyorder.io.CheckpointException;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.testing.FixedDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run interrupted after a checkpoint and resumed from the files on disk matches an uninterrupted run bit for bit. */
class TrainingRunTest {
  @TempDir Path tmp;

  static TrainingRun.Spec spec(Path out) {
    TrainConfig train = TrainConfig.defaults().withSteps(12).withBatch(4).withAccumulation(2).withLearningRates(3e-3, 3e-4).withWarmup(3)
        .withOrder(OrderSchedule.parse("rar")).withSeed(11).withEvaluation(4, 1).withCheckpointEvery(4);
    return new TrainingRun.Spec(out, TrainerTest.CONFIG, train, new FixedDataset(TrainerTest.SEQUENCES, 8), new IdVocabulary(8),
        Map.of(), "cpu", 2);
  }

  static Trainer.Listener recording(List<Double> losses, int stopAfterCheckpoint) {
    return new Trainer.Listener() {
      @Override
      public void onStep(Trainer.StepMetrics m) {
        losses.add(m.loss());
      }

      @Override
      public void onCheckpoint(int step) {
        if (step == stopAfterCheckpoint) {
          throw new IllegalStateException("simulated crash after step " + step);
        }
      }
    };
  }

  @Test
  void resumedRunMatchesUninterruptedRunBitForBit() throws Exception {
    List<Double> straight = new ArrayList<>();
    TrainingRun.run(spec(tmp.resolve("a")), false, recording(straight, -1));

    List<Double> interrupted = new ArrayList<>();
    Path b = tmp.resolve("b");
    assertThrows(IllegalStateException.class, () -> TrainingRun.run(spec(b), false, recording(interrupted, 8)));
    assertEquals(8, interrupted.size());
    TrainingRun.run(spec(b), true, recording(interrupted, -1));

    assertEquals(straight, interrupted, "losses after resuming differ from the uninterrupted run");
    SavedModel x = ModelDirectory.load(tmp.resolve("a"), true);
    SavedModel y = ModelDirectory.load(b, true);
    for (int i = 0; i < x.weights().size(); i++) {
      NamedTensor p = x.weights().get(i);
      assertArrayEquals(p.data(), y.weights().get(i).data(), p.name());
    }
    assertEquals(x.optimizer(), y.optimizer());
    assertTrue(Files.readString(b.resolve(TrainingRun.METRICS_FILE)).contains("\"kind\":\"eval\""));
  }

  @Test
  void resumingAFinishedRunReportsItsEvaluation() {
    Path out = tmp.resolve("done");
    TrainingRun.Result first = TrainingRun.run(spec(out), false, new Trainer.Listener() {});
    TrainingRun.Result again = TrainingRun.run(spec(out), true, new Trainer.Listener() {});
    assertEquals(0, again.stepsThisRun());
    assertEquals(first.steps(), again.steps());
    assertEquals(first.evaluation(), again.evaluation());
    assertEquals(2, again.threads());
  }

  @Test
  void refusesToOverwriteOrResumeNothing() {
    Path out = tmp.resolve("c");
    CheckpointException none = assertThrows(CheckpointException.class, () -> TrainingRun.run(spec(out), true, new Trainer.Listener() {}));
    assertTrue(none.getMessage().contains("nothing to resume"), none.getMessage());
    TrainingRun.run(spec(out), false, new Trainer.Listener() {});
    CheckpointException exists = assertThrows(CheckpointException.class, () -> TrainingRun.run(spec(out), false, new Trainer.Listener() {}));
    assertTrue(exists.getMessage().contains("already holds a model"), exists.getMessage());
  }

  @Test
  void resumeRejectsDifferentVocabulary() throws Exception {
    Path out = tmp.resolve("d");
    List<Double> losses = new ArrayList<>();
    assertThrows(IllegalStateException.class, () -> TrainingRun.run(spec(out), false, recording(losses, 4)));
    byte[] before = Files.readAllBytes(out.resolve(ModelDirectory.MODEL_FILE));
    TrainingRun.Spec s = spec(out);
    TrainingRun.Spec other = new TrainingRun.Spec(out, s.model(), s.train(), s.data(), dev.anyorder.data.CharacterVocabulary.fromText("abcdefgh"),
        Map.of(), "cpu", 2);
    CheckpointException e = assertThrows(CheckpointException.class, () -> TrainingRun.run(other, true, new Trainer.Listener() {}));
    assertTrue(e.getMessage().contains("vocabulary"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(out.resolve(ModelDirectory.MODEL_FILE)), "a rejected resume must not touch the checkpoint");
  }
}
