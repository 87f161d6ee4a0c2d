package dev.anyorder.spark;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The seed of a row without a seed column, from the job's seed and the row's input, never from where the
 * row sits: a row's result is the same with any partitioning and any number of executors. Identical inputs
 * therefore give identical results. (A seed column's value is its row's seed as is.)
 */
final class RowSeeds {
  private RowSeeds() {}

  private static long of(long jobSeed, long rowSeed) {
    return new SplittableRandom(jobSeed ^ (rowSeed * 0x9E3779B97F4A7C15L)).nextLong();
  }

  /** The seed of a row identified by its input {@code key} (null for none). */
  static long of(long jobSeed, String key) {
    long h = 0xcbf29ce484222325L; // 64-bit FNV-1a over the UTF-8 bytes: stable across JVMs, unlike hashCode of objects
    if (key != null) {
      for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
        h = (h ^ (b & 0xff)) * 0x100000001b3L;
      }
    } else {
      h = ~h;
    }
    return of(jobSeed, h);
  }
}
