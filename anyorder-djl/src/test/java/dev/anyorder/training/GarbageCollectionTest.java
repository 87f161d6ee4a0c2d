package dev.anyorder.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.testing.FixedDataset;
import dev.anyorder.testing.TinyModels;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Training must not depend on when the garbage collector runs. DJL's PyTorch engine backs tensors made
 * from Java data (including the scalar of {@code x.mul(2)}) with direct buffers the collector frees; a
 * backward pass that reads such a buffer after a collection computes gradients from freed memory. Surefire
 * sets {@code MALLOC_PERTURB_}, so freed memory is overwritten and such a read changes the result.
 */
class GarbageCollectionTest {

  @Test
  void collectionsBetweenForwardAndBackwardChangeNothing() {
    TrainConfig cfg = TrainerTest.config(6, OrderSchedule.fixed(OrderKind.RANDOM));
    Result quiet = train(cfg, () -> {});
    Result collected = train(cfg, GarbageCollectionTest::collectAndRecycle);
    assertEquals(quiet.losses(), collected.losses());
    for (Map.Entry<String, float[]> e : quiet.weights().entrySet()) {
      assertArrayEquals(e.getValue(), collected.weights().get(e.getKey()), e.getKey());
    }
  }

  private record Result(List<Double> losses, Map<String, float[]> weights) {}

  private static Result train(TrainConfig cfg, Runnable beforeBackward) {
    try (NDManager m = TinyModels.manager();
        SigmaGpt model = SigmaGpt.initialize(TrainerTest.CONFIG, 1, m, true);
        Trainer trainer = new Trainer(model, cfg, new FixedDataset(TrainerTest.SEQUENCES, 8))) {
      trainer.beforeBackward(beforeBackward);
      List<Double> losses = new ArrayList<>();
      for (int i = 0; i < cfg.steps(); i++) {
        losses.add(trainer.trainStep().loss());
      }
      return new Result(losses, model.weights());
    }
  }

  /** Collects, lets the cleaner free unreachable direct buffers, and reuses their memory. */
  private static void collectAndRecycle() {
    System.gc();
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ByteBuffer> reuse = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(16);
      b.putLong(0, 0x7FF0_0000_0000_0001L).putLong(8, 0x7FF0_0000_0000_0001L); // NaN bit patterns
      reuse.add(b);
    }
  }
}
