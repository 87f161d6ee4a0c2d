package dev.anyorder.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.testing.TinyModels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-sequence seeds: a sequence's result does not depend on its batch, and matches a fresh sampler. */
class SequenceSeedTest {
  static final ModelConfig CONFIG = TinyModels.config(5, 10);
  static NDManager manager;
  static DjlNetwork net;

  @BeforeAll
  static void setUp() {
    manager = TinyModels.manager();
    net = new DjlNetwork(TinyModels.random(CONFIG, 5, 0.7, manager), true);
  }

  @AfterAll
  static void tearDown() {
    net.close();
    manager.close();
  }

  @Test
  void streamIReproducesSampleIOfAFreshSampler() {
    SampleRequest request = SampleRequest.withKnown(10, Map.of(0, 4, 3, 1));
    for (SamplerConfig config : SamplerBehaviourTest.everySampler()) {
      SamplerConfig c = config.withSeed(42).withNumSamples(3);
      SampleBatch fresh = Sampler.create(net, c).sample(request);
      List<SequenceSeed> seeds = List.of(new SequenceSeed(42, 0), new SequenceSeed(42, 1), new SequenceSeed(42, 2));
      SampleBatch seeded = Sampler.create(net, c.withSeed(7)).sample(Collections.nCopies(3, request), seeds, CommitListener.NONE);
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(fresh.samples().get(i).tokens(), seeded.samples().get(i).tokens(), c + " sample " + i);
      }
    }
  }

  @Test
  void aSequencesTokensDoNotDependOnItsBatch() {
    List<SampleRequest> requests = SamplerBehaviourTest.requests();
    for (SamplerConfig config : SamplerBehaviourTest.everySampler()) {
      List<SequenceSeed> seeds = new ArrayList<>();
      for (int b = 0; b < requests.size(); b++) {
        seeds.add(new SequenceSeed(100 + b, 0));
      }
      SampleBatch together = Sampler.create(net, config).sample(requests, seeds, CommitListener.NONE);
      for (int b = 0; b < requests.size(); b++) {
        SampleBatch alone = Sampler.create(net, config).sample(List.of(requests.get(b)), List.of(seeds.get(b)), CommitListener.NONE);
        assertArrayEquals(alone.samples().get(0).tokens(), together.samples().get(b).tokens(), config + " request " + b);
        assertEquals(alone.samples().get(0).nfe(), together.samples().get(b).nfe(), config + " request " + b);
      }
    }
  }

  @Test
  void mismatchedSeedsAndNegativeStreamsAreRejected() {
    Sampler sampler = Sampler.create(net, SamplerConfig.defaults(SamplerKind.SEQUENTIAL));
    assertThrows(IllegalArgumentException.class,
        () -> sampler.sample(List.of(SampleRequest.unconditional(3)), List.of(), CommitListener.NONE));
    assertThrows(IllegalArgumentException.class, () -> new SequenceSeed(1, -1));
  }
}
