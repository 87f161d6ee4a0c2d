package dev.anyorder.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Temperature, top-k and top-p on a hand-made logits row, and the distribution helpers. */
class TokenFilterTest {
  static final float[] ROW = {2, 1, 0, -1};

  static double[] softmax(double... z) {
    double s = 0;
    double[] p = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = Math.exp(z[i]);
      s += p[i];
    }
    for (int i = 0; i < z.length; i++) {
      p[i] /= s;
    }
    return p;
  }

  @Test
  void temperatureScalesTheLogits() {
    assertArrayEquals(softmax(2, 1, 0, -1), TokenFilter.NONE.apply(ROW).toArray(), 1e-12);
    assertArrayEquals(softmax(1, 0.5, 0, -0.5), new TokenFilter(2, 0, 1).apply(ROW).toArray(), 1e-12);
    assertEquals(1, new TokenFilter(0.01, 0, 1).apply(ROW).probability(0), 1e-12);
    assertTrue(TokenFilter.NONE.isIdentity());
    assertTrue(!new TokenFilter(1, 2, 1).isIdentity());
  }

  @Test
  void topKKeepsTheMostProbableTokens() {
    double[] p = new TokenFilter(1, 2, 1).apply(ROW).toArray();
    double[] two = softmax(2, 1);
    assertArrayEquals(new double[] {two[0], two[1], 0, 0}, p, 1e-12);
    assertArrayEquals(softmax(2, 1, 0, -1), new TokenFilter(1, 4, 1).apply(ROW).toArray(), 1e-12, "top-k = V keeps all");
    assertArrayEquals(new double[] {1, 0, 0}, new TokenFilter(1, 1, 1).apply(new float[] {1, 1, 0}).toArray(), 0,
        "ties go to the lower id");
  }

  @Test
  void topPKeepsTheSmallestNucleus() {
    // softmax(2,1,0,-1) = 0.644, 0.237, 0.087, 0.032
    assertEquals(1, new TokenFilter(1, 0, 0.6).apply(ROW).probability(0), 1e-12);
    double[] two = softmax(2, 1);
    assertArrayEquals(new double[] {two[0], two[1], 0, 0}, new TokenFilter(1, 0, 0.7).apply(ROW).toArray(), 1e-12);
    double[] three = softmax(2, 1, 0);
    assertArrayEquals(new double[] {three[0], three[1], three[2], 0}, new TokenFilter(1, 0, 0.9).apply(ROW).toArray(), 1e-12);
    // top-k first: over {0,1,2} the mass is 0.665, 0.245, 0.090, so top-p 0.9 keeps two.
    assertArrayEquals(new double[] {two[0], two[1], 0, 0}, new TokenFilter(1, 3, 0.9).apply(ROW).toArray(), 1e-12);
  }

  @Test
  void filterRejectsBadParameters() {
    assertEquals("temperature must be finite and at least 1.0E-6, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new TokenFilter(0, 0, 1)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new TokenFilter(1, -1, 1)).getMessage().startsWith("topK"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new TokenFilter(1, 0, 0)).getMessage().startsWith("topP"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new TokenFilter(1, 0, 1.5)).getMessage().startsWith("topP"));
  }

  @Test
  void samplingNeverPicksAFilteredToken() {
    TokenDistribution p = new TokenFilter(1, 2, 1).apply(ROW);
    SplittableRandom rng = new SplittableRandom(1);
    int[] counts = new int[4];
    for (int i = 0; i < 20_000; i++) {
      counts[p.sample(rng)]++;
    }
    assertEquals(0, counts[2] + counts[3]);
    assertEquals(p.probability(0), counts[0] / 20_000.0, 0.02);
  }

  @Test
  void distributionSummaries() {
    TokenDistribution p = TokenDistribution.of(new double[] {0.5, 0.3, 0.2});
    assertEquals(0.5, p.maxProbability(), 0);
    assertEquals(0.2, p.margin(), 1e-12);
    assertEquals(-(0.5 * Math.log(0.5) + 0.3 * Math.log(0.3) + 0.2 * Math.log(0.2)), p.entropy(), 1e-12);
    TokenDistribution q = TokenDistribution.of(new double[] {0.2, 0.3, 0.5});
    assertArrayEquals(new double[] {1, 0, 0}, TokenDistribution.residual(p, q).toArray(), 1e-12);
    assertArrayEquals(p.toArray(), TokenDistribution.residual(p, p).toArray(), 0, "no residual mass: fall back to p");
    assertThrows(IllegalArgumentException.class, () -> TokenDistribution.of(new double[] {0.5, 0.4}));
    assertThrows(IllegalArgumentException.class, () -> TokenDistribution.of(new double[] {1.5, -0.5}));
  }
}
