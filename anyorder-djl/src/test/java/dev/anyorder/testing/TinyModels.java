package dev.anyorder.testing;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.model.djl.PyTorchRuntime;
import dev.anyorder.model.djl.SigmaGpt;
import java.util.Map;
import java.util.SplittableRandom;

/** Small random σ-GPTs for tests: weights larger than GPT-2 init so the conditionals are far from uniform. */
public final class TinyModels {
  private TinyModels() {}

  public static NDManager manager() {
    return PyTorchRuntime.newManager("cpu", 2);
  }

  public static ModelConfig config(int vocab, int length) {
    return new ModelConfig(vocab, length, 2, 2, 16, 4, 0.0, PositionEncoding.LEARNED, false, true);
  }

  /** Random weights with standard deviation {@code scale} (GPT-2's init is 0.02: too flat to test with). */
  public static SigmaGpt random(ModelConfig config, long seed, double scale, NDManager manager) {
    Map<String, float[]> w = SigmaGpt.initialWeights(config, seed);
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    for (Map.Entry<String, float[]> e : w.entrySet()) {
      float[] data = e.getValue();
      if (e.getKey().contains("ln_")) {
        continue;
      }
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) ((rng.nextDouble() * 2 - 1) * scale * Math.sqrt(3));
      }
    }
    return SigmaGpt.fromWeights(config, w, manager, false);
  }

  public static DjlNetwork network(ModelConfig config, long seed, NDManager manager) {
    return new DjlNetwork(random(config, seed, 0.5, manager), true);
  }
}
