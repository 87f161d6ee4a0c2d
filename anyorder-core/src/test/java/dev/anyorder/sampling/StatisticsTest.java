package dev.anyorder.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.testing.Statistics;
import org.junit.jupiter.api.Test;

/** The incomplete gamma function and chi-square p-values the exactness tests rely on, against known values. */
class StatisticsTest {

  @Test
  void logGammaMatchesFactorialsAndHalfIntegers() {
    assertEquals(Math.log(362880), Statistics.logGamma(10), 1e-12);
    assertEquals(0.5 * Math.log(Math.PI), Statistics.logGamma(0.5), 1e-13);
    assertEquals(0, Statistics.logGamma(1), 1e-14);
    assertEquals(0, Statistics.logGamma(2), 1e-14);
    assertEquals(Math.log(Math.PI / Math.sin(Math.PI * 0.1)) - Statistics.logGamma(0.9), Statistics.logGamma(0.1), 1e-12);
  }

  @Test
  void incompleteGammaMatchesClosedForms() {
    for (double x : new double[] {0.01, 0.5, 1, 2, 5, 20}) {
      assertEquals(1 - Math.exp(-x), Statistics.gammaP(1, x), 1e-13, "P(1," + x + ")");
      // P(2, x) = 1 - e^-x (1 + x)
      assertEquals(Math.exp(-x) * (1 + x), Statistics.gammaQ(2, x), 1e-13, "Q(2," + x + ")");
    }
    assertEquals(0.8427007929497149, Statistics.gammaP(0.5, 1), 1e-13); // erf(1)
    assertEquals(0.004677734981047266, Statistics.gammaQ(0.5, 4), 1e-14); // erfc(2)
    assertEquals(1, Statistics.gammaP(3, 0) + Statistics.gammaQ(3, 0), 0);
  }

  @Test
  void chiSquarePValuesMatchTables() {
    assertEquals(0.05, Statistics.chiSquarePValue(3.841458820694124, 1), 1e-10);
    assertEquals(0.05, Statistics.chiSquarePValue(18.307038053275146, 10), 1e-10);
    assertEquals(0.001, Statistics.chiSquarePValue(29.588298445074418, 10), 1e-11);
    assertEquals(0.05, Statistics.chiSquarePValue(124.34211340400407, 100), 1e-9);
    assertEquals(Math.exp(-3), Statistics.chiSquarePValue(6, 2), 1e-14);
    assertTrue(Statistics.chiSquarePValue(1000, 10) < 1e-100);
    assertThrows(IllegalArgumentException.class, () -> Statistics.chiSquarePValue(1, 0));
  }

  @Test
  void fitPoolsSmallBinsAndCountsImpossibleOutcomes() {
    Statistics.Fit perfect = Statistics.fit(new double[] {0.5, 0.25, 0.25, 0}, new long[] {500, 250, 250, 0});
    assertEquals(0, perfect.chiSquare(), 1e-12);
    assertEquals(1, perfect.pValue(), 1e-12);
    assertEquals(0, perfect.totalVariation(), 1e-12);
    Statistics.Fit off = Statistics.fit(new double[] {0.5, 0.5, 0}, new long[] {400, 590, 10});
    assertEquals(10, off.impossibleHits());
    assertEquals(0.1, off.totalVariation(), 1e-12);
    assertTrue(off.pValue() < 1e-6);
  }
}
