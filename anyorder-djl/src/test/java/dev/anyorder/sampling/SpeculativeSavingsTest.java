package dev.anyorder.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.testing.TinyModels;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Speculative decoding must save network calls, not just stay exact: a sampler that rejected every draft
 * would still be exact and pass every distribution test while spending as many evaluations as the
 * sequential sampler. On a fixed small model with smooth conditionals (the regime where drafts agree with
 * their verification, as on a trained model's easy positions) and a fixed seed, it must use at most 0.6×
 * the NFE of sequential decoding.
 */
class SpeculativeSavingsTest {

  @Test
  void speculativeUsesAtMostSixTenthsOfSequentialNfe() {
    try (NDManager manager = TinyModels.manager();
        DjlNetwork net = new DjlNetwork(TinyModels.random(TinyModels.config(8, 32), 7, 0.05, manager), true)) {
      List<SampleRequest> requests = Collections.nCopies(8, SampleRequest.unconditional(32));
      SamplerConfig base = SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withOrder(OrderSpec.of(OrderKind.RANDOM)).withSeed(11);
      long sequential = totalNfe(Sampler.create(net, base).sample(requests));
      long speculative = totalNfe(Sampler.create(net, base.withKind(SamplerKind.SPECULATIVE).withK(4)).sample(requests));
      System.out.printf("NFE for 8 x 32 tokens: sequential %d, speculative %d (%.2fx)%n", sequential, speculative,
          (double) speculative / sequential);
      assertEquals(8 * 32, sequential, "sequential takes one evaluation per token");
      assertTrue(speculative <= 0.6 * sequential, "speculative NFE " + speculative + " vs sequential " + sequential);
    }
  }

  private static long totalNfe(SampleBatch batch) {
    return batch.samples().stream().mapToLong(Sample::nfe).sum();
  }
}
