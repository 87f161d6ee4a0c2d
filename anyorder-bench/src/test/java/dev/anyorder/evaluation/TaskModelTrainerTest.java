package dev.anyorder.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.training.TrainConfig;
import org.junit.jupiter.api.Test;

class TaskModelTrainerTest {
  @Test
  void rescheduledStepsKeepTheKnownPositions() {
    boolean[] known = {true, true, false, false};
    TrainConfig train = TrainConfig.defaults().withSteps(1).withBatch(4).withOrder(OrderSchedule.parse("known-first")).withSeed(3).withEvaluation(0, 4).withCheckpointEvery(0)
        .withKnownPositions(known);
    TrainConfig planned = TaskModelTrainer.withSchedule(train, 500);
    assertEquals(500, planned.steps());
    assertArrayEquals(known, planned.knownPositions(), "known-first orders and the target loss need the prompt mask");
  }
}
