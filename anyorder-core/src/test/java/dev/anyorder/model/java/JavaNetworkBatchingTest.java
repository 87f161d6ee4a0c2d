package dev.anyorder.model.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.Step;
import dev.anyorder.model.WeightFormat;
import dev.anyorder.model.WeightLayout;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the pure-Java runtime batches and caches, on both kernel paths: rows and sequences that share a call
 * give exactly the numbers they give alone, on any number of threads; a rollback followed by a new
 * extension equals extending afresh; a cache fills to the model's maximum length and refuses one more step;
 * and a decode step allocates nothing beyond its result arrays.
 *
 * <p>Networks of more than one thread split every matrix product and attention across their team
 * ({@link ForwardPass.Thresholds#NONE}), however small, so the tests exercise the split that large calls get.
 */
class JavaNetworkBatchingTest {
  static final ModelConfig CONFIG = new ModelConfig(30, 48, 2, 4, 64, 4, 0.0, PositionEncoding.LEARNED, true, true);
  static final Map<String, float[]> WEIGHTS = randomWeights(CONFIG, 7);

  /** A network on {@code threads} threads that splits every product and attention across them. */
  static JavaNetwork split(int threads, boolean vector) {
    return new JavaNetwork(CONFIG, WEIGHTS, threads, vector, WeightFormat.FLOAT32, ForwardPass.Thresholds.NONE);
  }

  /** Gaussian weights of standard deviation 0.3 for every tensor of the layout, LayerNorm gains around 1. */
  static Map<String, float[]> randomWeights(ModelConfig c, long seed) {
    Random rng = new Random(seed);
    Map<String, float[]> weights = new HashMap<>();
    for (Map.Entry<String, long[]> e : WeightLayout.expected(c).entrySet()) {
      long n = 1;
      for (long s : e.getValue()) {
        n *= s;
      }
      float[] t = new float[(int) n];
      boolean gain = e.getValue().length == 1 && e.getKey().contains("ln") && e.getKey().endsWith(".weight");
      for (int i = 0; i < t.length; i++) {
        t[i] = (float) ((gain ? 1 : 0) + 0.3 * rng.nextGaussian());
      }
      weights.put(e.getKey(), t);
    }
    weights.put(WeightLayout.LM_HEAD, weights.get(WeightLayout.WTE));
    return weights;
  }

  static Step step(SplittableRandom rng) {
    return new Step(rng.nextInt(CONFIG.vocabSize()), rng.nextInt(CONFIG.maxLength()), rng.nextInt(CONFIG.maxLength()));
  }

  static List<Step> steps(SplittableRandom rng, int n) {
    List<Step> s = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      s.add(step(rng));
    }
    return s;
  }

  static void assertSame(CallResult expected, CallResult actual, String where) {
    assertEquals(expected.extendLogits().length, actual.extendLogits().length, where + ": extend rows");
    for (int r = 0; r < expected.extendLogits().length; r++) {
      assertArrayEquals(expected.extendLogits()[r], actual.extendLogits()[r], 0f, where + ": extend row " + r);
    }
    assertEquals(expected.queryLogits().length, actual.queryLogits().length, where + ": query rows");
    for (int q = 0; q < expected.queryLogits().length; q++) {
      assertArrayEquals(expected.queryLogits()[q], actual.queryLogits()[q], 0f, where + ": query " + q);
    }
    assertArrayEquals(expected.targetLogProbs(), actual.targetLogProbs(), 0.0, where + ": targets");
  }

  /** A batch of three sequences with a prefix each, then one call of many extension rows and queries for all of them. */
  static List<List<SequenceCall>> script(SplittableRandom rng) {
    List<SequenceCall> prefix = List.of(SequenceCall.extend(steps(rng, 5), 0), SequenceCall.extend(steps(rng, 12), 0),
        SequenceCall.extend(steps(rng, 1), 0));
    List<SequenceCall> big = List.of(new SequenceCall(steps(rng, 9), 2, null, steps(rng, 7)),
        new SequenceCall(steps(rng, 20), 0, rng.ints(20, -1, CONFIG.vocabSize()).toArray(), steps(rng, 3)),
        new SequenceCall(steps(rng, 14), 14, null, steps(rng, 12)));
    return List.of(prefix, big);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aBatchedMultiRowCallEqualsItsRowsOneAtATime(boolean vector) {
    SplittableRandom rng = new SplittableRandom(3);
    List<List<SequenceCall>> script = script(rng);
    List<CallResult> batched;
    try (JavaNetwork net = split(2, vector); DecodeState s = net.newState(3)) {
      net.call(s, script.get(0));
      batched = net.call(s, script.get(1));
    }
    // The same work, one sequence per state and one extension step (or one query) per call.
    try (JavaNetwork net = new JavaNetwork(CONFIG, WEIGHTS, 1, vector)) {
      for (int b = 0; b < 3; b++) {
        try (DecodeState s = net.newState(1)) {
          net.call(s, List.of(script.get(0).get(b)));
          SequenceCall call = script.get(1).get(b);
          List<Step> ext = call.extend();
          for (int i = 0; i < ext.size(); i++) {
            int[] target = call.targets() == null ? null : new int[] {call.targets()[i]};
            CallResult one = net.call(s, List.of(new SequenceCall(List.of(ext.get(i)), 0, target, List.of()))).get(0);
            if (i >= call.emitFrom()) {
              assertArrayEquals(one.extendLogits()[0], batched.get(b).extendLogits()[i - call.emitFrom()], 0f,
                  "sequence " + b + " step " + i);
            }
            if (target != null) {
              assertEquals(one.targetLogProbs()[0], batched.get(b).targetLogProbs()[i], 0.0, "sequence " + b + " target " + i);
            }
          }
          for (int q = 0; q < call.queries().size(); q++) {
            CallResult one = net.call(s, List.of(SequenceCall.query(List.of(call.queries().get(q))))).get(0);
            assertArrayEquals(one.queryLogits()[0], batched.get(b).queryLogits()[q], 0f, "sequence " + b + " query " + q);
          }
          assertEquals(script.get(0).get(b).extend().size() + ext.size(), s.length(0), "sequence " + b + " length");
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void resultsDoNotDependOnTheNumberOfThreads(boolean vector) {
    List<List<CallResult>> runs = new ArrayList<>();
    for (int threads : new int[] {1, 2, 3}) {
      SplittableRandom rng = new SplittableRandom(11);
      List<List<SequenceCall>> script = script(rng);
      try (JavaNetwork net = split(threads, vector); DecodeState s = net.newState(3)) {
        net.call(s, script.get(0));
        runs.add(net.call(s, script.get(1)));
      }
    }
    for (int t = 1; t < runs.size(); t++) {
      for (int b = 0; b < 3; b++) {
        assertSame(runs.get(0).get(b), runs.get(t).get(b), (t + 1) + " threads, sequence " + b);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void rollbackThenExtendEqualsAFreshExtension(boolean vector) {
    SplittableRandom rng = new SplittableRandom(5);
    List<Step> kept = steps(rng, 10);
    List<Step> dropped = steps(rng, 6);
    List<Step> next = steps(rng, 4);
    List<Step> queries = steps(rng, 2);
    try (JavaNetwork net = new JavaNetwork(CONFIG, WEIGHTS, 1, vector); DecodeState rolled = net.newState(1);
        DecodeState fresh = net.newState(1)) {
      List<Step> first = new ArrayList<>(kept);
      first.addAll(dropped);
      net.call(rolled, List.of(SequenceCall.extend(first, 0)));
      rolled.rollback(0, dropped.size());
      assertEquals(kept.size(), rolled.length(0));
      CallResult a = net.call(rolled, List.of(new SequenceCall(next, 0, null, queries))).get(0);
      net.call(fresh, List.of(SequenceCall.extend(kept, 0)));
      CallResult b = net.call(fresh, List.of(new SequenceCall(next, 0, null, queries))).get(0);
      assertSame(b, a, "rolled back and re-extended");
      assertEquals(fresh.length(0), rolled.length(0));
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aCacheFillsToTheMaximumLengthAndRefusesOneStepMore(boolean vector) {
    SplittableRandom rng = new SplittableRandom(8);
    int max = CONFIG.maxLength();
    try (JavaNetwork net = split(2, vector); DecodeState s = net.newState(2)) {
      CallResult full = net.call(s, List.of(SequenceCall.extend(steps(rng, max - 1), 1), SequenceCall.none())).get(0);
      CallResult last = net.call(s, List.of(new SequenceCall(steps(rng, 1), 0, null, steps(rng, 2)), SequenceCall.none())).get(0);
      assertEquals(max, s.length(0));
      assertEquals(1, full.extendLogits().length);
      assertEquals(1, last.extendLogits().length);
      assertEquals(2, last.queryLogits().length);
      for (float v : last.queryLogits()[1]) {
        assertTrue(Float.isFinite(v), "a query against a full cache gives finite logits");
      }
      // Queries still work on a full cache; one more extension step does not, and touches no cache.
      net.call(s, List.of(SequenceCall.query(steps(rng, 3)), SequenceCall.none()));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> net.call(s, List.of(SequenceCall.extend(steps(rng, 1), 1), SequenceCall.extend(steps(rng, 2), 1))));
      assertTrue(e.getMessage().contains("maximum length of " + max), e.getMessage());
      assertEquals(max, s.length(0));
      assertEquals(0, s.length(1), "the other sequence of the refused call is untouched");
      s.rollback(0, 1);
      assertEquals(1, net.call(s, List.of(SequenceCall.extend(steps(rng, 1), 1), SequenceCall.none())).get(0).extendLogits().length);
    }
  }

  /**
   * Sequential decoding of one sequence (extend one step, read its logits, roll back to keep going)
   * allocates only the result: the logits row, its array of rows and the result record and list, all of
   * a size fixed by the vocabulary. Measured with the JVM's per-thread allocation counter once the JIT has
   * compiled the loop (the Vector API allocates while it runs interpreted), so the check is retried a
   * bounded number of times.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aDecodeStepAllocatesOnlyItsResult(boolean vector) {
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    SplittableRandom rng = new SplittableRandom(2);
    List<List<SequenceCall>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      calls.add(List.of(SequenceCall.extend(List.of(step(rng)), 1)));
    }
    long budget = 4L * CONFIG.vocabSize() + 256; // float[V] + float[1][] + CallResult + CallResult[1] + list, with headers
    long best = Long.MAX_VALUE;
    int calls1 = 500;
    try (JavaNetwork net = new JavaNetwork(CONFIG, WEIGHTS, 1, vector); DecodeState s = net.newState(1)) {
      for (int attempt = 0; attempt < 60 && best > budget; attempt++) {
        long before = bean.getThreadAllocatedBytes(thread);
        for (int i = 0; i < calls1; i++) {
          net.call(s, calls.get(i % calls.size()));
          if (s.length(0) == CONFIG.maxLength()) {
            s.rollback(0, CONFIG.maxLength());
          }
        }
        best = Math.min(best, (bean.getThreadAllocatedBytes(thread) - before) / calls1);
      }
    }
    System.out.printf("[java-runtime] %s decode step allocates %d bytes (its logits row alone is %d)%n", vector ? "vector" : "scalar",
        best, 16 + 4L * CONFIG.vocabSize());
    assertTrue(best <= budget, "a decode step allocated " + best + " bytes, more than its result (" + budget + ")");
  }
}
