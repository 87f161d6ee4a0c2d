package dev.anyorder.spark;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The seed of one row, from the job's seed and the row itself (its own seed column, or its input), never
 * from where the row sits: a row's result is the same with any partitioning and any number of executors.
 * Identical inputs without a seed column therefore give identical results.
 */
final class RowSeeds {
  private RowSeeds() {}

  /** The seed of a row whose seed column holds {@code rowSeed}. */
  static long of(long jobSeed, long rowSeed) {
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
