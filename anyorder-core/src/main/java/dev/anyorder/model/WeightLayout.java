package dev.anyorder.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensor names and shapes of a σ-GPT checkpoint, in the GPT-2 / nanoGPT naming that any safetensors
 * reader understands. Linear weights are stored PyTorch-style as {@code (out, in)}; the output head
 * {@code lm_head.weight} is tied to {@code transformer.wte.weight} and stored under both names.
 */
public final class WeightLayout {
  public static final String WTE = "transformer.wte.weight";
  public static final String WPE = "transformer.wpe.weight";
  /** The coordinate embeddings of {@link PositionEncoding#GRID} positions, one row per axis value ({@link PositionGrid}). */
  public static final String WPE_GRID = "transformer.wpe_grid.weight";
  public static final String LN_F = "transformer.ln_f";
  public static final String LM_HEAD = "lm_head.weight";

  private WeightLayout() {}

  /** Prefix of block {@code i}'s tensors, e.g. {@code transformer.h.3.}. */
  public static String block(int i) {
    return "transformer.h." + i + ".";
  }

  /** Every tensor a model of this config stores, with its shape, in a stable order. */
  public static Map<String, long[]> expected(ModelConfig c) {
    Map<String, long[]> m = new LinkedHashMap<>();
    long d = c.dim();
    long hidden = (long) c.mlpRatio() * d;
    m.put(WTE, new long[] {c.embeddingRows(), d});
    if (c.positions() == PositionEncoding.LEARNED) {
      m.put(WPE, new long[] {c.positionRows(), d / 2});
    } else if (c.positions() == PositionEncoding.GRID) {
      m.put(WPE_GRID, new long[] {c.grid().tableRows(c.startSlot()), d / 2});
    }
    for (int i = 0; i < c.layers(); i++) {
      String p = block(i);
      layerNorm(m, p + "ln_1", d, c.bias());
      linear(m, p + "attn.c_attn", 3 * d, d, c.bias());
      linear(m, p + "attn.c_proj", d, d, c.bias());
      layerNorm(m, p + "ln_2", d, c.bias());
      linear(m, p + "mlp.c_fc", hidden, d, c.bias());
      linear(m, p + "mlp.c_proj", d, hidden, c.bias());
    }
    layerNorm(m, LN_F, d, c.bias());
    m.put(LM_HEAD, new long[] {c.embeddingRows(), d});
    return Collections.unmodifiableMap(m);
  }

  /** True for tensors that AdamW decays: matrices and embeddings, never biases or LayerNorm gains. */
  public static boolean decayed(String name, long[] shape) {
    return shape.length >= 2;
  }

  private static void layerNorm(Map<String, long[]> m, String name, long d, boolean bias) {
    m.put(name + ".weight", new long[] {d});
    if (bias) {
      m.put(name + ".bias", new long[] {d});
    }
  }

  private static void linear(Map<String, long[]> m, String name, long out, long in, boolean bias) {
    m.put(name + ".weight", new long[] {out, in});
    if (bias) {
      m.put(name + ".bias", new long[] {out});
    }
  }
}
