package dev.anyorder.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.data.IdVocabulary;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.testing.FixedDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducibilityCheckTest {
  @TempDir Path tmp;

  private static TrainingRun.Spec spec(int steps, int checkpointEvery, int threads) {
    TrainConfig train = TrainConfig.defaults().withSteps(steps).withBatch(4).withLearningRates(3e-3, 3e-4).withWarmup(2).withSeed(3)
        .withEvaluation(0, 1).withCheckpointEvery(checkpointEvery);
    return new TrainingRun.Spec(Path.of("unused"), TrainerTest.CONFIG, train, new FixedDataset(TrainerTest.SEQUENCES, 8),
        new IdVocabulary(8), Map.of(), "cpu", threads);
  }

  @Test
  void freshAndResumedRunsGiveTheSameWeightsAndTheScratchIsRemoved() throws Exception {
    ReproducibilityCheck.Outcome o = ReproducibilityCheck.run(spec(10, 5, 2), tmp);
    assertTrue(o.freshRunsAgree(), "two fresh runs differ");
    assertTrue(o.resumeAgrees(), "the run resumed at step 5 differs from the uninterrupted one");
    assertEquals(64, o.first().length());
    try (var left = Files.list(tmp)) {
      assertEquals(0, left.count(), "scratch directories left behind");
    }
  }

  @Test
  void needsAHalfwayCheckpoint() {
    assertThrows(IllegalArgumentException.class, () -> ReproducibilityCheck.run(spec(10, 3, 1), tmp));
  }
}
