package dev.anyorder.model.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The erf behind the exact GELU matches published values and its own exact series everywhere. */
class ErfTest {
  @Test
  void matchesPublishedValues() {
    // Values from Abramowitz & Stegun table 7.1 / any 16-digit erf table.
    double[][] known = {{0, 0}, {0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1, 0.8427007929497149},
        {1.5, 0.9661051464753108}, {2, 0.9953222650189527}, {2.5, 0.9995930479825550}, {3, 0.9999779095030014},
        {4, 0.9999999845827421}, {5, 0.9999999999984626}, {-0.5, -0.5204998778130465}, {-2, -0.9953222650189527}};
    for (double[] k : known) {
      assertEquals(k[1], Erf.erf(k[0]), 1e-13, "erf(" + k[0] + ")");
      assertEquals(k[1], Erf.reference(k[0]), 1e-13, "reference erf(" + k[0] + ")");
    }
    assertEquals(1.0, Erf.erf(7), 0);
    assertEquals(-1.0, Erf.erf(-30), 0);
  }

  @Test
  void chebyshevFitTracksTheSeriesOnADenseGrid() {
    double worst = 0;
    for (double x = -6.5; x <= 6.5; x += 1e-3) {
      worst = Math.max(worst, Math.abs(Erf.erf(x) - Erf.reference(x)));
    }
    System.out.printf("[erf] max |chebyshev - series| on [-6.5, 6.5] = %.2e%n", worst);
    assertEquals(0, worst, 1e-13);
  }

  @Test
  void geluIsExact() {
    // x·Φ(x) with Φ(1) = 0.8413447460685429, Φ(-1) = 0.15865525393145705
    assertEquals(0.8413447460685429, Erf.gelu(1f), 1e-7);
    assertEquals(-0.15865525393145705, Erf.gelu(-1f), 1e-7);
    assertEquals(0f, Erf.gelu(0f), 0f);
  }
}
