package dev.anyorder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DjlNetworkTest {
  static NDManager manager;
  static ModelConfig config = TinyModels.config(7, 12);
  static DjlNetwork net;

  @BeforeAll
  static void setUp() {
    manager = TinyModels.manager();
    net = TinyModels.network(config, 42, manager);
  }

  @AfterAll
  static void tearDown() {
    net.close();
    manager.close();
  }

  static int[] randomTokens(Random r, int n) {
    int[] x = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextInt(config.vocabSize());
    }
    return x;
  }

  static int[] randomOrder(Random r, int n) {
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(i);
    }
    java.util.Collections.shuffle(l, r);
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  static float[][] fullPass(List<Step> steps) {
    try (DecodeState s = net.newState(1)) {
      return net.call(s, List.of(SequenceCall.extend(steps, steps.size()))).get(0).extendLogits();
    }
  }

  static double maxAbs(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  @Test
  void cachedForwardEqualsUncached() {
    Random r = new Random(1);
    for (int trial = 0; trial < 5; trial++) {
      int n = 12;
      int[] x = randomTokens(r, n);
      List<Step> steps = TeacherForcing.steps(config, x, randomOrder(r, n));
      float[][] full = fullPass(steps);
      try (DecodeState s = net.newState(1)) {
        int at = 0;
        while (at < n) {
          int chunk = 1 + r.nextInt(4);
          int end = Math.min(n, at + chunk);
          float[][] part = net.call(s, List.of(SequenceCall.extend(steps.subList(at, end), end - at))).get(0).extendLogits();
          for (int i = at; i < end; i++) {
            double d = maxAbs(full[i], part[i - at]);
            assertTrue(d < 1e-5, "step " + i + " differs by " + d);
          }
          at = end;
        }
        assertEquals(n, s.length(0));
      }
    }
  }

  @Test
  void queriesEqualSeparatePasses() {
    Random r = new Random(2);
    int n = 12;
    int[] x = randomTokens(r, n);
    int[] order = randomOrder(r, n);
    List<Step> steps = TeacherForcing.steps(config, x, order);
    int prefix = 5;
    // Pending token: x[order[prefix-1]] at order[prefix-1]; ask for every remaining position.
    List<Step> queries = new ArrayList<>();
    for (int t = prefix; t < n; t++) {
      queries.add(new Step(x[order[prefix - 1]], order[prefix - 1], order[t]));
    }
    float[][] oneShot;
    try (DecodeState s = net.newState(1)) {
      CallResult res = net.call(s, List.of(SequenceCall.extendThenQuery(steps.subList(0, prefix), queries))).get(0);
      oneShot = res.queryLogits();
      assertEquals(prefix, s.length(0), "queries must not enter the cache");
    }
    double worst = 0;
    for (int q = 0; q < queries.size(); q++) {
      List<Step> separate = new ArrayList<>(steps.subList(0, prefix));
      separate.add(queries.get(q));
      float[][] full = fullPass(separate);
      worst = Math.max(worst, maxAbs(oneShot[q], full[prefix]));
    }
    assertTrue(worst < 1e-5, "one-pass conditionals differ from separate passes by " + worst);
  }

  @Test
  void batchedSequencesWithRollbackMatchSolo() {
    Random r = new Random(3);
    int n = 10;
    int[][] xs = {randomTokens(r, n), randomTokens(r, n), randomTokens(r, n)};
    int[][] orders = {randomOrder(r, n), randomOrder(r, n), randomOrder(r, n)};
    List<List<Step>> steps = new ArrayList<>();
    for (int b = 0; b < 3; b++) {
      steps.add(TeacherForcing.steps(config, xs[b], orders[b]));
    }
    try (DecodeState s = net.newState(3)) {
      // Sequence 0 feeds 3 then 4 steps; sequence 1 feeds 5 garbage steps, rolls them back, then 6 real ones;
      // sequence 2 feeds nothing then 7. Then all query.
      List<Step> garbage = TeacherForcing.steps(config, randomTokens(r, n), randomOrder(r, n)).subList(0, 5);
      net.call(s, List.of(SequenceCall.extend(steps.get(0).subList(0, 3), 0), SequenceCall.extend(garbage, 0), SequenceCall.none()));
      s.rollback(1, 5);
      net.call(s, List.of(SequenceCall.extend(steps.get(0).subList(3, 7), 0), SequenceCall.extend(steps.get(1).subList(0, 6), 0),
          SequenceCall.extend(steps.get(2).subList(0, 7), 0)));
      int[] lengths = {7, 6, 7};
      List<SequenceCall> calls = new ArrayList<>();
      for (int b = 0; b < 3; b++) {
        calls.add(SequenceCall.extend(steps.get(b).subList(lengths[b], n), n - lengths[b]));
      }
      List<CallResult> out = net.call(s, calls);
      for (int b = 0; b < 3; b++) {
        float[][] full = fullPass(steps.get(b));
        for (int i = lengths[b]; i < n; i++) {
          double d = maxAbs(full[i], out.get(b).extendLogits()[i - lengths[b]]);
          assertTrue(d < 1e-5, "sequence " + b + " step " + i + " differs by " + d);
        }
      }
    }
  }

  @Test
  void trainingForwardEqualsDecodingPass() {
    Random r = new Random(4);
    int n = 12;
    int[] x = randomTokens(r, n);
    List<Step> steps = TeacherForcing.steps(config, x, randomOrder(r, n));
    float[][] decoded = fullPass(steps);
    SigmaGpt model = net.model();
    try (NDManager scope = manager.newSubManager()) {
      long[] tok = new long[n];
      long[] from = new long[n];
      long[] to = new long[n];
      for (int i = 0; i < n; i++) {
        tok[i] = steps.get(i).token();
        from[i] = steps.get(i).fromPosition();
        to[i] = steps.get(i).toPosition();
      }
      NDArray logits = model.logits(model.forward(scope.create(tok, new Shape(1, n)), scope.create(from, new Shape(1, n)),
          scope.create(to, new Shape(1, n)), null, SigmaGpt.causalMask(scope, n), false).hidden());
      float[] flat = logits.toFloatArray();
      for (int i = 0; i < n; i++) {
        float[] row = java.util.Arrays.copyOfRange(flat, i * config.vocabSize(), (i + 1) * config.vocabSize());
        assertTrue(maxAbs(row, decoded[i]) < 1e-5);
      }
    }
  }

  @Test
  void scoringGivesTargetLogProbabilities() {
    Random r = new Random(5);
    int n = 12;
    int[] x = randomTokens(r, n);
    int[] order = randomOrder(r, n);
    List<Step> steps = TeacherForcing.steps(config, x, order);
    int[] targets = TeacherForcing.targets(config, x, order);
    float[][] full = fullPass(steps);
    try (DecodeState s = net.newState(1)) {
      double[] lp = net.call(s, List.of(SequenceCall.score(steps, targets))).get(0).targetLogProbs();
      for (int i = 0; i < n; i++) {
        assertEquals(LogProbabilities.logSoftmax(full[i])[targets[i]], lp[i], 1e-6);
      }
    }
  }

  @Test
  void manyRollbacksKeepResultsExactAndTheCacheBounded() {
    Random r = new Random(6);
    int n = 12;
    int[][] xs = {randomTokens(r, n), randomTokens(r, n)};
    int[][] orders = {randomOrder(r, n), randomOrder(r, n)};
    try (DecodeState s = net.newState(2)) {
      // Many rejected drafts: feed real steps, then repeatedly feed throwaway steps and roll them back.
      // The slots they used are simply written over, so the cache never grows past one call's needs.
      List<List<Step>> steps = new ArrayList<>();
      for (int b = 0; b < 2; b++) {
        steps.add(TeacherForcing.steps(config, xs[b], orders[b]));
      }
      net.call(s, List.of(SequenceCall.extend(steps.get(0).subList(0, 4), 0), SequenceCall.extend(steps.get(1).subList(0, 2), 0)));
      for (int round = 0; round < 50; round++) {
        List<Step> junk = TeacherForcing.steps(config, randomTokens(r, n), randomOrder(r, n)).subList(0, 6);
        net.call(s, List.of(SequenceCall.extend(junk, 0), SequenceCall.extend(junk.subList(0, 3), 0)));
        s.rollback(0, 6);
        s.rollback(1, 3);
      }
      List<CallResult> out = net.call(s, List.of(SequenceCall.extend(steps.get(0).subList(4, n), n - 4),
          SequenceCall.extend(steps.get(1).subList(2, n), n - 2)));
      int capacity = ((dev.anyorder.model.djl.DjlDecodeState) s).capacity();
      assertTrue(capacity <= config.maxLength() + n, "the cache grew to " + capacity + " slots for sequences of " + n);
      int[] done = {4, 2};
      for (int b = 0; b < 2; b++) {
        float[][] full = fullPass(steps.get(b));
        for (int i = done[b]; i < n; i++) {
          double d = maxAbs(full[i], out.get(b).extendLogits()[i - done[b]]);
          assertTrue(d < 1e-5, "sequence " + b + " step " + i + " differs by " + d + " after rollbacks");
        }
        assertEquals(n, s.length(b));
      }
    }
  }

  @Test
  void branchesEqualSeparateExtensionsOfTheSamePrefix() {
    Random r = new Random(7);
    int n = 12;
    int[] x = randomTokens(r, n);
    List<Step> steps = TeacherForcing.steps(config, x, randomOrder(r, n));
    int prefix = 4;
    int extension = 2;
    List<List<Step>> branches = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      // Continuations of prefix + extension in different orders, of different lengths.
      List<Step> tail = TeacherForcing.steps(config, randomTokens(r, n), randomOrder(r, n)).subList(1, 2 + r.nextInt(5));
      branches.add(tail);
    }
    CallResult res;
    try (DecodeState s = net.newState(2)) {
      net.call(s, List.of(SequenceCall.extend(steps.subList(0, prefix), 0), SequenceCall.extend(steps.subList(0, 1), 0)));
      SequenceCall call = new SequenceCall(steps.subList(prefix, prefix + extension), 0, null,
          List.of(steps.get(prefix + extension)), branches);
      // The second sequence asks for a shorter call, so the first one's rows are padded for it.
      res = net.call(s, List.of(call, SequenceCall.query(List.of(steps.get(1))))).get(0);
      assertEquals(prefix + extension, s.length(0), "branches must not enter the cache");
    }
    float[][] full = fullPass(steps);
    for (int i = 0; i < extension; i++) {
      assertTrue(maxAbs(full[prefix + i], res.extendLogits()[i]) < 1e-5);
    }
    assertTrue(maxAbs(full[prefix + extension], res.queryLogits()[0]) < 1e-5);
    for (int i = 0; i < branches.size(); i++) {
      List<Step> separate = new ArrayList<>(steps.subList(0, prefix + extension));
      separate.addAll(branches.get(i));
      float[][] expected = fullPass(separate);
      assertEquals(branches.get(i).size(), res.branchLogits()[i].length);
      for (int j = 0; j < branches.get(i).size(); j++) {
        double d = maxAbs(expected[prefix + extension + j], res.branchLogits()[i][j]);
        assertTrue(d < 1e-5, "branch " + i + " step " + j + " differs from a separate pass by " + d);
      }
    }
  }

  @Test
  void repeatedCallsLeaveNoArraysBehind() {
    Random r = new Random(8);
    int n = 12;
    List<Step> steps = TeacherForcing.steps(config, randomTokens(r, n), randomOrder(r, n));
    int before = net.manager().getManagedArrays().size();
    int modelArrays = net.model().manager().getManagedArrays().size();
    try (DecodeState s = net.newState(3)) {
      int afterWarmUp = -1;
      for (int round = 0; round < 60; round++) {
        // a prefill, queries, branches and a rollback, the shapes every sampler uses
        net.call(s, List.of(SequenceCall.extend(steps.subList(0, 3), 1), SequenceCall.extendThenQuery(steps.subList(0, 2), steps.subList(2, 5)),
            SequenceCall.branches(List.of(steps.subList(0, 2), steps.subList(3, 6)))));
        net.call(s, List.of(SequenceCall.score(steps.subList(3, 5), new int[] {1, -1}), SequenceCall.none(), SequenceCall.query(steps.subList(0, 1))));
        s.rollback(0, 5);
        s.rollback(1, 2);
        int live = net.manager().getManagedArrays().size();
        if (round == 0) {
          afterWarmUp = live;
        }
        assertEquals(afterWarmUp, live, "decode-state arrays after round " + round);
      }
    }
    assertEquals(before, net.manager().getManagedArrays().size(), "a closed state must free its arrays");
    assertEquals(modelArrays, net.model().manager().getManagedArrays().size(), "calls must not leave arrays with the model");
  }
}
