package dev.anyorder.testing;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Measures what tests of memory flatness need: live DJL arrays under a manager and the process RSS. */
public final class NativeMemory {
  private NativeMemory() {}

  /** Arrays alive under {@code manager}, sub-managers included. */
  public static int liveArrays(NDManager manager) {
    return manager.getManagedArrays().size();
  }

  /** Resident set size of this process in bytes (Linux). */
  public static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
