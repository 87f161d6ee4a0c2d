package dev.anyorder.model.java;

import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.SinusoidalPositions;
import dev.anyorder.model.WeightFormat;
import dev.anyorder.model.WeightLayout;
import java.util.Map;

/**
 * A σ-GPT's tensors, read from the {@link WeightLayout} names and checked against their shapes, with every
 * linear layer (and the head tied to the token embedding) packed into {@link PackedMatrix} panels for the
 * chosen kernel path. Immutable after construction and shared by every decode state of a network.
 */
final class PackedWeights {
  /** One transformer block; biases and LayerNorm shifts are null when the model has none. */
  record Block(float[] ln1Gain, float[] ln1Shift, PackedMatrix attn, PackedMatrix proj, float[] ln2Gain, float[] ln2Shift,
      PackedMatrix fc, PackedMatrix out) {}

  final ModelConfig config;
  /** Whether the matrices are packed for {@link VectorKernels} (else for {@link Kernels}). */
  final boolean vector;
  /** How the weights were rounded; the Vector API path keeps bfloat16 matrices in 16 bits. */
  final WeightFormat format;
  final float[] tokenEmbedding;
  final float[] positionTable;
  final Block[] blocks;
  final float[] finalGain;
  final float[] finalShift;
  /** The output head: the first {@code vocabSize} rows of the token embedding, no bias. */
  final PackedMatrix head;
  /** {@code 1/√headDim}, the attention temperature. */
  final float scale;

  PackedWeights(ModelConfig config, Map<String, float[]> weights, boolean vector, WeightFormat format) {
    this.config = config;
    this.vector = vector;
    this.format = format;
    int dim = config.dim();
    int hidden = config.mlpRatio() * dim;
    Map<String, long[]> layout = WeightLayout.expected(config);
    this.tokenEmbedding = tensor(weights, layout, WeightLayout.WTE);
    this.positionTable = switch (config.positions()) {
      case LEARNED -> tensor(weights, layout, WeightLayout.WPE);
      case SINUSOIDAL -> SinusoidalPositions.table(config.positionRows(), dim / 2);
      // Inference never changes the coordinates, so the table is expanded once here.
      case GRID -> config.grid().positionTable(tensor(weights, layout, WeightLayout.WPE_GRID), dim / 2, config.startSlot());
    };
    this.blocks = new Block[config.layers()];
    for (int i = 0; i < blocks.length; i++) {
      String p = WeightLayout.block(i);
      blocks[i] = new Block(
          tensor(weights, layout, p + "ln_1.weight"), optional(weights, layout, p + "ln_1.bias"),
          pack(weights, layout, p + "attn.c_attn", 3 * dim, dim),
          pack(weights, layout, p + "attn.c_proj", dim, dim),
          tensor(weights, layout, p + "ln_2.weight"), optional(weights, layout, p + "ln_2.bias"),
          pack(weights, layout, p + "mlp.c_fc", hidden, dim),
          pack(weights, layout, p + "mlp.c_proj", dim, hidden));
    }
    this.finalGain = tensor(weights, layout, WeightLayout.LN_F + ".weight");
    this.finalShift = optional(weights, layout, WeightLayout.LN_F + ".bias");
    this.head = pack(tokenEmbedding, config.vocabSize(), dim, null);
    this.scale = (float) (1.0 / Math.sqrt(config.headDim()));
  }

  private PackedMatrix pack(Map<String, float[]> weights, Map<String, long[]> layout, String name, int out, int in) {
    return pack(tensor(weights, layout, name + ".weight"), out, in, optional(weights, layout, name + ".bias"));
  }

  private PackedMatrix pack(float[] weight, int out, int in, float[] bias) {
    return vector
        ? PackedMatrix.pack(weight, out, in, bias, VectorKernels.PANEL_WIDTH, VectorKernels.LANES, format == WeightFormat.BFLOAT16)
        : PackedMatrix.pack(weight, out, in, bias, Kernels.PANEL_WIDTH, 1);
  }

  /**
   * The named tensor, checked against the layout's size. Copied, so later changes to the map do not leak in;
   * a matrix is rounded to the format in that copy ({@link WeightFormat#apply} would copy every matrix again).
   */
  private float[] tensor(Map<String, float[]> weights, Map<String, long[]> layout, String name) {
    float[] data = weights.get(name);
    if (data == null) {
      throw new IllegalArgumentException("missing tensor " + name);
    }
    long expected = 1;
    for (long s : layout.get(name)) {
      expected *= s;
    }
    if (data.length != expected) {
      throw new IllegalArgumentException("tensor " + name + " has " + data.length + " values, expected " + expected);
    }
    float[] copy = data.clone();
    if (WeightFormat.isMatrix(layout.get(name))) {
      format.roundInPlace(copy);
    }
    return copy;
  }

  private float[] optional(Map<String, float[]> weights, Map<String, long[]> layout, String name) {
    return layout.containsKey(name) ? tensor(weights, layout, name) : null;
  }
}
