package dev.anyorder.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.orders.OrderKind;
import dev.anyorder.orders.OrderSchedule;
import org.junit.jupiter.api.Test;

/** {@link TrainConfig#defaults()} is the documented recipe, and each wither changes its own settings only. */
class TrainConfigTest {
  @Test
  void defaultsAreTheNamedConstants() {
    TrainConfig d = TrainConfig.defaults();
    assertEquals(3000, d.steps());
    assertEquals(12, d.batch());
    assertEquals(1, d.accumulation());
    assertEquals(1e-3, d.learningRate());
    assertEquals(1e-4, d.minLearningRate(), "a tenth of the peak, exactly the old literal");
    assertEquals(100, d.warmup());
    assertEquals(0.1, d.weightDecay());
    assertEquals(0.9, d.beta1());
    assertEquals(0.99, d.beta2());
    assertEquals(1.0, d.gradClip());
    assertEquals(OrderSchedule.fixed(OrderKind.RANDOM), d.order());
    assertEquals(1, d.seed());
    assertEquals(500, d.evalEvery());
    assertEquals(20, d.evalBatches());
    assertEquals(1000, d.checkpointEvery());
    assertNull(d.knownPositions());
    assertFalse(d.knownFromData());
    assertFalse(d.promptFirst());
    assertEquals(1e-8, TrainConfig.ADAM_EPSILON);
  }

  @Test
  void withersChangeOnlyTheirSettings() {
    TrainConfig d = TrainConfig.defaults();
    TrainConfig c = d.withSteps(7).withBatch(3).withAccumulation(2).withLearningRates(5e-3, 5e-4).withWarmup(1).withWeightDecay(0)
        .withBetas(0.8, 0.95).withGradClip(0).withOrder(OrderSchedule.parse("rar")).withSeed(9).withEvaluation(2, 3)
        .withCheckpointEvery(4);
    assertEquals(new TrainConfig(7, 3, 2, 5e-3, 5e-4, 1, 0, 0.8, 0.95, 0, OrderSchedule.parse("rar"), 9, 2, 3, 4, null, false, false), c);
    assertEquals(d, d.withSteps(7).withSteps(d.steps()), "a wither leaves the rest alone");
    boolean[] known = {true, false, false};
    TrainConfig k = d.withKnownPositions(known);
    assertTrue(k.knownPositions()[0]);
    assertEquals(d, k.withoutKnownPositions());
    TrainConfig fromData = d.withKnownFromData(true);
    assertTrue(fromData.knownFromData() && fromData.promptFirst());
    assertEquals(d, fromData.withoutKnownPositions());
  }

  @Test
  void withersValidateLikeTheConstructor() {
    TrainConfig d = TrainConfig.defaults();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withLearningRates(1e-4, 1e-3));
    assertTrue(e.getMessage().contains("min learning rate"), e.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withBatch(0)).getMessage().contains("batch"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withBetas(1, 0.9)).getMessage().contains("beta1"));
  }
}
