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
    TrainConfig train = new TrainConfig(1, 4, 1, 1e-3, 1e-4, 100, 0.1, 0.9, 0.99, 1.0, OrderSchedule.parse("known-first"), 3, 0, 4, 0)
        .withKnownPositions(known);
    TrainConfig planned = TaskModelTrainer.withSchedule(train, 500);
    assertEquals(500, planned.steps());
    assertArrayEquals(known, planned.knownPositions(), "known-first orders and the target loss need the prompt mask");
  }
}
