package dev.anyorder.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.Sampler;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.testing.FixedDataset;
import dev.anyorder.testing.NativeMemory;
import dev.anyorder.testing.TinyModels;
import java.util.List;
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
  void samplingStepsFreeWhatTheyAllocate() {
    ModelConfig c = TinyModels.config(7, 16);
    try (NDManager m = TinyModels.manager(); DjlNetwork net = TinyModels.network(c, 5, m)) {
      SampleRequest infill = SampleRequest.withKnown(16, java.util.Map.of(3, 1, 9, 4));
      List<Sampler> samplers = List.of(
          Sampler.create(net, SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withOrder(OrderKind.RANDOM)),
          Sampler.create(net, SamplerConfig.defaults(SamplerKind.SPECULATIVE).withK(3)),
          Sampler.create(net, SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(PositionRule.MARGIN)),
          Sampler.create(net, SamplerConfig.defaults(SamplerKind.BURST)));
      int arrays = -1;
      long rss = 0;
      long nfe = 0;
      for (int round = 0; nfe < 1200; round++) {
        if (round == 4) {
          arrays = NativeMemory.liveArrays(m);
          rss = NativeMemory.residentBytes();
          nfe = 0;
        }
        for (Sampler s : samplers) {
          nfe += s.sample(List.of(infill, SampleRequest.unconditional(16))).totalNfe();
        }
      }
      assertEquals(arrays, NativeMemory.liveArrays(m), "live NDArrays grew over " + nfe + " sampling steps");
      long grown = NativeMemory.residentBytes() - rss;
      assertTrue(grown < RSS_SLACK, "RSS grew by " + (grown >> 20) + " MiB over " + nfe + " sampling steps");
    }
  }
}
