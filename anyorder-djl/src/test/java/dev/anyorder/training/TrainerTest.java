package dev.anyorder.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.testing.FixedDataset;
import dev.anyorder.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest {
  static final int[][] SEQUENCES = {
      {1, 2, 3, 4, 5, 6, 7, 0}, {7, 6, 5, 4, 3, 2, 1, 0}, {0, 0, 1, 1, 2, 2, 3, 3}, {4, 4, 4, 4, 5, 5, 5, 5}};
  static final ModelConfig CONFIG = new ModelConfig(8, 8, 2, 2, 32, 4, 0.0, PositionEncoding.LEARNED, false, true);

  static TrainConfig config(int steps, OrderSchedule order) {
    return TrainConfig.defaults().withSteps(steps).withBatch(16).withLearningRates(1e-2, 1e-3).withWarmup(20).withWeightDecay(0).withOrder(order)
        .withSeed(7).withEvaluation(0, 1).withCheckpointEvery(0);
  }

  @Test
  void memorisesATinyDatasetUnderRandomOrders() {
    try (NDManager m = TinyModels.manager();
        SigmaGpt model = SigmaGpt.initialize(CONFIG, 1, m, true);
        Trainer trainer = new Trainer(model, config(400, OrderSchedule.fixed(OrderKind.RANDOM)), new FixedDataset(SEQUENCES, 8))) {
      double before = trainer.validationLoss(OrderKind.RANDOM);
      trainer.run(new Trainer.Listener() {});
      double random = trainer.validationLoss(OrderKind.RANDOM);
      double l2r = trainer.validationLoss(OrderKind.LEFT_TO_RIGHT);
      // Four sequences: a perfect any-order model still pays for which sequence it is, at most log 4
      // nats over the whole sequence, so the per-token loss is bounded by log(4)/8 = 0.17.
      assertTrue(before > 1.5, "initial loss " + before);
      assertTrue(random < 0.25, "random-order loss after training " + random);
      assertTrue(l2r < 0.25, "left-to-right loss after training " + l2r);
    }
  }

  @Test
  void aStopRequestEndsTheRunAfterTheCurrentStepWithThatStepCheckpointed() {
    TrainConfig cfg = TrainConfig.defaults().withSteps(12).withBatch(4).withLearningRates(1e-2, 1e-3).withWarmup(2).withWeightDecay(0)
        .withOrder(OrderSchedule.fixed(OrderKind.RANDOM)).withSeed(7).withEvaluation(0, 1).withCheckpointEvery(4);
    List<Integer> checkpoints = new ArrayList<>();
    try (NDManager m = TinyModels.manager();
        SigmaGpt model = SigmaGpt.initialize(CONFIG, 1, m, true);
        Trainer trainer = new Trainer(model, cfg, new FixedDataset(SEQUENCES, 8))) {
      trainer.run(new Trainer.Listener() {
        @Override
        public void onStep(Trainer.StepMetrics metrics) {
          if (metrics.step() == 6) {
            trainer.requestStop(); // as the shutdown hook does, from another thread, while a step runs
          }
        }

        @Override
        public void onCheckpoint(int step) {
          checkpoints.add(step);
        }
      });
      assertEquals(6, trainer.step());
      assertEquals(List.of(4, 6), checkpoints, "the scheduled checkpoint, then the step the run stopped at");
    }
    // a stop right after a scheduled checkpoint does not write the same step twice
    List<Integer> again = new ArrayList<>();
    try (NDManager m = TinyModels.manager();
        SigmaGpt model = SigmaGpt.initialize(CONFIG, 1, m, true);
        Trainer trainer = new Trainer(model, cfg, new FixedDataset(SEQUENCES, 8))) {
      trainer.run(new Trainer.Listener() {
        @Override
        public void onCheckpoint(int step) {
          again.add(step);
          trainer.requestStop();
        }
      });
      assertEquals(List.of(4), again);
    }
  }

  @Test
  void resumingContinuesBitForBit() {
    TrainConfig cfg = config(12, OrderSchedule.parse("curriculum"));
    List<Double> straight = new ArrayList<>();
    Map<String, float[]> finalWeights;
    try (NDManager m = TinyModels.manager();
        SigmaGpt model = SigmaGpt.initialize(CONFIG, 1, m, true);
        Trainer trainer = new Trainer(model, cfg, new FixedDataset(SEQUENCES, 8))) {
      trainer.run(new Trainer.Listener() {
        @Override
        public void onStep(Trainer.StepMetrics metrics) {
          straight.add(metrics.loss());
        }
      });
      finalWeights = model.weights();
    }
    List<Double> resumed = new ArrayList<>();
    Map<String, float[]> saved;
    Map<String, float[]> savedOptimizer;
    long updates;
    try (NDManager m = TinyModels.manager();
        SigmaGpt model = SigmaGpt.initialize(CONFIG, 1, m, true);
        Trainer trainer = new Trainer(model, cfg, new FixedDataset(SEQUENCES, 8))) {
      for (int i = 0; i < 5; i++) {
        resumed.add(trainer.trainStep().loss());
      }
      saved = model.weights();
      savedOptimizer = trainer.optimizer().state();
      updates = trainer.optimizer().updates();
    }
    try (NDManager m = TinyModels.manager();
        SigmaGpt model = SigmaGpt.fromWeights(CONFIG, saved, m, true);
        Trainer trainer = new Trainer(model, cfg, new FixedDataset(SEQUENCES, 8))) {
      trainer.optimizer().restore(savedOptimizer, updates);
      trainer.resumeAt(5);
      trainer.run(new Trainer.Listener() {
        @Override
        public void onStep(Trainer.StepMetrics metrics) {
          resumed.add(metrics.loss());
        }
      });
      assertEquals(straight, resumed);
      Map<String, float[]> after = model.weights();
      for (String k : finalWeights.keySet()) {
        assertArrayEquals(finalWeights.get(k), after.get(k), k);
      }
    }
  }

  @Test
  void twoWorkersComputeTheSameStepsAsOne() {
    TrainConfig cfg = config(8, OrderSchedule.fixed(OrderKind.RANDOM));
    List<Double> one = new ArrayList<>();
    List<Double> two = new ArrayList<>();
    List<Double> twoAgain = new ArrayList<>();
    Map<String, float[]> w1 = trainWith(cfg, 1, one);
    Map<String, float[]> w2 = trainWith(cfg, 2, two);
    Map<String, float[]> w2Again = trainWith(cfg, 2, twoAgain);
    // Splitting the batch changes only the summation order of the gradient.
    for (int i = 0; i < one.size(); i++) {
      assertEquals(one.get(i), two.get(i), 1e-5, "loss of step " + (i + 1));
    }
    for (String k : w1.keySet()) {
      float[] a = w1.get(k);
      float[] b = w2.get(k);
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 1e-4, k + "[" + i + "]");
      }
      assertArrayEquals(b, w2Again.get(k), "two runs with two workers differ in " + k);
    }
    assertEquals(two, twoAgain);
  }

  private static Map<String, float[]> trainWith(TrainConfig cfg, int workers, List<Double> losses) {
    try (NDManager m = TinyModels.manager();
        SigmaGpt model = SigmaGpt.initialize(CONFIG, 1, m, true);
        Trainer trainer = new Trainer(model, cfg, new FixedDataset(SEQUENCES, 8), workers)) {
      for (int i = 0; i < cfg.steps(); i++) {
        losses.add(trainer.trainStep().loss());
      }
      assertEquals(workers, trainer.workers());
      return model.weights();
    }
  }

  @Test
  void learningRateWarmsUpThenFollowsTheCosine() {
    TrainConfig c = TrainConfig.defaults().withSteps(1000).withBatch(1);
    assertEquals(1e-5, c.learningRateAt(0), 1e-12);
    assertEquals(1e-3, c.learningRateAt(99), 1e-12);
    assertEquals(1e-3, c.learningRateAt(100), 1e-12);
    assertEquals(5.5e-4, c.learningRateAt(550), 1e-9);
    assertEquals(1e-4, c.learningRateAt(1000), 1e-12);
  }
}
