package dev.anyorder.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightFormatTest {
  private static float bits(int b) {
    return Float.intBitsToFloat(b);
  }

  @Test
  void roundsToTheNearestBfloat16WithTiesToEven() {
    assertEquals((short) 0x3F80, WeightFormat.toBfloat16(1.0f));
    assertEquals((short) 0x3F80, WeightFormat.toBfloat16(bits(0x3F808000)), "a tie below an even neighbour rounds down");
    assertEquals((short) 0x3F82, WeightFormat.toBfloat16(bits(0x3F818000)), "a tie below an odd neighbour rounds up");
    assertEquals((short) 0x3F81, WeightFormat.toBfloat16(bits(0x3F808001)), "just above the tie rounds up");
    assertEquals((short) 0x3F80, WeightFormat.toBfloat16(bits(0x3F807FFF)), "just below the tie rounds down");
    assertEquals((short) 0xBF81, WeightFormat.toBfloat16(bits(0xBF80C000)), "negative values round by magnitude");
    assertEquals((short) 0x0000, WeightFormat.toBfloat16(0.0f));
    assertEquals((short) 0x8000, WeightFormat.toBfloat16(-0.0f));
    assertEquals(Float.POSITIVE_INFINITY, WeightFormat.fromBfloat16(WeightFormat.toBfloat16(Float.POSITIVE_INFINITY)));
    assertTrue(Float.isNaN(WeightFormat.fromBfloat16(WeightFormat.toBfloat16(bits(0x7F800001)))), "a NaN with a low payload stays NaN");
    Random rng = new Random(3);
    for (int i = 0; i < 10_000; i++) {
      float x = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(7) - 3));
      float r = WeightFormat.fromBfloat16(WeightFormat.toBfloat16(x));
      assertEquals(r, WeightFormat.fromBfloat16(WeightFormat.toBfloat16(r)), "rounding is idempotent");
      assertTrue(Math.abs(r - x) <= Math.abs(x) * 0x1p-8, "within half a unit of the 8-bit significand: " + x + " -> " + r);
    }
  }

  @Test
  void bfloat16RoundsTheMatricesOnlyAndLeavesTheCallersArraysAlone() {
    ModelConfig c = new ModelConfig(7, 12, 2, 2, 16, 4, 0.0, PositionEncoding.LEARNED, true, true);
    Map<String, float[]> weights = new HashMap<>();
    Random rng = new Random(1);
    for (Map.Entry<String, long[]> e : WeightLayout.expected(c).entrySet()) {
      long n = 1;
      for (long s : e.getValue()) {
        n *= s;
      }
      float[] t = new float[(int) n];
      for (int i = 0; i < t.length; i++) {
        t[i] = (float) rng.nextGaussian();
      }
      weights.put(e.getKey(), t);
    }
    Map<String, float[]> copy = new HashMap<>();
    weights.forEach((k, v) -> copy.put(k, v.clone()));
    assertSame(weights, WeightFormat.FLOAT32.apply(c, weights));
    Map<String, float[]> rounded = WeightFormat.BFLOAT16.apply(c, weights);
    for (Map.Entry<String, long[]> e : WeightLayout.expected(c).entrySet()) {
      String name = e.getKey();
      assertArrayEquals(copy.get(name), weights.get(name), 0f, name + " of the caller changed");
      if (e.getValue().length >= 2) {
        float[] r = rounded.get(name);
        assertNotEquals(0, java.util.Arrays.compare(r, copy.get(name)), name + " should be rounded");
        for (int i = 0; i < r.length; i++) {
          assertEquals(WeightFormat.fromBfloat16(WeightFormat.toBfloat16(copy.get(name)[i])), r[i], 0f, name);
        }
      } else {
        assertSame(weights.get(name), rounded.get(name), name + " is a vector and stays float32");
      }
    }
  }

  @Test
  void parsesItsLabelsAndNamesTheChoices() {
    assertEquals(WeightFormat.BFLOAT16, WeightFormat.parse(" BFloat16 "));
    assertEquals(WeightFormat.FLOAT32, WeightFormat.parse("float32"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightFormat.parse("fp8"));
    assertTrue(e.getMessage().contains("float32 or bfloat16") && e.getMessage().contains("fp8"), e.getMessage());
  }
}
