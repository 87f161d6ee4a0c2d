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
    // Left-to-right draws (0.75), plus infill draws that happen to be the identity: the visible subset,
    // of a size uniform in 0..10, is a prefix with probability 1/C(10, size).
    double prefix = 0;
    for (int size = 0; size <= 10; size++) {
      prefix += 1.0 / binomial(10, size) / 11;
    }
    // A mixture that never drew infill (or always did) lands far outside this window.
    assertEquals(0.75 + 0.25 * prefix, leftToRight / 2000.0, 0.03, "share of identity orders");
  }

  private static double binomial(int n, int k) {
    double b = 1;
    for (int i = 1; i <= k; i++) {
      b = b * (n - k + i) / i;
    }
    return b;
  }

  @Test
  void badMixturesAreRejectedWithTheirSpelling() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrderSchedule.parse("mixture-x"));
    assertTrue(e.getMessage().contains("mixture-0.5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OrderSchedule.parse("mixture-1.5"));
  }
}
