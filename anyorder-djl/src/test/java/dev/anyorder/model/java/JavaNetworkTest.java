package dev.anyorder.model.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.PositionGrid;
import dev.anyorder.model.Step;
import dev.anyorder.model.TeacherForcing;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pure-Java runtime computes what the DJL backend computes, to 1e-4 on every logit, for the same
 * weights: teacher-forced passes, chunked cached extensions, extensions with queries, emitFrom, targets,
 * and batches of sequences of different lengths with rollbacks, over every shape option of the model.
 */
class JavaNetworkTest {
  static final double TOLERANCE = 1e-4;
  static NDManager manager;
  static double worstOverall;

  @BeforeAll
  static void setUp() {
    manager = TinyModels.manager();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
    System.out.printf("[java-runtime] max |logit/log-prob difference| vs DJL over all configs: %.3g%n", worstOverall);
  }

  static Stream<ModelConfig> configs() {
    return Stream.of(
        // learned positions, no bias, start slot, MLP ratio 4: the paper's defaults
        new ModelConfig(7, 12, 2, 2, 16, 4, 0.0, PositionEncoding.LEARNED, false, true),
        new ModelConfig(7, 12, 2, 4, 16, 4, 0.0, PositionEncoding.SINUSOIDAL, true, true),
        new ModelConfig(5, 10, 3, 2, 12, 2, 0.0, PositionEncoding.LEARNED, true, false),
        new ModelConfig(9, 11, 1, 1, 8, 3, 0.0, PositionEncoding.SINUSOIDAL, false, false),
        // grid positions: rows and columns of a 3×4 grid, with and without the start slot's "none" row
        new ModelConfig(7, 12, 2, 2, 16, 4, 0.0, PositionEncoding.GRID, false, true, PositionGrid.rowsAndColumns(3, 4)),
        new ModelConfig(5, 12, 1, 2, 12, 2, 0.0, PositionEncoding.GRID, true, false, PositionGrid.rowsAndColumns(4, 3)));
  }

  /** Every config on both kernel paths: the Vector API kernels and the plain-Java fallback. */
  static Stream<Arguments> configsAndPaths() {
    return configs().flatMap(c -> Stream.of(Arguments.of(c, true), Arguments.of(c, false)));
  }

  record Pair(DjlNetwork djl, JavaNetwork java) {
    void close() {
      djl.close();
      java.close();
    }
  }

  static Pair pair(ModelConfig config, long seed, boolean vector) {
    SigmaGpt model = TinyModels.random(config, seed, 0.5, manager);
    Map<String, float[]> weights = model.weights();
    return new Pair(new DjlNetwork(model, true), new JavaNetwork(config, weights, 1, vector));
  }

  /** Asserts two results are equal to {@link #TOLERANCE}, returning the largest difference seen. */
  static double compare(CallResult expected, CallResult actual, String where) {
    double worst = 0;
    assertEquals(expected.extendLogits().length, actual.extendLogits().length, where + ": extend rows");
    for (int r = 0; r < expected.extendLogits().length; r++) {
      worst = Math.max(worst, rowDiff(expected.extendLogits()[r], actual.extendLogits()[r], where + " extend row " + r));
    }
    assertEquals(expected.queryLogits().length, actual.queryLogits().length, where + ": query rows");
    for (int q = 0; q < expected.queryLogits().length; q++) {
      worst = Math.max(worst, rowDiff(expected.queryLogits()[q], actual.queryLogits()[q], where + " query " + q));
    }
    assertEquals(expected.branchLogits().length, actual.branchLogits().length, where + ": branches");
    for (int i = 0; i < expected.branchLogits().length; i++) {
      assertEquals(expected.branchLogits()[i].length, actual.branchLogits()[i].length, where + ": steps of branch " + i);
      for (int j = 0; j < expected.branchLogits()[i].length; j++) {
        worst = Math.max(worst, rowDiff(expected.branchLogits()[i][j], actual.branchLogits()[i][j], where + " branch " + i + " step " + j));
      }
    }
    assertEquals(expected.targetLogProbs().length, actual.targetLogProbs().length, where + ": targets");
    for (int r = 0; r < expected.targetLogProbs().length; r++) {
      double e = expected.targetLogProbs()[r];
      double a = actual.targetLogProbs()[r];
      if (Double.isNaN(e)) {
        assertTrue(Double.isNaN(a), where + " target " + r + " should be NaN, got " + a);
        continue;
      }
      assertEquals(e, a, TOLERANCE, where + " target log-prob " + r);
      worst = Math.max(worst, Math.abs(e - a));
    }
    worstOverall = Math.max(worstOverall, worst);
    return worst;
  }

  static double rowDiff(float[] e, float[] a, String where) {
    assertEquals(e.length, a.length, where + ": vocabulary");
    double worst = 0;
    for (int i = 0; i < e.length; i++) {
      worst = Math.max(worst, Math.abs(e[i] - a[i]));
    }
    assertTrue(worst <= TOLERANCE, where + ": max logit difference " + worst);
    return worst;
  }

  static Step randomStep(ModelConfig c, SplittableRandom rng) {
    return new Step(rng.nextInt(c.embeddingRows()), rng.nextInt(c.positionRows()), rng.nextInt(c.maxLength()));
  }

  @ParameterizedTest
  @MethodSource("configsAndPaths")
  void teacherForcedPassMatches(ModelConfig c, boolean vector) {
    Pair p = pair(c, 3, vector);
    try (DecodeState ds = p.djl().newState(1); DecodeState js = p.java().newState(1)) {
      SplittableRandom rng = new SplittableRandom(5);
      int n = c.maxLength();
      int[] tokens = rng.ints(n, 0, c.vocabSize()).toArray();
      int[] order = shuffled(n, rng);
      List<Step> steps = TeacherForcing.steps(c, tokens, order);
      List<SequenceCall> call = List.of(SequenceCall.extend(steps, steps.size()));
      double worst = compare(p.djl().call(ds, call).get(0), p.java().call(js, call).get(0), c + " full pass");
      assertEquals(steps.size(), js.length(0));
      // and scoring the same pass against its targets, in a fresh state
      try (DecodeState ds2 = p.djl().newState(1); DecodeState js2 = p.java().newState(1)) {
        List<SequenceCall> score = List.of(SequenceCall.score(steps, TeacherForcing.targets(c, tokens, order)));
        worst = Math.max(worst, compare(p.djl().call(ds2, score).get(0), p.java().call(js2, score).get(0), c + " score"));
      }
      System.out.printf("[java-runtime] %s %s teacher-forced: max diff %.3g%n", c, vector ? "vector" : "scalar", worst);
    } finally {
      p.close();
    }
  }

  /**
   * A random script of calls on a batch of four sequences: each call extends some sequences by a few
   * steps (chunked), asks queries and branches, picks emitFrom, sometimes targets (with -1 holes), some sequences idle;
   * after each call some sequences roll back. Both backends must agree on every result and length. Sequences
   * stay within the model's maximum length (the Java cache holds no more); they roll back to make room.
   */
  @ParameterizedTest
  @MethodSource("configsAndPaths")
  void cachedBatchScriptMatches(ModelConfig c, boolean vector) {
    Pair p = pair(c, 17, vector);
    int batch = 4;
    SplittableRandom rng = new SplittableRandom(c.hashCode());
    double worst = 0;
    try (DecodeState ds = p.djl().newState(batch); DecodeState js = p.java().newState(batch)) {
      for (int round = 0; round < 12; round++) {
        List<SequenceCall> calls = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
          if (rng.nextInt(5) == 0) {
            calls.add(SequenceCall.none());
            continue;
          }
          int ext = Math.min(rng.nextInt(5), c.maxLength() - js.length(b));
          List<Step> steps = new ArrayList<>();
          for (int i = 0; i < ext; i++) {
            steps.add(randomStep(c, rng));
          }
          List<Step> queries = new ArrayList<>();
          for (int i = rng.nextInt(4); i > 0; i--) {
            queries.add(randomStep(c, rng));
          }
          int[] targets = null;
          if (rng.nextInt(3) == 0) {
            targets = rng.ints(ext, -1, c.vocabSize()).toArray();
          }
          List<List<Step>> branches = new ArrayList<>();
          int room = c.maxLength() - js.length(b) - ext;
          for (int i = room > 0 ? rng.nextInt(4) : 0; i > 0; i--) {
            List<Step> branch = new ArrayList<>();
            for (int j = Math.min(1 + rng.nextInt(4), room); j > 0; j--) {
              branch.add(randomStep(c, rng));
            }
            branches.add(branch);
          }
          calls.add(new SequenceCall(steps, rng.nextInt(ext + 2), targets, queries, branches));
        }
        List<CallResult> expected = p.djl().call(ds, calls);
        List<CallResult> actual = p.java().call(js, calls);
        for (int b = 0; b < batch; b++) {
          worst = Math.max(worst, compare(expected.get(b), actual.get(b), c + " round " + round + " sequence " + b));
          assertEquals(ds.length(b), js.length(b), "length of sequence " + b);
          int back = rng.nextInt(3) == 0 || js.length(b) > c.maxLength() - 2 ? rng.nextInt(Math.min(5, js.length(b)) + 1) : 0;
          ds.rollback(b, back);
          js.rollback(b, back);
        }
      }
    } finally {
      p.close();
    }
    System.out.printf("[java-runtime] %s %s cached batch script: max diff %.3g%n", c, vector ? "vector" : "scalar", worst);
  }

  @Test
  void parallelSequencesGiveTheSameNumbers() {
    ModelConfig c = TinyModels.config(6, 10);
    Map<String, float[]> w;
    try (SigmaGpt m = TinyModels.random(c, 9, 0.5, manager)) {
      w = m.weights();
    }
    try (JavaNetwork one = new JavaNetwork(c, w); JavaNetwork two = new JavaNetwork(c, w, 2);
        DecodeState s1 = one.newState(3); DecodeState s2 = two.newState(3)) {
      SplittableRandom rng = new SplittableRandom(1);
      List<SequenceCall> calls = new ArrayList<>();
      for (int b = 0; b < 3; b++) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i <= b + 2; i++) {
          steps.add(randomStep(c, rng));
        }
        calls.add(new SequenceCall(steps, 1, null, List.of(randomStep(c, rng))));
      }
      List<CallResult> a = one.call(s1, calls);
      List<CallResult> b = two.call(s2, calls);
      for (int i = 0; i < 3; i++) {
        assertEquals(0, compare(a.get(i), b.get(i), "threads"), 0);
      }
    }
  }

  @Test
  void rejectsBadInputsWithoutTouchingTheCache() {
    ModelConfig c = TinyModels.config(4, 6);
    Map<String, float[]> w;
    try (SigmaGpt m = TinyModels.random(c, 2, 0.5, manager)) {
      w = m.weights();
    }
    try (Network net = new JavaNetwork(c, w); DecodeState s = net.newState(2)) {
      net.call(s, List.of(SequenceCall.extend(List.of(new Step(0, 0, 1)), 1), SequenceCall.none()));
      assertThrows(IllegalArgumentException.class,
          () -> net.call(s, List.of(SequenceCall.extend(List.of(new Step(0, 1, 2)), 1), SequenceCall.extend(List.of(new Step(99, 0, 1)), 1))));
      assertEquals(1, s.length(0));
      assertEquals(0, s.length(1));
      assertThrows(IllegalArgumentException.class, () -> s.rollback(0, 2));
      assertThrows(IllegalArgumentException.class, () -> net.call(s, List.of(SequenceCall.none())));
    }
    Map<String, float[]> missing = new java.util.HashMap<>(w);
    missing.remove("transformer.h.0.mlp.c_fc.weight");
    assertThrows(IllegalArgumentException.class, () -> new JavaNetwork(c, missing));
  }

  static int[] shuffled(int n, SplittableRandom rng) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
