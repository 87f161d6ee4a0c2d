package dev.anyorder.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.model.java.JavaNetwork;
import dev.anyorder.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SequenceCall#commitFirstQuery}: a call whose first query also enters the cache gives the same
 * query logits as one that does not, and leaves the cache exactly as feeding that query's step in the next
 * call would, on both backends; the other queries of the call never see it.
 */
class CommittedQueryTest {
  static final ModelConfig CONFIG = TinyModels.config(7, 16);
  static NDManager manager;
  static SigmaGpt model;

  @BeforeAll
  static void setUp() {
    manager = TinyModels.manager();
    model = TinyModels.random(CONFIG, 3, 0.6, manager);
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  static List<Step> steps(SplittableRandom rng, int n) {
    List<Step> s = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      s.add(new Step(rng.nextInt(CONFIG.vocabSize()), rng.nextInt(CONFIG.maxLength()), rng.nextInt(CONFIG.maxLength())));
    }
    return s;
  }

  /** Committing the first query, then extending, against querying, then feeding that step with the extension. */
  static void check(Network net, float tolerance, String name) {
    SplittableRandom rng = new SplittableRandom(8);
    List<Step> prefixA = steps(rng, 4);
    List<Step> prefixB = steps(rng, 6);
    List<Step> ext = steps(rng, 2);
    List<Step> queries = steps(rng, 3);
    List<Step> next = steps(rng, 3);
    try (DecodeState committed = net.newState(2); DecodeState fed = net.newState(2)) {
      for (DecodeState s : List.of(committed, fed)) {
        net.call(s, List.of(SequenceCall.extend(prefixA, 0), SequenceCall.extend(prefixB, 0)));
      }
      // Sequence 0 commits its first query; sequence 1, in the same call, does not.
      List<CallResult> a = net.call(committed, List.of(SequenceCall.extendThenQueryCommittingFirst(ext, queries),
          SequenceCall.extendThenQuery(ext, queries)));
      List<CallResult> b = net.call(fed, List.of(SequenceCall.extendThenQuery(ext, queries), SequenceCall.extendThenQuery(ext, queries)));
      for (int s = 0; s < 2; s++) {
        for (int q = 0; q < queries.size(); q++) {
          assertArrayEquals(b.get(s).queryLogits()[q], a.get(s).queryLogits()[q], tolerance, name + ": sequence " + s + " query " + q);
        }
      }
      assertEquals(4 + 2 + 1, committed.length(0), name + ": the committed query is cached");
      assertEquals(6 + 2, committed.length(1), name + ": a call without it caches its extension only");
      List<Step> feedQuery = new ArrayList<>(List.of(queries.get(0)));
      feedQuery.addAll(next);
      float[][] after = net.call(committed, List.of(SequenceCall.extend(next, next.size()), SequenceCall.none())).get(0).extendLogits();
      float[][] expected = net.call(fed, List.of(SequenceCall.extend(feedQuery, next.size()), SequenceCall.none())).get(0).extendLogits();
      for (int r = 0; r < next.size(); r++) {
        assertArrayEquals(expected[r], after[r], tolerance, name + ": the next call's row " + r);
      }
      assertEquals(fed.length(0), committed.length(0));
    }
  }

  @Test
  void aCommittedQueryIsTheStepTheNextCallWouldFeedOnBothBackends() {
    try (DjlNetwork djl = new DjlNetwork(model, false); JavaNetwork java = new JavaNetwork(CONFIG, model.weights(), 1)) {
      check(djl, 1e-5f, "djl");
      check(java, 0f, "java");
    }
  }

  @Test
  void needsAQueryAndNoBranches() {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> new SequenceCall(List.of(), 0, null, List.of(), List.of(), true));
    assertTrue(none.getMessage().contains("needs a query"), none.getMessage());
    SplittableRandom rng = new SplittableRandom(1);
    IllegalArgumentException branches = assertThrows(IllegalArgumentException.class,
        () -> new SequenceCall(List.of(), 0, null, steps(rng, 1), List.of(steps(rng, 2)), true));
    assertTrue(branches.getMessage().contains("branches"), branches.getMessage());
  }
}
