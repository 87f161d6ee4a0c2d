package dev.anyorder.orders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Step;
import dev.anyorder.model.TeacherForcing;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Properties of orders and of the teacher-forced layout, over random lengths, seeds and known sets. */
class OrderPropertiesTest {

  @Property(tries = 300)
  void everyKindDrawsAPermutation(@ForAll OrderKind kind, @ForAll @IntRange(min = 1, max = 64) int n, @ForAll long seed) {
    boolean[] known = knownSet(n, seed);
    int[] order = kind.draw(n, known, new SplittableRandom(seed));
    int[] sorted = order.clone();
    Arrays.sort(sorted);
    assertArrayEquals(OrderKind.identity(n), sorted, kind + " must visit every position once");
  }

  @Property(tries = 200)
  void knownFirstPutsTheKnownSetFirst(@ForAll @IntRange(min = 1, max = 40) int n, @ForAll long seed) {
    boolean[] known = knownSet(n, seed);
    int count = 0;
    for (boolean k : known) {
      count += k ? 1 : 0;
    }
    int[] order = OrderKind.KNOWN_FIRST.draw(n, known, new SplittableRandom(seed));
    for (int t = 0; t < n; t++) {
      assertEquals(t < count, known[order[t]], "step " + t);
    }
  }

  @Property(tries = 200)
  void promptFirstFeedsKnownPositionsInPositionOrderThenTargetsInDrawnOrder(@ForAll OrderKind kind,
      @ForAll @IntRange(min = 1, max = 40) int n, @ForAll long seed) {
    boolean[] known = knownSet(n, seed);
    int[] drawn = kind.draw(n, known, new SplittableRandom(seed));
    int[] order = OrderKind.promptFirst(drawn, known);
    int[] expectedKnown = java.util.stream.IntStream.range(0, n).filter(p -> known[p]).toArray();
    int[] expectedTargets = Arrays.stream(drawn).filter(p -> !known[p]).toArray();
    assertArrayEquals(expectedKnown, Arrays.copyOfRange(order, 0, expectedKnown.length), "known positions, increasing");
    assertArrayEquals(expectedTargets, Arrays.copyOfRange(order, expectedKnown.length, n), "targets keep the drawn order");
    assertArrayEquals(drawn, OrderKind.promptFirst(drawn, null), "no known mask: the order itself");
  }

  @Property(tries = 200)
  void infillOrdersAreTwoIncreasingRuns(@ForAll @IntRange(min = 1, max = 40) int n, @ForAll long seed) {
    int[] order = OrderKind.INFILL.draw(n, null, new SplittableRandom(seed));
    int descents = 0;
    for (int t = 1; t < n; t++) {
      descents += order[t] < order[t - 1] ? 1 : 0;
    }
    assertTrue(descents <= 1, "visible then hidden, each left to right: " + Arrays.toString(order));
  }

  @Property(tries = 200)
  void teacherForcingFeedsEachTokenBeforeItsSuccessor(@ForAll @IntRange(min = 1, max = 32) int n, @ForAll long seed,
      @ForAll boolean startSlot) {
    ModelConfig c = new ModelConfig(5, 32, 1, 1, 4, 4, 0, dev.anyorder.model.PositionEncoding.LEARNED, false, startSlot);
    SplittableRandom rng = new SplittableRandom(seed);
    int[] x = rng.ints(n, 0, 5).toArray();
    int[] order = OrderKind.RANDOM.draw(n, null, rng);
    List<Step> steps = TeacherForcing.steps(c, x, order);
    int[] targets = TeacherForcing.targets(c, x, order);
    assertEquals(startSlot ? n : n - 1, steps.size());
    for (int t = 0; t < steps.size(); t++) {
      Step s = steps.get(t);
      assertEquals(x[s.toPosition()], targets[t], "the target is the token at the position the step asks for");
      if (s.fromPosition() < n) {
        assertEquals(x[s.fromPosition()], s.token(), "a step carries the token of its own position");
      } else {
        assertEquals(c.startToken(), s.token());
      }
      if (t > 0) {
        assertEquals(steps.get(t - 1).toPosition(), s.fromPosition(), "step t carries what step t-1 predicted");
      }
    }
  }

  @Property(tries = 100)
  void fractalVisitsMidpointsFirst(@ForAll @IntRange(min = 1, max = 200) int n) {
    int[] order = OrderKind.fractal(n);
    assertEquals(n / 2, order[0]);
  }

  private static boolean[] knownSet(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed ^ 0x1234);
    boolean[] known = new boolean[n];
    for (int i = 0; i < n; i++) {
      known[i] = rng.nextBoolean();
    }
    return known;
  }
}
