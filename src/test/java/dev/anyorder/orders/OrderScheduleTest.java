package dev.anyorder.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OrderScheduleTest {
  @Test
  void aMixtureDrawsRandomOrdersAtItsShareThroughoutTraining() {
    OrderSchedule mixture = OrderSchedule.parse("mixture-0.3");
    assertEquals("mixture-0.3", mixture.label());
    assertEquals(mixture, OrderSchedule.parse(mixture.label()));
    assertEquals(0.5, OrderSchedule.parse("mixture").randomProbability(0.9));
    SplittableRandom rng = new SplittableRandom(4);
    for (double progress : new double[] {0, 0.5, 1}) {
      int leftToRight = 0;
      for (int i = 0; i < 4000; i++) {
        int[] order = mixture.draw(progress, 12, null, rng);
        boolean identity = true;
        for (int t = 0; t < order.length; t++) {
          identity &= order[t] == t;
        }
        leftToRight += identity ? 1 : 0;
      }
      // A random order of 12 is the identity with probability 1/12!, so identities count left-to-right draws.
      assertEquals(0.7, leftToRight / 4000.0, 0.03, "left-to-right share at progress " + progress);
    }
  }

  @Test
  void anInfillMixtureDrawsInfillOrders() {
    OrderSchedule mixture = OrderSchedule.parse("mixture-infill-0.25");
    assertEquals("mixture-infill-0.25", mixture.label());
    assertEquals(mixture, OrderSchedule.parse(mixture.label()));
    SplittableRandom rng = new SplittableRandom(9);
    int leftToRight = 0;
    for (int i = 0; i < 2000; i++) {
      int[] order = mixture.draw(0.5, 10, null, rng);
      // an infill order is two increasing runs: the visible subset, then the rest
      int descents = 0;
      boolean identity = true;
      for (int t = 0; t < order.length; t++) {
        identity &= order[t] == t;
        descents += t > 0 && order[t] < order[t - 1] ? 1 : 0;
      }
      assertTrue(descents <= 1, "not an infill or left-to-right order");
      leftToRight += identity ? 1 : 0;
    }
    // left-to-right draws (0.75) plus infill draws that happen to be the identity (visible set a prefix)
    assertTrue(leftToRight / 2000.0 > 0.74, "share of identity orders " + leftToRight / 2000.0);
  }

  @Test
  void badMixturesAreRejectedWithTheirSpelling() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrderSchedule.parse("mixture-x"));
    assertTrue(e.getMessage().contains("mixture-0.5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OrderSchedule.parse("mixture-1.5"));
  }
}
