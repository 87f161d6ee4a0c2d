package dev.anyorder.model.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.Step;
import dev.anyorder.model.WeightFormat;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A bfloat16 Java network is the float32 network over the same weights rounded to bfloat16, bit for bit,
 * on both kernel paths and any thread count; and DJL over the rounded weights agrees with it as it does
 * for float32. Width 32 gives full four-vector panels (the 4×4 and 1×4 tiles) as well as narrow ones.
 */
class BfloatWeightsTest {
  static final ModelConfig CONFIG = new ModelConfig(11, 16, 2, 2, 32, 4, 0.0, PositionEncoding.LEARNED, true, true);

  /** Two calls on three sequences: a prefill with queries, then extensions with queries and branches. */
  static List<List<CallResult>> script(Network network) {
    SplittableRandom rng = new SplittableRandom(5);
    List<List<CallResult>> results = new ArrayList<>();
    try (DecodeState state = network.newState(3)) {
      for (int round = 0; round < 2; round++) {
        List<SequenceCall> calls = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
          List<Step> extend = steps(rng, round == 0 ? 5 + b : 2);
          List<Step> queries = steps(rng, 3 + b);
          calls.add(new SequenceCall(extend, 0, null, queries, round == 0 ? List.of() : List.of(steps(rng, 4), steps(rng, 1))));
        }
        results.add(network.call(state, calls));
      }
    }
    return results;
  }

  static List<Step> steps(SplittableRandom rng, int n) {
    List<Step> s = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      s.add(new Step(rng.nextInt(CONFIG.vocabSize()), rng.nextInt(CONFIG.maxLength()), rng.nextInt(CONFIG.maxLength())));
    }
    return s;
  }

  static void assertSame(List<List<CallResult>> expected, List<List<CallResult>> actual, double tolerance, String where) {
    for (int c = 0; c < expected.size(); c++) {
      for (int b = 0; b < expected.get(c).size(); b++) {
        CallResult e = expected.get(c).get(b);
        CallResult a = actual.get(c).get(b);
        String at = where + ", call " + c + ", sequence " + b;
        assertEquals(e.extendLogits().length, a.extendLogits().length, at);
        for (int r = 0; r < e.extendLogits().length; r++) {
          assertArrayEquals(e.extendLogits()[r], a.extendLogits()[r], (float) tolerance, at + ", extension row " + r);
        }
        for (int r = 0; r < e.queryLogits().length; r++) {
          assertArrayEquals(e.queryLogits()[r], a.queryLogits()[r], (float) tolerance, at + ", query " + r);
        }
        for (int i = 0; i < e.branchLogits().length; i++) {
          for (int s = 0; s < e.branchLogits()[i].length; s++) {
            assertArrayEquals(e.branchLogits()[i][s], a.branchLogits()[i][s], (float) tolerance, at + ", branch " + i + " step " + s);
          }
        }
      }
    }
  }

  @Test
  void aBfloat16NetworkIsTheFloat32NetworkOverRoundedWeights() {
    Map<String, float[]> weights = JavaNetworkBatchingTest.randomWeights(CONFIG, 3);
    Map<String, float[]> rounded = WeightFormat.BFLOAT16.apply(CONFIG, weights);
    for (boolean vector : new boolean[] {true, false}) {
      List<List<CallResult>> expected;
      try (JavaNetwork reference = new JavaNetwork(CONFIG, rounded, 1, vector, WeightFormat.FLOAT32, ForwardPass.Thresholds.DEFAULT)) {
        expected = script(reference);
      }
      for (int threads : new int[] {1, 2}) {
        try (JavaNetwork half = new JavaNetwork(CONFIG, weights, threads, vector, WeightFormat.BFLOAT16, ForwardPass.Thresholds.NONE)) {
          PackedMatrix fc = half.packedWeights().blocks[0].fc();
          if (vector) {
            assertNotNull(fc.halves, "the Vector API path keeps bfloat16 matrices in 16 bits");
            assertNull(fc.data);
          }
          assertSame(expected, script(half), 0, (vector ? "vector" : "scalar") + " path, " + threads + " thread(s)");
        }
      }
      try (JavaNetwork full = new JavaNetwork(CONFIG, weights, 1, vector, WeightFormat.FLOAT32, ForwardPass.Thresholds.DEFAULT)) {
        List<List<CallResult>> unrounded = script(full);
        float worst = 0;
        float[] e = expected.get(1).get(0).queryLogits()[0];
        float[] u = unrounded.get(1).get(0).queryLogits()[0];
        for (int i = 0; i < e.length; i++) {
          worst = Math.max(worst, Math.abs(e[i] - u[i]));
        }
        assertTrue(worst > 0, "rounding the weights should change the logits");
      }
    }
  }

  @Test
  void djlOverTheRoundedWeightsAgreesWithTheBfloat16JavaNetwork() {
    Map<String, float[]> weights = JavaNetworkBatchingTest.randomWeights(CONFIG, 4);
    Map<String, float[]> rounded = WeightFormat.BFLOAT16.apply(CONFIG, weights);
    try (NDManager manager = TinyModels.manager();
        SigmaGpt model = SigmaGpt.fromWeights(CONFIG, rounded, manager, false);
        DjlNetwork djl = new DjlNetwork(model, true);
        JavaNetwork half = new JavaNetwork(CONFIG, weights, 1, WeightFormat.BFLOAT16)) {
      assertSame(script(djl), script(half), JavaNetworkTest.TOLERANCE, "DJL vs Java, bfloat16");
    }
  }

  @Test
  void packingUnroundedWeightsInSixteenBitsIsRefused() {
    float[] w = {1.0f, 1.001f};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PackedMatrix.pack(w, 2, 1, null, VectorKernels.PANEL_WIDTH, VectorKernels.LANES, true));
    assertTrue(e.getMessage().contains("not a bfloat16 value"), e.getMessage());
  }
}
