package dev.anyorder.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The adaptive planner commits the cell its rule ranks first: with the margin rule, the one whose top-1 minus
 * top-2 probability is largest, even where another cell has a more probable top token (the max-prob rule's
 * choice, the negative control).
 */
class AdaptivePlannerTest {
  static final ModelConfig CONFIG = ModelConfig.of(3, 5, 1, 1, 4);

  /**
   * Probabilities of each position's conditional, whatever is committed: position 1 has the most probable top
   * token (0.60, margin 0.21), position 3 the largest margin (0.58 - 0.21 = 0.37), the others are flatter.
   */
  static final double[][] PROBABILITIES = {
    {0.40, 0.35, 0.25},
    {0.60, 0.39, 0.01},
    {0.34, 0.33, 0.33},
    {0.21, 0.58, 0.21},
    {0.45, 0.30, 0.25},
  };

  /** A network whose query for position {@code j} always returns the logits of {@link #PROBABILITIES}[j]. */
  static final class FixedConditionals implements Network {
    @Override
    public ModelConfig config() {
      return CONFIG;
    }

    @Override
    public DecodeState newState(int batch) {
      int[] lengths = new int[batch];
      return new DecodeState() {
        @Override
        public int batch() {
          return batch;
        }

        @Override
        public int length(int b) {
          return lengths[b];
        }

        @Override
        public void rollback(int b, int steps) {
          lengths[b] -= steps;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public List<CallResult> call(DecodeState state, List<SequenceCall> calls) {
      List<CallResult> out = new ArrayList<>();
      for (SequenceCall call : calls) {
        if (call.isEmpty()) {
          out.add(CallResult.EMPTY);
          continue;
        }
        float[][] queries = new float[call.queries().size()][];
        for (int q = 0; q < queries.length; q++) {
          Step s = call.queries().get(q);
          double[] p = PROBABILITIES[s.toPosition()];
          queries[q] = new float[] {(float) Math.log(p[0]), (float) Math.log(p[1]), (float) Math.log(p[2])};
        }
        int ext = call.extend().size();
        float[][] extension = new float[Math.max(0, ext - Math.min(call.emitFrom(), ext))][3];
        out.add(new CallResult(extension, queries, new double[0], new float[0][][]));
      }
      return out;
    }

    @Override
    public void close() {}
  }

  static int[] commitOrder(PositionRule rule) {
    SamplerConfig config = SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(rule);
    SampleRequest request = SampleRequest.withKnown(5, Map.of(0, 0));
    return Sampler.create(new FixedConditionals(), config).sample(List.of(request)).samples().get(0).commitOrder();
  }

  @Test
  void marginPicksTheLargestTopTwoGap() {
    int[] order = commitOrder(PositionRule.MARGIN);
    assertEquals(3, order[0], "position 3 has the largest margin (0.37)");
    assertArrayEquals(new int[] {3, 1, 4, 2}, order, "then by margin: 0.21, 0.15, 0.01");
  }

  @Test
  void maxProbabilityPicksTheMostProbableTopTokenInstead() {
    assertEquals(1, commitOrder(PositionRule.MAX_PROB)[0], "negative control: another rule, another first cell");
  }
}
