package dev.anyorder.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.Step;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.testing.FixedDataset;
import dev.anyorder.testing.NativeMemory;
import dev.anyorder.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Native memory stays flat over many training and decoding steps: every step frees what it allocates. */
class MemoryFlatnessTest {
  /** Heap is pre-touched (see the Surefire argLine), so RSS growth is native growth; allow JIT and allocator noise. */
  static final long RSS_SLACK = 40L << 20;

  @Test
  void trainingStepsFreeWhatTheyAllocate() {
    ModelConfig c = TrainerTest.CONFIG;
    try (NDManager m = TinyModels.manager();
        SigmaGpt model = SigmaGpt.initialize(c, 1, m, true);
        Trainer trainer = new Trainer(model, TrainerTest.config(1000, OrderSchedule.parse("random")),
            new FixedDataset(TrainerTest.SEQUENCES, 8))) {
      for (int i = 0; i < 100; i++) {
        trainer.trainStep();
      }
      trainer.evaluate();
      int arrays = NativeMemory.liveArrays(m);
      long rss = NativeMemory.residentBytes();
      for (int i = 100; i < 1000; i++) {
        trainer.trainStep();
        if (i % 300 == 0) {
          trainer.evaluate();
        }
      }
      assertEquals(arrays, NativeMemory.liveArrays(m), "live NDArrays grew over 900 training steps");
      long grown = NativeMemory.residentBytes() - rss;
      assertTrue(grown < RSS_SLACK, "RSS grew by " + (grown >> 20) + " MiB over 900 training steps");
    }
  }

  @Test
  void decodingStepsFreeWhatTheyAllocate() {
    ModelConfig c = TinyModels.config(7, 16);
    Random r = new Random(3);
    try (NDManager m = TinyModels.manager(); DjlNetwork net = TinyModels.network(c, 5, m)) {
      int arrays = -1;
      long rss = 0;
      int steps = 0;
      for (int decode = 0; decode < 64; decode++) {
        if (decode == 8) {
          arrays = NativeMemory.liveArrays(m);
          rss = NativeMemory.residentBytes();
          steps = 0;
        }
        // One decode of 16 steps: extend, query and roll back as the samplers do.
        try (DecodeState s = net.newState(2)) {
          for (int t = 0; t < 16; t++, steps++) {
            List<Step> q = new ArrayList<>();
            for (int j = t; j < 16; j++) {
              q.add(new Step(r.nextInt(7), t == 0 ? c.nonePosition() : t - 1, j));
            }
            Step next = t == 0 ? new Step(c.startToken(), c.nonePosition(), 0) : new Step(r.nextInt(7), t - 1, t);
            net.call(s, List.of(new SequenceCall(List.of(next, next), 1, null, q), SequenceCall.extend(List.of(next), 1)));
            s.rollback(0, 1);
          }
        }
      }
      assertTrue(steps >= 896, "ran " + steps + " measured steps");
      assertEquals(arrays, NativeMemory.liveArrays(m), "live NDArrays grew over 900 decoding steps");
      long grown = NativeMemory.residentBytes() - rss;
      assertTrue(grown < RSS_SLACK, "RSS grew by " + (grown >> 20) + " MiB over 900 decoding steps");
    }
  }
}
