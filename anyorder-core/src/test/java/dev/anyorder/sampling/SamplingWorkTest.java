package dev.anyorder.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.java.JavaNetwork;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link SamplingWork} bounds what every sampler really pushes through the network, as its
 * {@link CallGate} counts it, and is tight where the work does not depend on the draws (sequential,
 * adaptive); a gate that throws stops a sampling at its next call.
 */
class SamplingWorkTest {
  static final int LENGTH = 14;
  static final ModelConfig CONFIG = ModelConfig.of(5, LENGTH, 2, 2, 16);

  static Network network() {
    return new JavaNetwork(CONFIG, dev.anyorder.testing.RandomWeights.of(CONFIG, 3, 0.8));
  }

  /** Calls, sequences summed over them and rows one sampling made, as its gate saw them. */
  private record Counted(long calls, long sequenceCalls, long rows) {}

  private static Counted run(Network net, SamplerConfig config, SampleRequest request) {
    long[] counts = new long[3];
    List<SequenceSeed> seeds = new ArrayList<>();
    for (int i = 0; i < config.numSamples(); i++) {
      seeds.add(new SequenceSeed(config.seed(), i));
    }
    Sampler.create(net, config).sample(Collections.nCopies(config.numSamples(), request), seeds, CommitListener.NONE, (sequences, rows) -> {
      counts[0]++;
      counts[1] += sequences;
      counts[2] += rows;
    });
    return new Counted(counts[0], counts[1], counts[2]);
  }

  @Test
  void theBoundHoldsForEverySamplerAndIsTightWhereTheWorkIsFixed() {
    Network net = network();
    List<SamplerConfig> configs = List.of(
        SamplerConfig.defaults(SamplerKind.SEQUENTIAL),
        SamplerConfig.defaults(SamplerKind.ADAPTIVE).withK(1),
        SamplerConfig.defaults(SamplerKind.ADAPTIVE).withK(3),
        SamplerConfig.defaults(SamplerKind.ADAPTIVE).withBeam(3),
        SamplerConfig.defaults(SamplerKind.BURST).withBurstOrders(1),
        SamplerConfig.defaults(SamplerKind.BURST).withBurstOrders(6),
        SamplerConfig.defaults(SamplerKind.BURST).withBurstOrders(6).withTemperature(3),
        SamplerConfig.defaults(SamplerKind.SPECULATIVE).withK(4),
        SamplerConfig.defaults(SamplerKind.SPECULATIVE).withK(3).withAdaptiveK(true),
        SamplerConfig.defaults(SamplerKind.SPECULATIVE).withDrafter(DrafterKind.NGRAM).withK(5));
    for (SamplerConfig base : configs) {
      for (int known : new int[] {0, 4}) {
        SamplerConfig config = base.withNumSamples(3).withSeed(9);
        Map<Integer, Integer> given = new java.util.HashMap<>();
        for (int p = 0; p < known; p++) {
          given.put(2 * p + 1, p % CONFIG.vocabSize());
        }
        SampleRequest request = SampleRequest.withKnown(LENGTH, given);
        Counted counted = run(net, config, request);
        SamplingWork bound = SamplingWork.of(config, LENGTH, known);
        String what = config.kind() + " k=" + config.k() + " beam=" + config.beam() + " M=" + config.burstOrders() + " known="
            + known + ": counted " + counted + ", bound " + bound;
        assertTrue(counted.calls() <= bound.calls() && counted.sequenceCalls() <= bound.sequenceCalls()
            && counted.rows() <= bound.rows(), what);
        if (config.kind() == SamplerKind.SEQUENTIAL || (config.kind() == SamplerKind.ADAPTIVE && config.beam() == 1)) {
          assertEquals(bound.calls(), counted.calls(), what);
          assertEquals(bound.sequenceCalls(), counted.sequenceCalls(), what);
          // The bound counts the start slot's step and a full last feed; nothing else.
          assertTrue(bound.rows() - counted.rows() <= 2L * config.numSamples() * config.k(), what);
        }
      }
    }
  }

  @Test
  void theIssuesBurstRequestIsPricedByItsRowsNotItsTokens() {
    SamplerConfig burst = SamplerConfig.defaults(SamplerKind.BURST).withBurstOrders(64).withNumSamples(2);
    SamplingWork w = SamplingWork.of(burst, 64, 0);
    // Once 64 × 2 × 64 = 8192; its verifications alone are 64 orders × up to 64 positions a round.
    assertTrue(w.rows() > 250_000, String.valueOf(w));
  }

  @Test
  void aGateThatThrowsStopsTheSamplingAtItsNextCall() {
    Network net = network();
    for (SamplerKind kind : SamplerKind.values()) {
      int[] calls = {0};
      SamplerConfig config = SamplerConfig.defaults(kind).withNumSamples(2);
      List<SequenceSeed> seeds = List.of(new SequenceSeed(1, 0), new SequenceSeed(1, 1));
      IllegalStateException stop = assertThrows(IllegalStateException.class, () -> Sampler.create(net, config).sample(
          Collections.nCopies(2, SampleRequest.unconditional(LENGTH)), seeds, CommitListener.NONE, (sequences, rows) -> {
            if (++calls[0] == 2) {
              throw new IllegalStateException("abandoned");
            }
          }));
      assertEquals("abandoned", stop.getMessage());
      assertEquals(2, calls[0], kind + " asked the gate again after it threw");
    }
  }
}
