package dev.anyorder.testing;

import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.WeightLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random σ-GPT weights for tests that need a real network without training one: every tensor of the layout
 * uniform in {@code ±scale}, LayerNorm gains around one, the output head tied to the token embedding. A scale
 * well above an initialisation's keeps the conditionals far from uniform, so samplers and scorers have
 * something to get wrong.
 */
public final class RandomWeights {
  private RandomWeights() {}

  /** The weights of {@code config} drawn from {@code seed}. */
  public static Map<String, float[]> of(ModelConfig config, long seed, double scale) {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, float[]> weights = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : WeightLayout.expected(config).entrySet()) {
      long size = 1;
      for (long s : e.getValue()) {
        size *= s;
      }
      float[] t = new float[(int) size];
      boolean gain = e.getValue().length == 1 && e.getKey().contains("ln") && e.getKey().endsWith(".weight");
      for (int i = 0; i < t.length; i++) {
        t[i] = (float) ((gain ? 1 : 0) + scale * (rng.nextDouble() * 2 - 1));
      }
      weights.put(e.getKey(), t);
    }
    weights.put(WeightLayout.LM_HEAD, weights.get(WeightLayout.WTE));
    return weights;
  }
}
