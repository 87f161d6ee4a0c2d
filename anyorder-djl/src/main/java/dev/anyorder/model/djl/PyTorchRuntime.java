package dev.anyorder.model.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * Configures the DJL PyTorch engine before first use: fully offline (the native library comes from the
 * {@code pytorch-native-cpu} jar, nothing is downloaded) and with an explicit thread count, since the
 * engine's default of one thread per core oversubscribes small models.
 */
public final class PyTorchRuntime {
  private static volatile boolean started;

  private PyTorchRuntime() {}

  /**
   * Sets the engine properties and starts the engine. Thread settings only take effect on the first call
   * in a JVM; later calls return the running engine.
   */
  public static synchronized Engine start(int threads) {
    if (!started) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      System.setProperty("ai.djl.offline", "true");
      setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(threads));
      setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
      setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
      started = true;
    }
    return Engine.getEngine("PyTorch");
  }

  /** A root manager on the CPU (or the named device, e.g. {@code gpu}) of the PyTorch engine. */
  public static NDManager newManager(String device, int threads) {
    Engine engine = start(threads);
    return engine.newBaseManager(ai.djl.Device.fromName(device));
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
